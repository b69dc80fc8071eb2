package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func contactURL(r response, t *testing.T) string {
	t.Helper()
	return "/api/v1/contacts/" + strconv.FormatInt(int64(r.json(t)["id"].(float64)), 10)
}

func contactAudits(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.db.R.NewRaw("SELECT COUNT(*) FROM audit_log WHERE action = 'contact.change'").Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestContactsScenarios: who sees and changes which company's contacts,
// through the API and the page. A decision: a company outside the
// caller's companies is "not yours", 403 for the field company; a contact
// outside the caller's scope is 404.
func TestContactsScenarios(t *testing.T) {
	e := newEnv(t, nil)
	const host = "acme.localhost"
	ada := e.client(host).mustLogin("ada@acme.test", "demo-pass-1")
	erin := e.client(host).mustLogin("erin@globex.test", "demo-pass-1")
	oscar := e.client(host).mustLogin("oscar@initech.test", "demo-pass-1")
	globex, initech := companyID(t, e, "acme", "Globex Corporation"), companyID(t, e, "acme", "Initech")

	// Victor gets the contacts module shown: he reads, never writes.
	victorPath := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "victor@globex.test"), 10)
	mods := []map[string]any{{"key": "plan", "show": true}, {"key": "tickets", "show": true}, {"key": "reports", "show": true}, {"key": "contacts", "show": true}}
	if r := ada.api("PATCH", victorPath, map[string]any{"modules": mods}); r.status != 200 {
		t.Fatalf("show contacts to victor: %d %s", r.status, r.body)
	}
	victor := e.client(host).mustLogin("victor@globex.test", "demo-pass-1")

	canary := ada.api("POST", "/api/v1/contacts", map[string]any{"company_id": initech, "name": "CANARY-CT-91", "email": "canary@initech.test"})
	if canary.status != 201 {
		t.Fatalf("ada adds the canary: %d %s", canary.status, canary.body)
	}
	canaryURL := contactURL(canary, t)
	withExt := ada.api("POST", "/api/v1/contacts", map[string]any{"company_id": globex, "name": "Sam Sync", "external_id": "psa-42"})
	if withExt.status != 201 || withExt.json(t)["external_id"] != "psa-42" {
		t.Fatalf("ada adds a contact with an external ID: %d %s", withExt.status, withExt.body)
	}
	samURL := contactURL(withExt, t)

	erinAdds := erin.api("POST", "/api/v1/contacts", map[string]any{"company_id": globex, "name": "Gail Globex", "title": "Buyer", "email": "gail@globex.test"})
	if erinAdds.status != 201 {
		t.Fatalf("erin adds a Globex contact: %d %s", erinAdds.status, erinAdds.body)
	}
	gailURL := contactURL(erinAdds, t)

	for _, sc := range []struct {
		name         string
		c            *client
		method, path string
		body         any
		status       int
		has, hasNot  string
		code         string
	}{
		{"erin lists Globex only", erin, "GET", "/api/v1/contacts", nil, 200, `"Erin Editor"`, "CANARY", ""},
		{"erin's list has no Initech contact", erin, "GET", "/api/v1/contacts", nil, 200, "Gail Globex", "Oscar Own-Tickets", ""},
		{"erin searches the canary", erin, "GET", "/api/v1/contacts?q=canary", nil, 200, `"items":[]`, "CANARY", ""},
		{"erin filters by Initech", erin, "GET", "/api/v1/contacts?company_id=" + strconv.FormatInt(initech, 10), nil, 200, `"items":[]`, "CANARY", ""},
		{"erin's page", erin, "GET", "/contacts", nil, 200, "Marcus Webb", "CANARY", ""},
		{"erin's page searching", erin, "GET", "/contacts?q=CANARY", nil, 200, "No contacts match", "CANARY-CT", ""},
		{"erin opens the canary", erin, "GET", canaryURL, nil, 404, "", "CANARY", "not_found"},
		{"erin opens the canary's page", erin, "GET", strings.TrimPrefix(canaryURL, "/api/v1"), nil, 404, "", "CANARY", ""},
		{"erin changes the canary", erin, "PATCH", canaryURL, map[string]any{"name": "mine"}, 404, "", "", "not_found"},
		{"erin deletes the canary", erin, "DELETE", canaryURL, nil, 404, "", "", "not_found"},
		{"erin adds for Initech", erin, "POST", "/api/v1/contacts", map[string]any{"company_id": initech, "name": "X"}, 403, `"company"`, "", "forbidden"},
		{"erin sets an external ID", erin, "POST", "/api/v1/contacts", map[string]any{"company_id": globex, "name": "X", "external_id": "e"}, 403, `"external_id"`, "", "forbidden"},
		{"erin does not see external IDs", erin, "GET", samURL, nil, 200, "Sam Sync", "external_id", ""},
		{"erin edits her company's contact", erin, "PATCH", gailURL, map[string]any{"phone": "+1 555 0111"}, 200, "+1 555 0111", "", ""},
		{"erin links a user of another company", erin, "PATCH", gailURL, map[string]any{"user_id": userID(t, e, "acme", "oscar@initech.test")}, 400, `"user"`, "", "invalid"},
		{"erin sends an unknown field", erin, "PATCH", gailURL, map[string]any{"company": "x"}, 400, "", "", "invalid"},
		{"erin sends a bad email", erin, "POST", "/api/v1/contacts", map[string]any{"company_id": globex, "name": "X", "email": "nope"}, 400, `"email"`, "", "invalid"},
		{"victor reads", victor, "GET", "/api/v1/contacts", nil, 200, "Gail Globex", "CANARY", ""},
		{"victor's page has no form", victor, "GET", "/contacts", nil, 200, "Gail Globex", "Add contact", ""},
		{"victor's contact page has no form", victor, "GET", strings.TrimPrefix(gailURL, "/api/v1"), nil, 200, "Buyer", "Delete contact", ""},
		{"victor adds", victor, "POST", "/api/v1/contacts", map[string]any{"company_id": globex, "name": "X"}, 403, "", "", "forbidden"},
		{"victor changes", victor, "PATCH", gailURL, map[string]any{"name": "X"}, 403, "", "", "forbidden"},
		{"victor deletes", victor, "DELETE", gailURL, nil, 403, "", "", "forbidden"},
		{"oscar has no contacts page", oscar, "GET", "/contacts", nil, 403, "", "", ""},
		{"oscar has no contacts API", oscar, "GET", "/api/v1/contacts", nil, 403, "", "", "forbidden"},
		{"oscar cannot open his own contact", oscar, "GET", canaryURL, nil, 403, "", "CANARY", "forbidden"},
		{"ada sees every company", ada, "GET", "/api/v1/contacts?limit=200", nil, 200, "CANARY-CT-91", "", ""},
		{"ada sees external IDs", ada, "GET", samURL, nil, 200, `"external_id":"psa-42"`, "", ""},
		{"ada's page has the filter", ada, "GET", "/contacts", nil, 200, "All companies", "", ""},
		{"erin's page has no company filter", erin, "GET", "/contacts", nil, 200, "Add contact", "All companies", ""},
		{"a taken external ID", ada, "PATCH", gailURL, map[string]any{"external_id": "psa-42"}, 409, "", "", "conflict"},
		{"a bad cursor", ada, "GET", "/api/v1/contacts?cursor=xyz", nil, 400, "cursor", "", "invalid"},
	} {
		t.Run(sc.name, func(t *testing.T) {
			r := sc.c.api(sc.method, sc.path, sc.body)
			if r.status != sc.status || (sc.code != "" && r.errorCode() != sc.code) {
				t.Fatalf("%s %s = %d %s", sc.method, sc.path, r.status, r.body)
			}
			if sc.has != "" && !strings.Contains(r.body, sc.has) {
				t.Errorf("%s %s lacks %q:\n%.600s", sc.method, sc.path, sc.has, r.body)
			}
			if sc.hasNot != "" && strings.Contains(r.body, sc.hasNot) {
				t.Errorf("%s %s shows %q", sc.method, sc.path, sc.hasNot)
			}
		})
	}

	// Another tenant's contact ID is worthless here.
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	nw := nina.api("POST", "/api/v1/contacts", map[string]any{"company_id": companyID(t, e, "northwind", "Contoso"), "name": "Northwind person"})
	if nw.status != 201 {
		t.Fatalf("nina adds a contact: %d %s", nw.status, nw.body)
	}
	if r := ada.get(contactURL(nw, t)); r.status != 404 || strings.Contains(r.body, "Northwind person") {
		t.Errorf("a Northwind contact on the acme host: %d %s", r.status, r.body)
	}

	// Upsert by external ID: created, then the same body changes nothing.
	body := map[string]any{"company_id": globex, "name": "Pat PSA", "email": "pat@globex.test"}
	if r := ada.api("PUT", "/api/v1/contacts/by-external-id/psa%2F9", body); r.status != 201 || r.json(t)["external_id"] != "psa/9" {
		t.Fatalf("first upsert: %d %s", r.status, r.body)
	}
	n := contactAudits(t, e)
	if r := ada.api("PUT", "/api/v1/contacts/by-external-id/psa%2F9", body); r.status != 200 || !strings.Contains(r.body, "Pat PSA") {
		t.Errorf("second upsert: %d %s", r.status, r.body)
	}
	if contactAudits(t, e) != n {
		t.Errorf("the same upsert twice was recorded twice")
	}
	if r := erin.api("PUT", "/api/v1/contacts/by-external-id/psa-10", body); r.status != 403 {
		t.Errorf("erin upserts: %d %s", r.status, r.body)
	}
}

