package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestWorkboardsAPIForGina: the guest's rules through the API — she adds a
// task on the board she belongs to, never sees "Acquisition plan", creates
// no workboard or card, and nobody adds her to a top secret card.
func TestWorkboardsAPIForGina(t *testing.T) {
	e := newEnv(t, nil)
	gina := e.client("acme.localhost").mustLogin("gina@guest.test", "demo-pass-1")
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	relaunch := lookupID(t, e, "workboard", "acme", "Website relaunch")
	acquisition := lookupID(t, e, "card", "acme", "Acquisition plan")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }

	list := gina.get("/api/v1/workboards")
	if list.status != 200 || !strings.Contains(list.body, "Website relaunch") || strings.Contains(list.body, "Office move") {
		t.Errorf("gina's workboards: %d %s", list.status, list.body)
	}
	board := gina.get("/api/v1/workboards/" + id(relaunch))
	if !strings.Contains(board.body, "Homepage copy") || strings.Contains(board.body, "Acquisition") {
		t.Errorf("gina's Website relaunch: %s", board.body)
	}
	if r := gina.api("POST", "/api/v1/tasks", map[string]any{"title": "Proofread the hero text", "workboard_id": relaunch}); r.status != 201 {
		t.Errorf("gina adds a task: %d %s", r.status, r.body)
	}
	if r := gina.get("/api/v1/cards/" + id(acquisition)); r.status != 404 || strings.Contains(r.body, "agency") {
		t.Errorf("gina opens Acquisition plan: %d", r.status)
	}
	if r := gina.api("POST", "/api/v1/workboards", map[string]any{"name": "Mine", "security": "open"}); r.status != 403 {
		t.Errorf("gina creates a workboard: %d", r.status)
	}
	if r := gina.api("POST", "/api/v1/cards", map[string]any{"workboard_id": relaunch, "name": "Mine", "security": "open"}); r.status != 403 {
		t.Errorf("gina creates a card: %d", r.status)
	}
	ginaID := lookupID(t, e, "user", "acme", "gina@guest.test")
	if r := alan.api("POST", "/api/v1/cards/"+id(acquisition)+"/members", map[string]any{"user_id": ginaID}); r.status != 400 {
		t.Errorf("alan adds gina to a top secret card: %d %s", r.status, r.body)
	}
	if r := gina.get("/api/v1/tasks?workboard_id=" + id(relaunch)); r.status != 200 || !strings.Contains(r.body, "Proofread the hero text") {
		t.Errorf("gina's tasks: %d %s", r.status, r.body)
	}
	// The card's page: she edits the summary tab; the top secret card is 404.
	homepage := lookupID(t, e, "card", "acme", "Homepage copy")
	page := gina.get("/cards/" + id(homepage))
	if page.status != 200 || !strings.Contains(page.body, "Edit the summary") {
		t.Fatalf("gina's Homepage copy: %d", page.status)
	}
	r := gina.form("/cards/"+id(homepage)+"/summary", url.Values{"_csrf": {formCSRF(t, page.body)}, "summary": {"Hero: **Your IT, handled.** <script>x()</script>"}})
	if r.status != 200 || !strings.Contains(r.body, "<strong>Your IT, handled.</strong>") || strings.Contains(r.body, "<script>x()") {
		t.Errorf("gina saves the summary: %d", r.status)
	}
	if r := gina.get("/cards/" + id(acquisition)); r.status != 404 {
		t.Errorf("gina opens /cards/ of Acquisition plan: %d", r.status)
	}
	// Upcoming lists her tasks, those of cards and boards alike.
	if r := gina.get("/upcoming"); r.status != 200 || !strings.Contains(r.body, "Draft the hero text") || strings.Contains(r.body, "Pick the new CMS") {
		t.Errorf("gina's upcoming: %d", r.status)
	}
	// Clients and external users have no workboards.
	carol := e.client("acme.localhost").mustLogin("carol@globex.test", "demo-pass-1")
	if r := carol.get("/api/v1/workboards"); r.status != 403 {
		t.Errorf("carol lists workboards: %d", r.status)
	}
}
