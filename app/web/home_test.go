package web_test

import (
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
	// Members, guests and clients keep their short home.
	for _, who := range []string{"ada@acme.test", "gina@guest.test", "carol@globex.test"} {
		c := e.client("acme.localhost").mustLogin(who, "demo-pass-1")
		r := c.get("/")
		if r.status != 200 || !strings.Contains(r.body, "Nothing assigned to you yet") || strings.Contains(r.body, "Contact support") {
			t.Errorf("%s's home: %d", who, r.status)
		}
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