// TestContactsForms: erin adds, edits and deletes a contact with the
// page's forms, a refused field is marked next to it, and her form
// has her one company as a hidden field.
func TestContactsForms(t *testing.T) {
	e := newEnv(t, nil)
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	page := erin.get("/contacts")
	if page.status != 200 || !strings.Contains(page.body, `type="hidden" name="company_id"`) || !strings.Contains(page.body, "Erin Editor") {
		t.Fatalf("the page: %d %s", page.status, page.body)
	}
	globex := strconv.FormatInt(companyID(t, e, "acme", "Globex Corporation"), 10)

	r := erin.htmx("POST", "/contacts", url.Values{"company_id": {globex}, "name": {""}, "email": {"nope"}})
	if r.status != 400 || !strings.Contains(r.body, "Enter the contact&#39;s name.") || !strings.Contains(r.body, `aria-invalid="true"`) ||
		!strings.Contains(r.body, "name@example.com") || strings.Contains(r.body, "<html") {
		t.Errorf("a refused form: %d %s", r.status, r.body)
	}
	r = erin.htmx("POST", "/contacts", url.Values{"company_id": {globex}, "name": {"Rita Reception"}, "phone": {"+1 555 0199"}, "user_id": {""}})
	if r.status != 204 || r.header.Get("HX-Redirect") != "/contacts" {
		t.Fatalf("add: %d %s", r.status, r.body)
	}
	var id int64
	if err := e.db.R.QueryRow("SELECT id FROM contacts WHERE name = 'Rita Reception'").Scan(&id); err != nil {
		t.Fatal(err)
	}
	path := "/contacts/" + strconv.FormatInt(id, 10)
	if r := erin.get(path); r.status != 200 || !strings.Contains(r.body, "Delete contact") || !strings.Contains(r.body, "+1 555 0199") {
		t.Errorf("the contact's page: %d", r.status)
	}
	erinID := strconv.FormatInt(userID(t, e, "acme", "erin@globex.test"), 10)
	r = erin.htmx("POST", path, url.Values{"company_id": {globex}, "name": {"Rita Front Desk"}, "user_id": {erinID}})
	if r.status != 204 {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	if r := erin.get("/contacts?q=front"); !strings.Contains(r.body, "Rita Front Desk") || !strings.Contains(r.body, "1 contact") {
		t.Errorf("search after save: %s", r.body)
	}
	if r := erin.htmx("POST", path+"/delete", url.Values{}); r.status != 204 {
		t.Errorf("delete: %d %s", r.status, r.body)
	}
	if r := erin.get(path); r.status != 404 {
		t.Errorf("deleted contact's page: %d", r.status)
	}
	// Another company's ID in the form is refused.
	initech := strconv.FormatInt(companyID(t, e, "acme", "Initech"), 10)
	if r := erin.htmx("POST", "/contacts", url.Values{"company_id": {initech}, "name": {"X"}}); r.status != 403 {
		t.Errorf("erin adds for Initech through the form: %d", r.status)
	}
}

// TestContactsTokens: an integration token with contacts:write reads and
// writes contacts; one with only companies:write is refused.
func TestContactsTokens(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ct := e.bearer("acme.localhost", makeToken(t, alan, "/settings/integrations", url.Values{"name": {"PSA contacts"}, "scopes": {"contacts:write"}}))
	co := e.bearer("acme.localhost", makeToken(t, alan, "/settings/integrations", url.Values{"name": {"PSA companies"}, "scopes": {"companies:write"}}))
	globex := companyID(t, e, "acme", "Globex Corporation")
	if r := ct.get("/api/v1/contacts"); r.status != 200 || !strings.Contains(r.body, "Erin Editor") {
		t.Errorf("list with contacts:write: %d", r.status)
	}
	if r := ct.api("PUT", "/api/v1/contacts/by-external-id/cw-1", map[string]any{"company_id": globex, "name": "Synced"}); r.status != 201 {
		t.Errorf("upsert with contacts:write: %d %s", r.status, r.body)
	}
	for _, r := range []response{
		co.get("/api/v1/contacts"),
		co.api("POST", "/api/v1/contacts", map[string]any{"company_id": globex, "name": "X"}),
	} {
		if r.status != 403 || r.errorCode() != "token_scope" {
			t.Errorf("companies:write on contacts: %d %s", r.status, r.body)
		}
	}
}
