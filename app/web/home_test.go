package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestExternalHome: an external user's home has a section per module in
// their navigation and none for the others, and the support contact that
// an admin sets on Settings → Branding (or through the API).
func TestExternalHome(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")

	r := erin.get("/")
	if r.status != 200 {
		t.Fatalf("erin's home: %d", r.status)
	}
	for _, want := range []string{"Open tickets", "All open in Support", "VPN drops every hour", "What changed", "Latest report",
		"Recent articles", "All in Knowledge Base", "Globex VPN setup guide", "Contact support", "No contact details yet"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("erin's home lacks %q", want)
		}
	}
	if !strings.Contains(r.body, "Globex service review") && !strings.Contains(r.body, "Globex Q3 QBR") {
		t.Error("erin's home lacks the latest published Globex report")
	}
	for _, not := range []string{"Printer offline", "Globex Q4 QBR", "On-call runbook", "Contoso"} {
		if strings.Contains(r.body, not) {
			t.Errorf("erin's home shows %q", not)
		}
	}

	// Ada sets the support contact; erin sees it. A bad address is refused.
	if r := ada.api("PATCH", "/api/v1/settings", map[string]any{"support": map[string]any{"email": "not an address"}}); r.status != 400 {
		t.Errorf("bad support email: %d %s", r.status, r.body)
	}
	if r := ada.api("PATCH", "/api/v1/settings", map[string]any{"support": map[string]any{
		"email": "help@acme.test", "phone": "+44 20 7946 0000", "hours": "Mon–Fri 8:00–18:00"}}); r.status != 200 ||
		!strings.Contains(r.body, `"support":{"email":"help@acme.test"`) {
		t.Fatalf("set support: %d %s", r.status, r.body)
	}
	if r := erin.api("PATCH", "/api/v1/settings", map[string]any{"support": map[string]any{"email": "x@y.test"}}); r.status != 403 {
		t.Errorf("erin sets support: %d", r.status)
	}
	r = erin.get("/")
	for _, want := range []string{`href="mailto:help@acme.test"`, `href="tel:+442079460000"`, "Mon–Fri 8:00–18:00"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("erin's home lacks %q after ada set the contact", want)
		}
	}
	if r := ada.get("/settings/branding"); !strings.Contains(r.body, `value="help@acme.test"`) {
		t.Error("the branding form does not show the support email")
	}

	// Oscar has only tickets: no reports or knowledge base sections.
	oscar := e.client("acme.localhost").mustLogin("oscar@initech.test", "demo-pass-1")
	r = oscar.get("/")
	if r.status != 200 || !strings.Contains(r.body, "Open tickets") || !strings.Contains(r.body, "Contact support") {
		t.Errorf("oscar's home: %d", r.status)
	}
	for _, not := range []string{"Latest report", "Recent articles", "Globex"} {
		if strings.Contains(r.body, not) {
			t.Errorf("oscar's home shows %q", not)
		}
	}
	// Victor: tickets and reports, no knowledge base.
	victor := e.client("acme.localhost").mustLogin("victor@globex.test", "demo-pass-1")
	r = victor.get("/")
	if !strings.Contains(r.body, "Open tickets") || !strings.Contains(r.body, "Latest report") || strings.Contains(r.body, "Recent articles") {
		t.Errorf("victor's home: %d", r.status)
	}
	if strings.Contains(r.body, ">New ticket<") {
		t.Error("victor, a viewer, is offered a new ticket")
	}
	// A guest has nothing yet; a client sees her work in her team.
	gina := e.client("acme.localhost").mustLogin("gina@guest.test", "demo-pass-1")
	if r := gina.get("/"); r.status != 200 || !strings.Contains(r.body, "Nothing assigned to you yet") || strings.Contains(r.body, "Contact support") {
		t.Errorf("gina's home: %d", r.status)
	}
	carol := e.client("acme.localhost").mustLogin("carol@globex.test", "demo-pass-1")
	r = carol.get("/")
	for _, want := range []string{"Your to-dos", "Confirm the cut-over weekend with Globex finance", "Your rocks", "Migrate Globex mail to M365", "Globex Success"} {
		if r.status != 200 || !strings.Contains(r.body, want) {
			t.Errorf("carol's home lacks %q (%d)", want, r.status)
		}
	}
	for _, not := range []string{"Contact support", "Send the MFA rollout plan", "Roll out MFA", "Leadership"} {
		if strings.Contains(r.body, not) {
			t.Errorf("carol's home shows %q", not)
		}
	}
	if r = carol.get("/upcoming"); r.status != 200 || !strings.Contains(r.body, "Confirm the cut-over weekend with Globex finance") || strings.Contains(r.body, "Send the MFA rollout plan") {
		t.Errorf("carol's upcoming: %d", r.status)
	}
	// A member with tickets assigned sees how many, linked to the list.
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	r = ken.get("/")
	if r.status != 200 || strings.Contains(r.body, "Contact support") || strings.Contains(r.body, "Open tickets") ||
		!strings.Contains(r.body, "assigned to you") || !strings.Contains(r.body, "open=true&amp;assignee=") {
		t.Errorf("ken's home: %d", r.status)
	}
}

