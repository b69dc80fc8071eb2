package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestTeamWorkAPIForCarol: the client seed's rules for carol through the
// API: full functionality in Globex Success; no company data; no sending
// issues; no cascading; no admin rights — 403 for actions, 404 for objects.
func TestTeamWorkAPIForCarol(t *testing.T) {
	e := newEnv(t, nil)
	carol := e.client("acme.localhost").mustLogin("carol@globex.test", "demo-pass-1")
	gs := lookupID(t, e, "team", "acme", "Globex Success")
	lead := lookupID(t, e, "team", "acme", "Leadership")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }

	t.Run("full functionality in Globex Success", func(t *testing.T) {
		r := carol.api("POST", "/api/v1/todos", map[string]any{"team_id": gs, "title": "Order the MFA tokens"})
		if r.status != 201 {
			t.Fatalf("carol adds a to-do: %d %s", r.status, r.body)
		}
		todo := int64(r.json(t)["id"].(float64))
		if r = carol.api("PATCH", "/api/v1/todos/"+id(todo), map[string]any{"done": true}); r.status != 200 || r.json(t)["done"] != true {
			t.Errorf("carol ticks it: %d %s", r.status, r.body)
		}
		if r = carol.api("POST", "/api/v1/issues", map[string]any{"team_id": gs, "title": "Printer queue stuck", "priority": "high"}); r.status != 201 {
			t.Errorf("carol adds an issue: %d %s", r.status, r.body)
		}
		if r = carol.api("POST", "/api/v1/messages", map[string]any{"team_id": gs, "title": "Cut-over moved", "body": "To the 14th."}); r.status != 201 {
			t.Errorf("carol posts: %d %s", r.status, r.body)
		}
		list := carol.get("/api/v1/rocks?team_id=" + id(gs))
		if list.status != 200 || !strings.Contains(list.body, "Migrate Globex mail to M365") || !strings.Contains(list.body, "Roll out MFA at Globex") {
			t.Errorf("carol's rocks: %d %s", list.status, list.body)
		}
		metrics := carol.get("/api/v1/metrics?team_id=" + id(gs))
		if !strings.Contains(metrics.body, "First response time (h)") {
			t.Errorf("carol's scorecard lacks the shared metric: %s", metrics.body)
		}
		// She assigns across the table: a to-do for ken, a member.
		ken := lookupID(t, e, "user", "acme", "ken@acme.test")
		if r = carol.api("POST", "/api/v1/todos", map[string]any{"team_id": gs, "title": "Send the licence quote", "owner_id": ken}); r.status != 201 || !strings.Contains(r.body, "Ken Thompson") {
			t.Errorf("carol assigns a to-do to ken: %d %s", r.status, r.body)
		}
		// She sets up and runs meetings: a QBR.
		if r = carol.api("POST", "/api/v1/meetings", map[string]any{"team_id": gs, "kind": "custom", "title": "Globex QBR",
			"sections": []map[string]any{{"title": "Quarter in review", "minutes": 20}, {"title": "Next quarter's rocks", "minutes": 30}}}); r.status != 201 {
			t.Errorf("carol sets up a QBR: %d %s", r.status, r.body)
		}
	})

	t.Run("a red streak raised as an issue", func(t *testing.T) {
		page := carol.get("/teams/" + id(gs))
		if !strings.Contains(page.body, "Raise it as an issue") {
			t.Fatal("carol's scorecard offers no red streak as an issue")
		}
		r := carol.form("/teams/"+id(gs)+"/issues", url.Values{"_csrf": {formCSRF(t, page.body)}, "title": {"First response time (h): off goal two weeks in a row"},
			"priority": {"high"}, "term": {"short"}})
		if r.status != 303 {
			t.Fatalf("carol raises it: %d", r.status)
		}
		if got := carol.get("/api/v1/issues?team_id=" + id(gs)); !strings.Contains(got.body, "First response time (h): off goal two weeks in a row") {
			t.Errorf("the raised issue is not in Globex Success: %s", got.body)
		}
	})

	t.Run("no company data", func(t *testing.T) {
		for _, path := range []string{"/rocks", "/strategy/vision", "/roles", "/headlines"} {
			if got := carol.get(path); got.status != 403 {
				t.Errorf("carol opens %s: %d", path, got.status)
			}
		}
		soc := lookupID(t, e, "rock", "acme", "Launch managed SOC offering")
		margin := lookupID(t, e, "issue", "acme", "Service desk margin is slipping below target")
		for _, path := range []string{"/api/v1/rocks/" + id(soc), "/api/v1/issues/" + id(margin)} {
			if got := carol.get(path); got.status != 404 {
				t.Errorf("carol opens %s: %d", path, got.status)
			}
		}
		for _, path := range []string{"/api/v1/rocks", "/api/v1/issues", "/api/v1/todos?done=true", "/api/v1/messages", "/api/v1/metrics", "/api/v1/rocks?team_id=" + id(lead)} {
			got := carol.get(path)
			for _, canary := range []string{"SOC", "margin", "on-call", "revenue", "Q4 priorities", "Leadership", "Service desk engineers"} {
				if strings.Contains(got.body, canary) {
					t.Errorf("carol's %s shows %q", path, canary)
				}
			}
		}
		if r := carol.api("POST", "/api/v1/rocks", map[string]any{"title": "A company rock", "due_on": "2027-01-10"}); r.status != 400 {
			t.Errorf("carol adds a company rock: %d %s", r.status, r.body)
		}
	})

	t.Run("no 1:1s", func(t *testing.T) {
		if got := carol.get("/one-on-ones"); got.status != 403 {
			t.Errorf("carol opens /one-on-ones: %d", got.status)
		}
		alan := lookupID(t, e, "user", "acme", "alan@acme.test")
		if r := carol.api("POST", "/api/v1/one_on_ones", map[string]any{"with_user_id": alan}); r.status != 403 {
			t.Errorf("carol starts a 1:1: %d", r.status)
		}
	})

	t.Run("no sending issues", func(t *testing.T) {
		gsIssue := lookupID(t, e, "issue", "acme", "Shared mailbox permissions keep resetting")
		if r := carol.api("PATCH", "/api/v1/issues/"+id(gsIssue), map[string]any{"team_id": lead}); r.status != 403 {
			t.Errorf("carol sends an issue away: %d %s", r.status, r.body)
		}
	})

	t.Run("no cascading", func(t *testing.T) {
		if r := carol.api("POST", "/api/v1/messages", map[string]any{"team_id": gs, "title": "To all", "cascade_team_ids": []int64{lead}}); r.status != 403 {
			t.Errorf("carol cascades: %d %s", r.status, r.body)
		}
	})

	t.Run("no admin rights", func(t *testing.T) {
		for _, path := range []string{"/settings", "/settings/teams", "/audit"} {
			if got := carol.get(path); got.status != 403 {
				t.Errorf("carol opens %s: %d", path, got.status)
			}
		}

		ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
		carolID := lookupID(t, e, "user", "acme", "carol@globex.test")
		if r := ada.api("PATCH", "/api/v1/users/"+id(carolID), map[string]any{"capabilities": []string{"admin"}}); r.status < 400 || r.status >= 500 {
			t.Errorf("carol is made an admin: %d %s", r.status, r.body)
		}
	})

	// Bad input is 400 with the field.
	if r := carol.api("POST", "/api/v1/todos", map[string]any{"team_id": gs, "title": strings.Repeat("x", 300)}); r.status != 400 || !strings.Contains(r.body, `"title"`) {
		t.Errorf("a long title: %d %s", r.status, r.body)
	}
	if got := carol.get("/api/v1/todos?team_id=abc"); got.status != 400 {
		t.Errorf("a bad team_id: %d", got.status)
	}

	// A guest and an external user have no team work.
	gina := e.client("acme.localhost").mustLogin("gina@guest.test", "demo-pass-1")
	if got := gina.get("/api/v1/rocks"); got.status != 403 {
		t.Errorf("gina lists rocks: %d", got.status)
	}
	// Another tenant's host knows none of it.
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	if got := nina.get("/api/v1/rocks/" + id(lookupID(t, e, "rock", "acme", "Launch managed SOC offering"))); got.status != 404 {
		t.Errorf("nina opens Acme's rock: %d", got.status)
	}
}
