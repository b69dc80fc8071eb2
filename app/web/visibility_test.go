package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// exec runs SQL on the test database, for states the API refuses to create.
func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.db.W.ExecContext(context.Background(), q, args...); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

// TestTeamsHideDeactivatedMembersContact: a team shows a deactivated member
// as the user's own view does — no address or status for someone who does
// not manage users — in the API, on /teams and on Settings → Teams; those
// who manage users still see both. A deactivated user joins no team.
func TestTeamsHideDeactivatedMembersContact(t *testing.T) {
	e := newEnv(t, nil)
	dora := userID(t, e, "acme", "dora@acme.test")
	desk := lookupID(t, e, "team", "acme", "Service Desk")
	// Dora was in the team before she was deactivated.
	e.exec("INSERT INTO team_members (tenant_id, team_id, user_id, role) SELECT tenant_id, ?, id, 'member' FROM users WHERE id = ?", desk, dora)
	teamPath := "/api/v1/teams/" + strconv.FormatInt(desk, 10)

	hedy := e.client("acme.localhost").mustLogin("hedy@acme.test", "demo-pass-1")
	for _, path := range []string{teamPath, "/api/v1/teams"} {
		r := hedy.get(path)
		if r.status != 200 || !strings.Contains(r.body, "Dora Deactivated") {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		for _, hidden := range []string{"dora@acme.test", "deactivated"} {
			if strings.Contains(r.body, hidden) {
				t.Errorf("%s shows a member %q: %s", path, hidden, r.body)
			}
		}
	}
	var team struct {
		Members []map[string]any `json:"members"`
	}
	if err := json.Unmarshal([]byte(hedy.get(teamPath).body), &team); err != nil {
		t.Fatal(err)
	}
	for _, m := range team.Members {
		_, hasEmail := m["email"]
		_, hasStatus := m["status"]
		if m["name"] == "Dora Deactivated" && (hasEmail || hasStatus) {
			t.Errorf("hidden fields are present: %v", m)
		}
		if m["name"] == "Ken Thompson" && (m["email"] != "ken@acme.test" || m["status"] != "active") {
			t.Errorf("an active member's details are missing: %v", m)
		}
	}
	if r := hedy.get("/teams"); r.status != 200 || strings.Contains(r.body, "avatar-deactivated") || strings.Contains(r.body, "dora@acme.test") {
		t.Errorf("/teams marks the deactivated member for a member: %d", r.status)
	}

	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	if r := alan.get(teamPath); !strings.Contains(r.body, "dora@acme.test") || !strings.Contains(r.body, `"status":"deactivated"`) {
		t.Errorf("an admin loses the member's details: %s", r.body)
	}
	grace := e.client("acme.localhost").mustLogin("grace@acme.test", "demo-pass-1")
	if r := grace.get("/settings/teams/" + strconv.FormatInt(desk, 10)); r.status != 200 || !strings.Contains(r.body, "avatar-deactivated") {
		t.Errorf("Settings → Teams hides the deactivated mark from a people admin: %d", r.status)
	}

	// Adding a deactivated user to a team is refused, with a field message.
	emea := lookupID(t, e, "team", "acme", "EMEA")
	r := grace.api("POST", "/api/v1/teams/"+strconv.FormatInt(emea, 10)+"/members", map[string]any{"user_id": dora})
	if r.status != 400 || !strings.Contains(r.body, `"user_id"`) {
		t.Errorf("adding a deactivated user: %d %s", r.status, r.body)
	}
	form := url.Values{"user_id": {strconv.FormatInt(dora, 10)}}
	if r := grace.htmx("POST", "/settings/teams/"+strconv.FormatInt(emea, 10)+"/members", form); r.status != 400 {
		t.Errorf("adding a deactivated user by the form: %d", r.status)
	}
}

// TestUserSearchDoesNotConfirmHiddenEmails: a search matches an address only
// where the answer would show it.
func TestUserSearchDoesNotConfirmHiddenEmails(t *testing.T) {
	e := newEnv(t, nil)
	e.exec("UPDATE users SET email = 'dora.secret@acme.test' WHERE email = 'dora@acme.test'")
	count := func(c *client, q string) int {
		t.Helper()
		r := c.get("/api/v1/users?q=" + url.QueryEscape(q))
		if r.status != 200 {
			t.Fatalf("search %q: %d %s", q, r.status, r.body)
		}
		return len(r.json(t)["items"].([]any))
	}
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	if n := count(ken, "secret"); n != 0 {
		t.Errorf("a member finds a hidden address: %d results", n)
	}
	if n := count(ken, "Dora"); n != 1 {
		t.Errorf("a member searching the name: %d results", n)
	}
	if n := count(ken, "alan@acme"); n != 1 {
		t.Errorf("a member searching a shown address: %d results", n)
	}
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	if n := count(alan, "secret"); n != 1 {
		t.Errorf("an admin searching the address: %d results", n)
	}
	if r := alan.get("/settings/users?q=secret"); r.status != 200 || !strings.Contains(r.body, "dora.secret@acme.test") {
		t.Errorf("Settings → Users search for an admin: %d", r.status)
	}
}

// TestProfileShowsWhatTheViewShows: the profile page is built from the
// filtered view only: no address (not even as the fallback name), no status
// badge or deactivated mark, for someone who may not see them.
func TestProfileShowsWhatTheViewShows(t *testing.T) {
	e := newEnv(t, nil)
	e.exec("UPDATE users SET name = '' WHERE email = 'dora@acme.test'")
	path := "/users/" + strconv.FormatInt(userID(t, e, "acme", "dora@acme.test"), 10)
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	r := ken.get(path)
	if r.status != 200 || !strings.Contains(r.body, "Unnamed user") || !strings.Contains(r.body, "Contact details are not shown.") {
		t.Fatalf("profile: %d %s", r.status, r.body)
	}
	for _, hidden := range []string{"dora@acme.test", "Deactivated", "deactivated"} {
		if strings.Contains(r.body, hidden) {
			t.Errorf("a member's view of the profile holds %q", hidden)
		}
	}
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	r = alan.get(path)
	for _, shown := range []string{"mailto:dora@acme.test", `<span class="badge badge-muted">Deactivated</span>`, "avatar-deactivated"} {
		if !strings.Contains(r.body, shown) {
			t.Errorf("an admin's view of the profile lacks %q", shown)
		}
	}
}

// TestUsersAPIAdminFields: hidden pages, modules, own-tickets-only, the
// test-user flag and the manager are absent from other users for a caller
// who does not manage users; present for those who do and for oneself.
func TestUsersAPIAdminFields(t *testing.T) {
	e := newEnv(t, nil)
	admin := []string{`"hidden_pages"`, `"modules"`, `"own_tickets_only"`, `"test_user"`, `"manager_id"`}
	user := func(email string) string {
		return "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", email), 10)
	}
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	r := ken.get(user("tess@acme.test"))
	for _, f := range admin {
		if strings.Contains(r.body, f) {
			t.Errorf("a member sees another user's %s: %s", f, r.body)
		}
	}
	if list := ken.get("/api/v1/users"); strings.Count(list.body, `"test_user"`) != 1 {
		t.Errorf("the list shows admin fields of others: %d test_user fields", strings.Count(list.body, `"test_user"`))
	}
	own := ken.get(user("ken@acme.test"))
	for _, f := range admin {
		if !strings.Contains(own.body, f) {
			t.Errorf("a member's own record lacks %s: %s", f, own.body)
		}
	}
	if !strings.Contains(own.body, `"manager_id":`+strconv.FormatInt(userID(t, e, "acme", "alan@acme.test"), 10)) {
		t.Errorf("own manager: %s", own.body)
	}
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	r = alan.get(user("tess@acme.test"))
	for _, f := range append(admin, `"test_user":true`, `"manager_id":null`) {
		if !strings.Contains(r.body, f) {
			t.Errorf("an admin lacks %s: %s", f, r.body)
		}
	}
}

