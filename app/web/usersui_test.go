package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestUsersPages(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	if r := ken.get("/settings/users"); r.status != 403 {
		t.Errorf("member opens Settings → Users: %d", r.status)
	}
	page := alan.get("/settings/users")
	if page.status != 200 {
		t.Fatalf("users page: %d", page.status)
	}
	for _, want := range []string{"Carol Client", "avatar-client", "Invite people", "Test user", "No pending invitations"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("users page lacks %q", want)
		}
	}
	// Alan manages ken but not ada (a super admin).
	kenID, adaID := userID(t, e, "acme", "ken@acme.test"), userID(t, e, "acme", "ada@acme.test")
	if !strings.Contains(page.body, "/settings/users/"+strconv.FormatInt(kenID, 10)+`"`) || strings.Contains(page.body, "/settings/users/"+strconv.FormatInt(adaID, 10)+`"`) {
		t.Error("edit links do not follow the policy")
	}
	if r := alan.get("/settings/users/" + strconv.FormatInt(adaID, 10)); r.status != 403 {
		t.Errorf("admin opens a super admin: %d", r.status)
	}
	search := alan.do("GET", "/settings/users?q=globex", nil, "", map[string]string{"HX-Request": "true", "HX-Target": "user-rows"})
	if search.status != 200 || strings.Contains(search.body, "<html") || strings.Contains(search.body, "Ken Thompson") || !strings.Contains(search.body, "Erin Editor") {
		t.Errorf("search fragment: %d", search.status)
	}

	form := alan.get("/settings/users/new")
	tok := formCSRF(t, form.body)
	bad := alan.form("/settings/users/new", url.Values{"_csrf": {tok}, "email": {"not an address"}, "kind": {"guest"}, "capabilities": {"admin"}})
	if bad.status != 400 || !strings.Contains(bad.body, `value="not an address"`) || !strings.Contains(bad.body, "Only members can hold admin capabilities.") {
		t.Errorf("bad invite: %d", bad.status)
	}
	var globex string
	_ = e.db.R.QueryRow("SELECT id FROM companies WHERE name = 'Globex Corporation'").Scan(&globex)
	ok := alan.form("/settings/users/new", url.Values{"_csrf": {tok}, "email": {"ivy@globex.test"}, "kind": {"external_editor"},
		"company_ids": {globex}, "module_show_tickets": {"1"}, "module_label_tickets": {"Support"}, "module_show_plan": {"1"}})
	if ok.status != 303 || ok.header.Get("Location") != "/settings/users?done=invited" {
		t.Fatalf("invite: %d %s", ok.status, ok.body)
	}
	after := alan.get("/settings/users?done=invited")
	if !strings.Contains(after.body, "Invitation sent.") || !strings.Contains(after.body, "ivy@globex.test") || !strings.Contains(after.body, ">Queued") {
		t.Errorf("invitation not listed with its delivery state")
	}

	// Edit ken: hide a page, and deactivate from the status form.
	editURL := "/settings/users/" + strconv.FormatInt(kenID, 10)
	edit := alan.get(editURL)
	if edit.status != 200 || !strings.Contains(edit.body, "Deactivate") {
		t.Fatalf("edit page: %d", edit.status)
	}
	saved := alan.form(editURL, url.Values{"_csrf": {tok}, "kind": {"member"}, "name": {"Ken T."}, "hidden_pages": {"heatmap"}})
	if saved.status != 303 {
		t.Fatalf("save: %d %s", saved.status, saved.body)
	}
	if me := ken.api("GET", "/api/v1/me", nil).body; strings.Contains(me, `"key":"heatmap"`) || !strings.Contains(me, `"name":"Ken T."`) {
		t.Errorf("ken after edit: %s", me)
	}
	deact := alan.form(editURL+"/status", url.Values{"_csrf": {tok}, "status": {"deactivated"}})
	if deact.status != 303 {
		t.Fatalf("deactivate: %d", deact.status)
	}
	if r := ken.api("GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("ken's session after deactivation: %d", r.status)
	}
	// The guest cannot be given a capability through the form either.
	gina := "/settings/users/" + strconv.FormatInt(userID(t, e, "acme", "gina@guest.test"), 10)
	r := alan.form(gina, url.Values{"_csrf": {tok}, "kind": {"guest"}, "name": {"Gina Guest"}, "capabilities": {"billing_admin"}})
	if r.status != 400 || !strings.Contains(r.body, "Only members can hold admin capabilities.") {
		t.Errorf("capability for a guest through the form: %d", r.status)
	}
}
