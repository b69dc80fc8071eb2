package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestL10RecapHoldsOnlyWhatEachAttendeeSees: carol runs an L10 in Globex
// Success through the API; while it runs alan sends an issue to
// Leadership, a team carol is not in. Each attendee is emailed a recap:
// alan's names the issue sent on, carol's lacks every word of it.
func TestL10RecapHoldsOnlyWhatEachAttendeeSees(t *testing.T) {
	e := newEnv(t, nil)
	carol := e.client("acme.localhost").mustLogin("carol@globex.test", "demo-pass-1")
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	gs := lookupID(t, e, "team", "acme", "Globex Success")
	lead := lookupID(t, e, "team", "acme", "Leadership")

	r := carol.api("POST", "/api/v1/meetings", map[string]any{"team_id": gs, "kind": "l10"})
	if r.status != 201 {
		t.Fatalf("carol sets up an L10: %d %s", r.status, r.body)
	}
	m := r.json(t)
	id := strconv.FormatInt(int64(m["id"].(float64)), 10)
	if n := len(m["sections"].([]any)); n != 7 {
		t.Errorf("an L10 has %d sections", n)
	}
	if n := len(m["attendees"].([]any)); n != 3 {
		t.Errorf("the L10 has %d attendees, want the team's 3", n)
	}
	if r = carol.api("PATCH", "/api/v1/meetings/"+id, map[string]any{"action": "start"}); r.status != 200 || r.json(t)["remaining_seconds"].(float64) < 290 {
		t.Fatalf("carol starts it: %d %s", r.status, r.body)
	}
	next := func(n int) {
		for range n {
			if r = carol.api("PATCH", "/api/v1/meetings/"+id, map[string]any{"action": "next"}); r.status != 200 {
				t.Fatalf("next: %d %s", r.status, r.body)
			}
		}
	}
	next(3)
	// Headlines: the company's, for the members at the table only.
	page := "/teams/" + strconv.FormatInt(gs, 10) + "/meetings/" + id
	if got := alan.get(page); got.status != 200 || !strings.Contains(got.body, "Q4 kickoff on Monday") {
		t.Errorf("alan's headlines section lacks the company's headline: %d", got.status)
	}
	if got := carol.get(page); got.status != 200 || strings.Contains(got.body, "Q4 kickoff") || !strings.Contains(got.body, "Headlines") {
		t.Errorf("carol's headlines section: %d, holds the company's headline: %v", got.status, strings.Contains(got.body, "Q4 kickoff"))
	}
	next(3)
	if got := r.json(t)["section"].(float64); got != 7 {
		t.Errorf("after six moves the section is %v, want 7 (conclude)", got)
	}
	// Notes, through the runner's form as a browser sends it.
	csrf := formCSRF(t, carol.get(page).body)
	if got := carol.form(page, url.Values{"_csrf": {csrf}, "action": {"notes"}, "notes": {"Globex signs off the cut-over on Friday."}}); got.status != 303 {
		t.Errorf("carol saves the notes: %d %s", got.status, got.body)
	}
	// In the meeting: a to-do, an issue solved, an issue sent away.
	if r = carol.api("POST", "/api/v1/todos", map[string]any{"team_id": gs, "title": "Book the cut-over engineers"}); r.status != 201 {
		t.Fatalf("a to-do: %d %s", r.status, r.body)
	}
	r = alan.api("POST", "/api/v1/issues", map[string]any{"team_id": gs, "title": "Canary: Initech pricing leak"})
	canary := strconv.FormatInt(int64(r.json(t)["id"].(float64)), 10)
	if r = alan.api("PATCH", "/api/v1/issues/"+canary, map[string]any{"team_id": lead}); r.status != 200 {
		t.Fatalf("alan sends the issue to Leadership: %d %s", r.status, r.body)
	}
	mailbox := lookupID(t, e, "issue", "acme", "Shared mailbox permissions keep resetting")
	if r = carol.api("POST", "/api/v1/issues/"+strconv.FormatInt(mailbox, 10)+"/solve", map[string]any{"todo": map[string]any{"title": "Reset the mailbox ACLs nightly"}}); r.status != 200 {
		t.Fatalf("carol solves an issue: %d %s", r.status, r.body)
	}
	for _, who := range []struct {
		c      *client
		rating int
	}{{carol, 9}, {alan, 7}} {
		if r = who.c.api("PATCH", "/api/v1/meetings/"+id, map[string]any{"action": "rate", "rating": who.rating}); r.status != 200 {
			t.Fatalf("rating: %d %s", r.status, r.body)
		}
	}
	if r = carol.api("PATCH", "/api/v1/meetings/"+id, map[string]any{"action": "rate", "rating": 11}); r.status != 400 {
		t.Errorf("a rating of 11: %d", r.status)
	}
	if r = carol.api("PATCH", "/api/v1/meetings/"+id, map[string]any{"action": "end"}); r.status != 200 || r.json(t)["rating"].(float64) != 8 {
		t.Fatalf("carol ends it: %d %s", r.status, r.body)
	}

	recap := func(to string) string {
		var text string
		if err := e.db.R.QueryRowContext(context.Background(), "SELECT text_body || html_body FROM outbox WHERE kind = 'meeting' AND to_address = ?", to).Scan(&text); err != nil {
			t.Fatalf("the recap to %s: %v", to, err)
		}
		return text
	}
	carolsRecap, alansRecap := recap("carol@globex.test"), recap("alan@acme.test")
	for _, want := range []string{"Globex signs off the cut-over on Friday.", "Book the cut-over engineers", "Reset the mailbox ACLs nightly", "Shared mailbox permissions keep resetting", "Migrate Globex mail to M365", "First response time (h)", "Average rating: 8"} {
		if !strings.Contains(carolsRecap, want) || !strings.Contains(alansRecap, want) {
			t.Errorf("a recap lacks %q", want)
		}
	}
	if !strings.Contains(alansRecap, "Canary: Initech pricing leak") || !strings.Contains(alansRecap, "Leadership") {
		t.Errorf("alan's recap lacks the issue he sent to Leadership:\n%s", alansRecap)
	}
	for _, word := range []string{"Canary", "Initech pricing", "Leadership"} {
		if strings.Contains(carolsRecap, word) {
			t.Errorf("carol's recap holds %q", word)
		}
	}
	recap("ken@acme.test") // every attendee gets one
}