// TestCompanyUserCountIsInternal: an external user's companies carry no
// "users" field at all; members see the count, zero included.
func TestCompanyUserCountIsInternal(t *testing.T) {
	e := newEnv(t, nil)
	globex := "/api/v1/companies/" + strconv.FormatInt(lookupID(t, e, "company", "acme", "Globex Corporation"), 10)
	showCompaniesModule(t, e, "erin@globex.test")
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	for _, path := range []string{"/api/v1/companies", globex} {
		if r := erin.get(path); r.status != 200 || strings.Contains(r.body, `"users"`) || !strings.Contains(r.body, "Globex Corporation") {
			t.Errorf("%s for an external user: %d %s", path, r.status, r.body)
		}
	}
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	if r := alan.get("/api/v1/companies"); !strings.Contains(r.body, `"users":0`) || !strings.Contains(r.body, `"users":`) {
		t.Errorf("companies for an admin: %s", r.body)
	}
}

// TestOneLineNames: names of teams, companies and groups, domains and
// module labels are one line; company notes may have line breaks and tabs
// but no other control characters.
func TestOneLineNames(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	erin := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "erin@globex.test"), 10)
	for _, tt := range []struct {
		method, path string
		body         map[string]any
		field        string
	}{
		{"POST", "/api/v1/teams", map[string]any{"name": "Line one\nLine two", "kind": "function"}, "name"},
		{"POST", "/api/v1/teams", map[string]any{"name": "Tab\tteam", "kind": "function"}, "name"},
		{"POST", "/api/v1/companies", map[string]any{"name": "Globex\nEvil"}, "name"},
		{"POST", "/api/v1/companies", map[string]any{"name": "Hooli", "domain": "hooli\n.com"}, "domain"},
		{"POST", "/api/v1/companies", map[string]any{"name": "Hooli", "domain": "hoo\tli.com"}, "domain"},
		{"POST", "/api/v1/companies", map[string]any{"name": "Hooli", "notes": "bell\a"}, "notes"},
		{"POST", "/api/v1/company_groups", map[string]any{"name": "Group\u2028two"}, "name"},
		{"PATCH", erin, map[string]any{"modules": []map[string]any{{"key": "tickets", "show": true, "label": "Sup\tport"}}}, "modules"},
		{"PATCH", erin, map[string]any{"modules": []map[string]any{{"key": "tickets", "show": true, "label": "Sup\u2028port"}}}, "modules"},
		{"PATCH", erin, map[string]any{"name": "Erin\nEditor"}, "name"},
	} {
		r := ada.api(tt.method, tt.path, tt.body)
		if r.status != 400 || !strings.Contains(r.body, `"`+tt.field+`"`) {
			t.Errorf("%s %s %v: %d %s", tt.method, tt.path, tt.body, r.status, r.body)
		}
	}
	r := ada.api("POST", "/api/v1/companies", map[string]any{"name": "Hooli", "notes": "Renewal in March.\r\nCall\tBob."})
	if r.status != 201 || !strings.Contains(r.body, `"notes":"Renewal in March.\nCall\tBob."`) {
		t.Errorf("multi-line notes: %d %s", r.status, r.body)
	}
}

