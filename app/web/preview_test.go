package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func previewPath(id int64) string { return "/users/" + strconv.FormatInt(id, 10) + "/preview" }

// TestPreviewAsErin: ada previews erin and gets erin's own answers, reads
// only: every write is refused with a message that says so, and so are
// her own account's pages; exit brings her back where she started.
func TestPreviewAsErin(t *testing.T) {
	e := newEnv(t, nil)
	erinID := userID(t, e, "acme", "erin@globex.test")
	adaID := userID(t, e, "acme", "ada@acme.test")
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")

	// The button is on erin's profile, a POST with the session's token.
	prof := ada.get("/users/" + strconv.FormatInt(erinID, 10))
	if !strings.Contains(prof.body, `action="`+previewPath(erinID)+`"`) {
		t.Fatalf("no Preview as on erin's profile:\n%s", prof.body)
	}
	r := ada.form(previewPath(erinID), url.Values{"_csrf": {ada.csrf}, "return": {"/settings/users"}})
	if r.status != 303 || r.header.Get("Location") != "/" {
		t.Fatalf("start: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	me := ada.get("/api/v1/me").json(t)
	user, _ := me["user"].(map[string]any)
	preview, _ := me["preview"].(map[string]any)
	if user["email"] != "erin@globex.test" || preview == nil || preview["user_id"] != float64(erinID) ||
		preview["by_user_id"] != float64(adaID) || preview["read_only"] != true {
		t.Fatalf("me while previewing: %v", me)
	}
	if got, want := ada.get("/api/v1/me").json(t)["pages"], erin.get("/api/v1/me").json(t)["pages"]; !sameJSON(got, want) {
		t.Errorf("navigation: %v, erin's own %v", got, want)
	}
	if got, want := ada.get("/api/v1/tickets").body, erin.get("/api/v1/tickets").body; got != want {
		t.Errorf("tickets:\n%s\nerin's own:\n%s", got, want)
	}
	home := ada.get("/")
	if !strings.Contains(home.body, "Previewing as <strong>Erin Editor</strong> (External editor)") ||
		!strings.Contains(home.body, `action="/preview/exit"`) || !strings.Contains(home.body, `class="app previewing"`) {
		t.Errorf("no banner on the home page:\n%s", home.body)
	}

	vpn := ticketPath(ticketID(t, e, "VPN drops every hour"), "/notes")
	if r := ada.api("POST", vpn, map[string]any{"type": "Discussion", "body": "x"}); r.status != 403 ||
		!strings.Contains(r.body, "This is a preview of Erin Editor's portal: it can't change anything.") {
		t.Errorf("a note while previewing: %d %s", r.status, r.body)
	}
	// A page erin has no right to is refused as erin's own session is.
	if got, want := ada.api("GET", "/api/v1/audit", nil), erin.api("GET", "/api/v1/audit", nil); got.status != 403 || got.body != want.body {
		t.Errorf("audit while previewing erin: %d %s; erin's own: %s", got.status, got.body, want.body)
	}
	if r := ada.get("/account/password"); r.status != 403 {
		t.Errorf("own password page while previewing: %d", r.status)
	}
	kenID := userID(t, e, "acme", "ken@acme.test")
	if r := ada.api("POST", "/api/v1/previews", map[string]any{"user_id": kenID}); r.status != 403 || !strings.Contains(r.body, "exit this preview") {
		t.Errorf("nested preview: %d %s", r.status, r.body)
	}

	r = ada.form("/preview/exit", url.Values{"_csrf": {ada.csrf}})
	if r.status != 303 || r.header.Get("Location") != "/settings/users" {
		t.Fatalf("exit: %d %s", r.status, r.header.Get("Location"))
	}
	if me := ada.get("/api/v1/me").json(t); me["preview"] != nil || me["user"].(map[string]any)["email"] != "ada@acme.test" {
		t.Errorf("me after exit: %v", me)
	}
	var starts, ends int
	ctx := context.Background()
	_ = e.db.R.QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE action = 'preview.start' AND actor_id = ? AND object_id = ?", adaID, erinID).Scan(&starts)
	_ = e.db.R.QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE action = 'preview.end' AND actor_id = ? AND summary LIKE '%(exit)'", adaID).Scan(&ends)
	if starts != 1 || ends != 1 {
		t.Errorf("audit: %d starts, %d ends", starts, ends)
	}
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestPreviewAsTestUser: tess is the test user, so her preview writes, as
// her, with ada named as the impersonator.
func TestPreviewAsTestUser(t *testing.T) {
	e := newEnv(t, nil)
	tessID := userID(t, e, "acme", "tess@acme.test")
	adaID := userID(t, e, "acme", "ada@acme.test")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	if r := ada.api("POST", "/api/v1/previews", map[string]any{"user_id": tessID}); r.status != 201 || r.json(t)["read_only"] != false {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	r := ada.api("POST", "/api/v1/tickets", map[string]any{"title": "Printer jams", "board_id": boardID(t, e, "acme", "Service Desk"),
		"company_id": lookupID(t, e, "company", "acme", "Acme Test Co")})
	if r.status != 201 {
		t.Fatalf("tess opens a ticket: %d %s", r.status, r.body)
	}
	var actor, impersonator int64
	err := e.db.R.QueryRowContext(context.Background(),
		"SELECT actor_id, impersonator_id FROM audit_log WHERE action = 'ticket.create' ORDER BY id DESC LIMIT 1").Scan(&actor, &impersonator)
	if err != nil || actor != tessID || impersonator != adaID {
		t.Errorf("audit of the write: actor %d impersonator %d (%v)", actor, impersonator, err)
	}
	if r := ada.api("POST", "/account/password", map[string]any{}); r.status != 403 {
		t.Errorf("own password while previewing the test user: %d", r.status)
	}
	if r := ada.api("DELETE", "/api/v1/previews/current", nil); r.status != 204 {
		t.Errorf("end: %d %s", r.status, r.body)
	}
	if me := ada.get("/api/v1/me").json(t); me["preview"] != nil {
		t.Errorf("me after end: %v", me)
	}
}

// TestPreviewRefusals: nobody previews a super admin or someone with more
// rights; members without admin rights preview nobody; another tenant's
// user is not found.
func TestPreviewRefusals(t *testing.T) {
	e := newEnv(t, nil)
	adaID := userID(t, e, "acme", "ada@acme.test")
	alanID := userID(t, e, "acme", "alan@acme.test")
	erinID := userID(t, e, "acme", "erin@globex.test")
	ninaID := userID(t, e, "northwind", "nina@northwind.test")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	for _, sc := range []struct {
		name   string
		c      *client
		id     int64
		status int
		text   string
	}{
		{"alan the admin, ada the super admin", alan, adaID, 403, "Nobody previews a super admin."},
		{"ada herself", ada, adaID, 403, "This is you"},
		{"ken, no admin", ken, erinID, 403, ""},
		{"another tenant's user", ada, ninaID, 404, ""},
		{"nobody", ada, 999999, 404, ""},
	} {
		r := sc.c.api("POST", "/api/v1/previews", map[string]any{"user_id": sc.id})
		if r.status != sc.status || !strings.Contains(r.body, sc.text) {
			t.Errorf("%s: %d %s", sc.name, r.status, r.body)
		}
	}
	if r := alan.api("POST", "/api/v1/previews", map[string]any{"user_id": erinID}); r.status != 201 {
		t.Errorf("alan previews erin: %d %s", r.status, r.body)
	}
	// ada previews alan, an admin: his portal, but no administration.
	if r := ada.api("POST", "/api/v1/previews", map[string]any{"user_id": alanID}); r.status != 201 {
		t.Fatalf("ada previews alan: %d %s", r.status, r.body)
	}
	for _, path := range []string{"/settings/users", "/audit", "/api/v1/audit"} {
		if r := ada.get(path); r.status != 403 || !strings.Contains(r.body, "administration is not part of a preview") {
			t.Errorf("%s while previewing alan: %d %s", path, r.status, r.body)
		}
	}
	if r := ada.get("/"); r.status != 200 {
		t.Errorf("alan's home while previewing: %d", r.status)
	}
}

// TestPreviewEnds: after 30 minutes, and when the admin may no longer
// preview (demoted), the next request is the admin's own, recorded.
func TestPreviewEnds(t *testing.T) {
	e := newEnv(t, nil)
	erinID := userID(t, e, "acme", "erin@globex.test")
	alanID := userID(t, e, "acme", "alan@acme.test")
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ctx := context.Background()
	start := func() {
		t.Helper()
		if r := alan.api("POST", "/api/v1/previews", map[string]any{"user_id": erinID}); r.status != 201 {
			t.Fatalf("start: %d %s", r.status, r.body)
		}
	}
	start()
	if _, err := e.db.W.ExecContext(ctx, "UPDATE sessions SET preview_started_at = ? WHERE user_id = ?", time.Now().UTC().Add(-31*time.Minute), alanID); err != nil {
		t.Fatal(err)
	}
	if me := alan.get("/api/v1/me").json(t); me["preview"] != nil || me["user"].(map[string]any)["email"] != "alan@acme.test" {
		t.Errorf("me after 31 minutes: %v", me)
	}
	start()
	if _, err := e.db.W.ExecContext(ctx, "DELETE FROM user_capabilities WHERE user_id = ?", alanID); err != nil {
		t.Fatal(err)
	}
	if me := alan.get("/api/v1/me").json(t); me["preview"] != nil || me["user"].(map[string]any)["email"] != "alan@acme.test" {
		t.Errorf("me after demotion: %v", me)
	}
	var expiry, demotion int
	_ = e.db.R.QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE action = 'preview.end' AND summary LIKE '%(expiry)'").Scan(&expiry)
	_ = e.db.R.QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE action = 'preview.end' AND summary LIKE '%(demotion)'").Scan(&demotion)
	if expiry != 1 || demotion != 1 {
		t.Errorf("audit: %d expiry, %d demotion", expiry, demotion)
	}
}

// TestPreviewButtonsAndLogout: "Preview as" shows where the route would
// accept it, and nowhere during a preview; signing out ends the preview
// with a record.
func TestPreviewButtonsAndLogout(t *testing.T) {
	e := newEnv(t, nil)
	erinID := userID(t, e, "acme", "erin@globex.test")
	adaID := userID(t, e, "acme", "ada@acme.test")
	erinEdit := "/settings/users/" + strconv.FormatInt(erinID, 10)
	erinProfile := "/users/" + strconv.FormatInt(erinID, 10)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	if r := alan.get(erinEdit); !strings.Contains(r.body, `action="`+previewPath(erinID)+`"`) || !strings.Contains(r.body, `name="return" value="`+erinEdit+`"`) {
		t.Errorf("no Preview as on erin's settings page for alan:\n%s", r.body)
	}
	if r := alan.get("/settings/users"); !strings.Contains(r.body, `action="`+previewPath(erinID)+`"`) || strings.Contains(r.body, previewPath(adaID)) {
		t.Errorf("Preview as in the users list: erin's missing or ada's shown:\n%s", r.body)
	}
	if r := alan.get("/users/" + strconv.FormatInt(adaID, 10)); strings.Contains(r.body, "/preview\"") {
		t.Errorf("Preview as on the super admin's profile for alan")
	}
	if r := ken.get(erinProfile); strings.Contains(r.body, previewPath(erinID)) {
		t.Errorf("Preview as on erin's profile for ken")
	}
	if r := alan.api("POST", "/api/v1/previews", map[string]any{"user_id": erinID}); r.status != 201 {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	if r := alan.get(erinProfile); strings.Contains(r.body, previewPath(erinID)) {
		t.Errorf("Preview as during a preview")
	}
	if r := alan.form("/logout", url.Values{"_csrf": {alan.csrf}}); r.status != 303 {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	var n int
	_ = e.db.R.QueryRowContext(context.Background(), "SELECT count(*) FROM audit_log WHERE action = 'preview.end' AND summary LIKE '%(logout)'").Scan(&n)
	if n != 1 {
		t.Errorf("%d preview.end (logout) records", n)
	}
}

// TestPreviewCompanySwitcher: the company switcher changes what a session
// shows, not the workspace, so it works in a read-only preview exactly as
// in the user's own session; a preview starts with all of the user's
// companies, and exit leaves no choice behind.
func TestPreviewCompanySwitcher(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	erinID := userID(t, e, "acme", "erin@globex.test")
	globex, initech := lookupID(t, e, "company", "acme", "Globex Corporation"), lookupID(t, e, "company", "acme", "Initech")
	if r := ada.api("PATCH", "/api/v1/users/"+strconv.FormatInt(erinID, 10), map[string]any{"company_ids": []int64{globex, initech}}); r.status != 200 {
		t.Fatalf("give erin Initech: %d %s", r.status, r.body)
	}
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	if r := alan.api("POST", "/api/v1/previews", map[string]any{"user_id": erinID}); r.status != 201 {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	all := erin.get("/api/v1/tickets").body
	if got := alan.get("/api/v1/tickets").body; got != all {
		t.Errorf("tickets before switching:\n%s\nerin's own:\n%s", got, all)
	}
	for _, c := range []*client{erin, alan} {
		if r := c.form("/companies/switch", url.Values{"_csrf": {c.csrf}, "company_id": {strconv.FormatInt(initech, 10)}, "next": {"/tickets"}}); r.status != 303 {
			t.Fatalf("switch to Initech: %d %s", r.status, r.body)
		}
	}
	own := erin.get("/api/v1/tickets").body
	if got := alan.get("/api/v1/tickets").body; got != own || own == all || strings.Contains(own, "VPN drops every hour") {
		t.Errorf("tickets in Initech while previewing:\n%s\nerin's own:\n%s", got, own)
	}
	if r := alan.api("DELETE", "/api/v1/previews/current", nil); r.status != 204 {
		t.Fatalf("end: %d", r.status)
	}
	var left int
	_ = e.db.R.QueryRowContext(context.Background(), "SELECT count(*) FROM sessions WHERE user_id = ? AND company_id IS NOT NULL", userID(t, e, "acme", "alan@acme.test")).Scan(&left)
	if left != 0 {
		t.Errorf("alan's session keeps erin's company choice")
	}
	if r := alan.api("POST", "/api/v1/previews", map[string]any{"user_id": erinID}); r.status != 201 {
		t.Fatalf("start again: %d", r.status)
	}
	if got := alan.get("/api/v1/tickets").body; got != all {
		t.Errorf("a new preview does not start with all of erin's companies")
	}
}