// TestOneOnOnes: a 1:1 is between a member and their manager, private to
// the two; clients are refused.
func TestOneOnOnes(t *testing.T) {
	e := newEnv(t, nil)
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	alanID := lookupID(t, e, "user", "acme", "alan@acme.test")
	r := ken.api("POST", "/api/v1/one_on_ones", map[string]any{"with_user_id": alanID})
	if r.status != 201 {
		t.Fatalf("ken starts a 1:1 with his manager: %d %s", r.status, r.body)
	}
	id := strconv.FormatInt(int64(r.json(t)["id"].(float64)), 10)
	if r = ken.api("PATCH", "/api/v1/one_on_ones/"+id, map[string]any{"agenda": "Canary: my raise"}); r.status != 200 {
		t.Errorf("ken writes the agenda: %d %s", r.status, r.body)
	}
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	if got := alan.get("/one-on-ones/" + id); got.status != 200 || !strings.Contains(got.body, "Canary: my raise") {
		t.Errorf("alan reads the 1:1: %d", got.status)
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for _, path := range []string{"/one-on-ones/" + id, "/api/v1/one_on_ones/" + id} {
		if got := ada.get(path); got.status != 404 || strings.Contains(got.body, "Canary") {
			t.Errorf("ada, a super admin but neither of the two, opens %s: %d", path, got.status)
		}
	}
	gracesID := lookupID(t, e, "user", "acme", "grace@acme.test")
	if r = ken.api("POST", "/api/v1/one_on_ones", map[string]any{"with_user_id": gracesID}); r.status != 400 {
		t.Errorf("ken starts a 1:1 with grace, neither manager nor report: %d", r.status)
	}
	carol := e.client("acme.localhost").mustLogin("carol@globex.test", "demo-pass-1")
	if r = carol.api("POST", "/api/v1/one_on_ones", map[string]any{"with_user_id": alanID}); r.status != 403 {
		t.Errorf("carol starts a 1:1: %d", r.status)
	}
	if got := carol.get("/one-on-ones"); got.status != 403 {
		t.Errorf("carol opens /one-on-ones: %d", got.status)
	}
	if got := ken.get("/one-on-ones"); got.status != 200 || !strings.Contains(got.body, "Alan Turing") {
		t.Errorf("ken's 1:1s: %d", got.status)
	}
}
