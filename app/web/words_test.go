package web_test

import (
	"encoding/csv"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
)

// menuBadge finds the badge under the name in the user menu.
var menuBadgeRE = regexp.MustCompile(`(?s)<summary>.*?</summary>`)

// TestMenuLabelSaysWhatOutsideUsersBelongTo: external users and clients
// see their company (or team) in the user menu, never their kind; members
// keep their kind and capability.
func TestMenuLabelSaysWhatOutsideUsersBelongTo(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct {
		email string
		want  string
		not   []string
	}{
		{"erin@globex.test", "Globex Corporation", []string{"External editor", "External"}},
		{"victor@globex.test", "Globex Corporation", []string{"External viewer", "External"}},
		{"oscar@initech.test", "Initech", []string{"External editor", "External"}},
		{"carol@globex.test", "Globex Corporation", []string{">Client<"}},
		{"ada@acme.test", "Member · Super admin", nil},
		{"ken@acme.test", "Member", nil},
	} {
		r := e.client("acme.localhost").mustLogin(tc.email, "demo-pass-1").get("/")
		if r.status != 200 {
			t.Fatalf("%s home: %d", tc.email, r.status)
		}
		menu := menuBadgeRE.FindString(r.body)
		if !strings.Contains(menu, `<span class="badge badge-kind">`+tc.want+`</span>`) {
			t.Errorf("%s: menu lacks %q:\n%s", tc.email, tc.want, menu)
		}
		for _, n := range tc.not {
			if strings.Contains(menu, n) {
				t.Errorf("%s: menu shows %q:\n%s", tc.email, n, menu)
			}
		}
	}
}

// TestMenuLabelSeveralCompanies: with several companies the menu names the
// first and counts the others.
func TestMenuLabelSeveralCompanies(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	me := ada.api("GET", "/api/v1/companies", nil)
	var ids []any
	for _, it := range me.json(t)["items"].([]any) {
		ids = append(ids, it.(map[string]any)["id"])
	}
	erin := userID(t, e, "acme", "erin@globex.test")
	if r := ada.api("PATCH", fmt.Sprintf("/api/v1/users/%d", erin), map[string]any{"company_ids": ids[:3]}); r.status != 200 {
		t.Fatalf("assign companies: %d %s", r.status, r.body)
	}
	r := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1").get("/")
	menu := menuBadgeRE.FindString(r.body)
	if !regexp.MustCompile(`badge-kind">[A-Z][^<]+ and 2 more</span>`).MatchString(menu) {
		t.Errorf("menu with 3 companies:\n%s", menu)
	}
}

// TestAuditShowsSentences: the page's action column and the action filter
// speak in words; the CSV and the API keep the action and add its label.
func TestAuditShowsSentences(t *testing.T) {
	e := newEnv(t, nil)
	if r := e.client("acme.localhost").login("ada@acme.test", "wrong-password"); r.status != 401 {
		t.Fatalf("failed login: %d", r.status)
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	page := ada.get("/audit")
	if page.status != 200 {
		t.Fatalf("audit: %d", page.status)
	}
	table := page.body[strings.Index(page.body, `<div id="audit-rows">`):]
	if strings.Contains(table, "login.failed") || strings.Contains(table, ">login<") {
		t.Errorf("the table shows action codes:\n%s", table)
	}
	for _, want := range []string{">Sign-in failed<", ">Signed in<"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %s", want)
		}
	}
	for _, want := range []string{`<option value="login.failed">Sign-in failed</option>`, `<option value="user.">Any change to people</option>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the filter lacks %s", want)
		}
	}
	filtered := ada.get("/audit?action=login.failed")
	if !strings.Contains(filtered.body, `<option value="login.failed" selected>Sign-in failed</option>`) ||
		strings.Contains(filtered.body[strings.Index(filtered.body, `<div id="audit-rows">`):], ">Signed in<") {
		t.Errorf("filtered by failed sign-ins:\n%s", filtered.body)
	}
	rows, err := csv.NewReader(strings.NewReader(ada.get("/audit.csv").body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][3] != "action" || rows[0][4] != "action_label" {
		t.Fatalf("CSV header: %v", rows[0])
	}
	found := false
	for _, r := range rows[1:] {
		if r[3] == "login.failed" && r[4] == "Sign-in failed" {
			found = true
		}
	}
	if !found {
		t.Errorf("CSV lacks the failed sign-in with its label: %v", rows)
	}
	api := ada.api("GET", "/api/v1/audit?action=login.failed", nil).body
	if !strings.Contains(api, `"action":"login.failed"`) || !strings.Contains(api, `"action_label":"Sign-in failed"`) {
		t.Errorf("API: %s", api)
	}
}

// TestEveryActionHasALabel: every action the filter offers reads as words,
// not as a code.
func TestEveryActionHasALabel(t *testing.T) {
	for _, o := range audit.FilterOptions() {
		if o.Label == "" || strings.ContainsAny(o.Label, "._") {
			t.Errorf("%q: label %q", o.Value, o.Label)
		}
	}
}