// TestDuplicateNamesAreConflictsNotErrors: a name taken in any case answers
// 400 with a field message, for teams, companies and groups; two people
// creating the same team at once get one 201 and one 400, never a 500.
func TestDuplicateNamesAreConflictsNotErrors(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	grace := e.client("acme.localhost").mustLogin("grace@acme.test", "demo-pass-1")
	for _, tt := range []struct {
		path, name, msg string
		extra           map[string]any
	}{
		{"/api/v1/teams", "service desk", "A team with this name already exists.", map[string]any{"kind": "function"}},
		{"/api/v1/teams", "Service Desk", "A team with this name already exists.", map[string]any{"kind": "function"}},
		{"/api/v1/companies", "INITECH", "A company with this name already exists.", nil},
		{"/api/v1/company_groups", "managed CLIENTS", "A group with this name already exists.", nil},
	} {
		body := map[string]any{"name": tt.name}
		for k, v := range tt.extra {
			body[k] = v
		}
		r := ada.api("POST", tt.path, body)
		if r.status != 400 || !strings.Contains(r.body, tt.msg) {
			t.Errorf("POST %s %q: %d %s", tt.path, tt.name, r.status, r.body)
		}
	}
	// Renaming onto another team's name is refused the same way.
	emea := "/api/v1/teams/" + strconv.FormatInt(lookupID(t, e, "team", "acme", "EMEA"), 10)
	if r := ada.api("PATCH", emea, map[string]any{"name": "LEADERSHIP"}); r.status != 400 || !strings.Contains(r.body, "A team with this name already exists.") {
		t.Errorf("rename onto a taken name: %d %s", r.status, r.body)
	}

	for round := 0; round < 5; round++ {
		name := "Parallel " + strconv.Itoa(round)
		statuses := make([]int, 2)
		var wg sync.WaitGroup
		for i, c := range []*client{ada, grace} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := name
				if i == 1 {
					n = strings.ToUpper(name)
				}
				statuses[i] = c.api("POST", "/api/v1/teams", map[string]any{"name": n, "kind": "function"}).status
			}()
		}
		wg.Wait()
		if !(statuses[0] == 201 && statuses[1] == 400) && !(statuses[0] == 400 && statuses[1] == 201) {
			t.Errorf("round %d: concurrent creates answered %v, want one 201 and one 400", round, statuses)
		}
	}
}