// erinModules are erin's demo modules with companies shown as well.
func erinModules(extra ...map[string]any) map[string]any {
	ms := []map[string]any{
		{"key": "plan", "show": true}, {"key": "tickets", "show": true, "label": "Support"}, {"key": "reports", "show": true},
		{"key": "office365", "show": true, "label": "M365"}, {"key": "contacts", "show": true},
		{"key": "external_content", "show": true, "label": "Knowledge Base"}, {"key": "companies", "show": true},
	}
	return map[string]any{"modules": append(ms, extra...)}
}

// TestPortalCompanies: Portal → Companies lists every company for members
// and only their assigned ones for external users, who need the module.
func TestPortalCompanies(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	r := ada.get("/companies")
	for _, want := range []string{"Globex Corporation", "Initech", "Umbrella Health", "Acme Test Co", "4 companies", `href="/tickets?company=`, `href="/contacts?company_id=`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("ada's companies lack %q", want)
		}
	}
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	if r := erin.get("/companies"); r.status != 403 {
		t.Errorf("erin without the module: %d", r.status)
	}
	erinID := strconv.FormatInt(lookupID(t, e, "user", "acme", "erin@globex.test"), 10)
	if r := ada.api("PATCH", "/api/v1/users/"+erinID, erinModules()); r.status != 200 {
		t.Fatalf("give erin companies: %d %s", r.status, r.body)
	}
	r = erin.get("/companies")
	if r.status != 200 || !strings.Contains(r.body, "Globex Corporation") || !strings.Contains(r.body, ">Support<") || !strings.Contains(r.body, "1 company") {
		t.Errorf("erin's companies: %d", r.status)
	}
	for _, not := range []string{"Initech", "Umbrella", "Acme Test Co", "Managed clients"} {
		if strings.Contains(r.body, not) {
			t.Errorf("erin's companies show %q", not)
		}
	}
}

// TestCompanySwitcher: an external user with several companies chooses
// one in the top bar; every module's list narrows to it, objects of the
// others are 404, and "All my companies" brings them all back.
func TestCompanySwitcher(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	erinID := strconv.FormatInt(lookupID(t, e, "user", "acme", "erin@globex.test"), 10)
	globex, initech := lookupID(t, e, "company", "acme", "Globex Corporation"), lookupID(t, e, "company", "acme", "Initech")
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	if r := erin.get("/"); strings.Contains(r.body, `action="/companies/switch"`) {
		t.Error("erin with one company sees the switcher")
	}
	if r := ada.api("PATCH", "/api/v1/users/"+erinID, erinModules()); r.status != 200 {
		t.Fatalf("modules: %d %s", r.status, r.body)
	}
	if r := ada.api("PATCH", "/api/v1/users/"+erinID, map[string]any{"company_ids": []int64{globex, initech}}); r.status != 200 {
		t.Fatalf("give erin Initech: %d %s", r.status, r.body)
	}
	vpn := "/tickets/" + strconv.FormatInt(lookupID(t, e, "ticket", "acme", "VPN drops every hour"), 10)
	printer := "/tickets/" + strconv.FormatInt(lookupID(t, e, "ticket", "acme", "Printer offline"), 10)

	home := erin.get("/tickets")
	if !strings.Contains(home.body, `action="/companies/switch"`) || !strings.Contains(home.body, "All my companies") {
		t.Fatal("erin with two companies has no switcher")
	}
	if !strings.Contains(home.body, "VPN drops every hour") || !strings.Contains(home.body, "Printer offline") {
		t.Error("erin's tickets before switching lack one company's")
	}
	csrf := formCSRF(t, home.body)
	switchTo := func(id string) response {
		return erin.form("/companies/switch", url.Values{"_csrf": {csrf}, "company_id": {id}, "next": {"/tickets"}})
	}
	if r := switchTo(strconv.FormatInt(lookupID(t, e, "company", "acme", "Umbrella Health"), 10)); r.status != 404 {
		t.Errorf("switch to a company not hers: %d", r.status)
	}
	if r := erin.do("POST", "/companies/switch", strings.NewReader("company_id="+strconv.FormatInt(initech, 10)),
		"application/x-www-form-urlencoded", nil); r.status != 403 {
		t.Errorf("switch without CSRF: %d", r.status)
	}
	if r := switchTo(strconv.FormatInt(initech, 10)); r.status != 303 && r.status != 302 || r.header.Get("Location") != "/tickets" {
		t.Fatalf("switch to Initech: %d %s", r.status, r.header.Get("Location"))
	}
	r := erin.get("/tickets")
	if !strings.Contains(r.body, "Printer offline") || strings.Contains(r.body, "VPN drops every hour") ||
		!strings.Contains(r.body, `<option value="`+strconv.FormatInt(initech, 10)+`" selected>Initech</option>`) {
		t.Error("erin's tickets in Initech show Globex's or lack Initech's")
	}
	if r := erin.get(vpn); r.status != 404 {
		t.Errorf("a Globex ticket while in Initech: %d", r.status)
	}
	// A switch made on one company's ticket goes to the list, not to a 404.
	if r := erin.form("/companies/switch", url.Values{"_csrf": {csrf}, "company_id": {"all"}, "next": {printer}}); r.header.Get("Location") != "/tickets" {
		t.Errorf("a switch on a ticket page goes to %q", r.header.Get("Location"))
	}
	if r := switchTo(strconv.FormatInt(initech, 10)); r.header.Get("Location") != "/tickets" {
		t.Fatalf("switch back to Initech: %s", r.header.Get("Location"))
	}
	if r := erin.get(printer); r.status != 200 {
		t.Errorf("an Initech ticket while in Initech: %d", r.status)
	}
	if r := erin.get("/companies"); !strings.Contains(r.body, "Initech") || strings.Contains(r.body, "Globex Corporation</strong>") {
		t.Error("erin's companies in Initech")
	}
	if r := erin.get("/api/v1/companies"); strings.Contains(r.body, "Globex") {
		t.Errorf("erin's API companies in Initech: %s", r.body)
	}
	if r := erin.get("/contacts"); r.status != 200 || strings.Contains(r.body, "Priya Shah") || !strings.Contains(r.body, "Joanna Park") {
		t.Errorf("erin's contacts in Initech: %d", r.status)
	}
	if r := erin.get("/reports"); strings.Contains(r.body, "Globex Q3 QBR") {
		t.Error("erin's reports in Initech show Globex's")
	}
	if r := erin.get("/kb"); strings.Contains(r.body, "Globex VPN setup guide") {
		t.Error("erin's knowledge base in Initech shows a Globex-only article")
	}
	// A removed assignment falls back to all of her companies.
	if r := switchTo(""); r.status != 303 && r.status != 302 {
		t.Fatalf("switch to all: %d", r.status)
	}
	r = erin.get("/tickets")
	if !strings.Contains(r.body, "VPN drops every hour") || !strings.Contains(r.body, "Printer offline") {
		t.Error("erin's tickets after switching back lack one company's")
	}
	switchTo(strconv.FormatInt(initech, 10))
	if r := ada.api("PATCH", "/api/v1/users/"+erinID, map[string]any{"company_ids": []int64{globex}}); r.status != 200 {
		t.Fatalf("take Initech back: %d", r.status)
	}
	if r := erin.get(vpn); r.status != 200 {
		t.Errorf("a Globex ticket after Initech was taken away: %d", r.status)
	}
	if r := erin.get(printer); r.status != 404 {
		t.Errorf("an Initech ticket after Initech was taken away: %d", r.status)
	}
}
