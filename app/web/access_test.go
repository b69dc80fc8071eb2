package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/web"
)

func accessPath(userID int64, path string) string {
	return "/api/v1/users/" + strconv.FormatInt(userID, 10) + "/access?path=" + url.QueryEscape(path)
}

// verdictOf asks the explainer as c, failing unless it answers 200.
func verdictOf(t *testing.T, c *client, userID int64, path string) (bool, []string) {
	t.Helper()
	r := c.get(accessPath(userID, path))
	if r.status != 200 {
		t.Fatalf("access %s for user %d: %d %s", path, userID, r.status, r.body)
	}
	m := r.json(t)
	var reasons []string
	for _, x := range m["reasons"].([]any) {
		reasons = append(reasons, x.(string))
	}
	return m["allowed"] == true, reasons
}

// TestAccessWildcardCertificate is the "done when": asked why erin
// cannot see "Renew wildcard certificate", Atrium answers that the
// Internal Ops board is for members only.
func TestAccessWildcardCertificate(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	erinID := userID(t, e, "acme", "erin@globex.test")
	cert := "/tickets/" + strconv.FormatInt(ticketID(t, e, "Renew wildcard certificate"), 10)
	allowed, reasons := verdictOf(t, alan, erinID, cert)
	if allowed || !strings.Contains(strings.Join(reasons, "\n"), "The ticket is on the Internal Ops board, which is for members only.") {
		t.Errorf("erin and the wildcard certificate: %v %q", allowed, reasons)
	}
	// Her own ticket: the module under its label, the board and company,
	// own-tickets-only, then what she sees of it.
	vpn := "https://acme.localhost/tickets/" + strconv.FormatInt(ticketID(t, e, "VPN drops every hour"), 10)
	allowed, reasons = verdictOf(t, alan, erinID, vpn)
	all := strings.Join(reasons, "\n")
	for _, want := range []string{
		"Erin Editor is an external editor, and their Tickets module is shown, under the name “Support”.",
		"The ticket is Globex Corporation's, on the Service Desk board",
		"Own tickets only is off for Erin Editor",
		"Fields hidden from external editors: Time spent, Billing code",
		"Erin Editor reads Discussion and Resolution notes, not Internal notes.",
	} {
		if !allowed || !strings.Contains(all, want) {
			t.Errorf("erin and the VPN ticket: %v, no %q in\n%s", allowed, want, all)
		}
	}
	// A page: victor has no contacts module.
	victorID := userID(t, e, "acme", "victor@globex.test")
	if allowed, reasons := verdictOf(t, alan, victorID, "/contacts"); allowed || !strings.Contains(strings.Join(reasons, " "), "Contacts module is not shown") {
		t.Errorf("victor and contacts: %v %q", allowed, reasons)
	}
	// A report part marked internal only.
	report := lookupID(t, e, "report", "acme", "Globex Q3 QBR")
	var margin int64
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT id FROM report_parts WHERE title = 'Margin analysis'").Scan(&margin); err != nil {
		t.Fatal(err)
	}
	partPath := fmt.Sprintf("/reports/%d#part-%d", report, margin)
	if allowed, reasons := verdictOf(t, alan, erinID, partPath); allowed || !strings.Contains(strings.Join(reasons, " "), "internal only") {
		t.Errorf("erin and the margin analysis: %v %q", allowed, reasons)
	}
	kenID := userID(t, e, "acme", "ken@acme.test")
	if allowed, _ := verdictOf(t, alan, kenID, partPath); !allowed {
		t.Errorf("ken, a member, and the margin analysis: refused")
	}
}

// TestAccessRefusals: the explainer is for super admins and admins, about
// users of their own tenant, of addresses it can read, outside previews.
func TestAccessRefusals(t *testing.T) {
	e := newEnv(t, nil)
	erinID := userID(t, e, "acme", "erin@globex.test")
	ninaID := userID(t, e, "northwind", "nina@northwind.test")
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	if r := ken.get(accessPath(erinID, "/tickets")); r.status != 403 {
		t.Errorf("ken, no admin: %d", r.status)
	}
	if r := alan.get(accessPath(ninaID, "/tickets")); r.status != 404 || strings.Contains(r.body, "Nina") {
		t.Errorf("another tenant's user: %d %s", r.status, r.body)
	}
	for _, bad := range []string{"", "tickets", strings.Repeat("/x", 1001), "/reports/1#part-x"} {
		if r := alan.get(accessPath(erinID, bad)); r.status != 400 || !strings.Contains(r.body, `"path"`) {
			t.Errorf("path %.20q: %d %s", bad, r.status, r.body)
		}
	}
	if allowed, reasons := verdictOf(t, alan, erinID, "/nowhere/at/all"); allowed || reasons[0] != "There is no page at /nowhere/at/all." {
		t.Errorf("no such page: %v %q", allowed, reasons)
	}
	if allowed, reasons := verdictOf(t, alan, erinID, "/tickets/999999"); allowed || !strings.Contains(reasons[len(reasons)-1], "There is no such ticket") {
		t.Errorf("no such ticket: %v %q", allowed, reasons)
	}
	doraID := userID(t, e, "acme", "dora@acme.test")
	if allowed, reasons := verdictOf(t, alan, doraID, "/"); allowed || !strings.Contains(reasons[0], "deactivated") {
		t.Errorf("dora, deactivated: %v %q", allowed, reasons)
	}
	if r := alan.api("POST", "/api/v1/previews", map[string]any{"user_id": erinID}); r.status != 201 {
		t.Fatalf("preview: %d %s", r.status, r.body)
	}
	if r := alan.get(accessPath(erinID, "/tickets")); r.status != 403 {
		t.Errorf("explainer while previewing: %d", r.status)
	}
}

// TestAccessAgreesWithDecisions: for every active demo user of Acme and
// every page and object of the demo data, the explainer's verdict is what
// the user's own session gets: 200 when allowed, 403 or 404 when not.
func TestAccessAgreesWithDecisions(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.LoginRate.PerAddress, c.LoginRate.PerAccount = 1000, 1000 })
	ctx := context.Background()
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ids := func(query string) []int64 {
		t.Helper()
		rows, err := e.db.R.QueryContext(ctx, query+" AND tenant_id = (SELECT id FROM tenants WHERE slug = 'acme') ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	var paths []string
	for _, p := range policy.Pages {
		paths = append(paths, p.Path)
	}
	add := func(format string, query string) {
		for _, id := range ids(query) {
			paths = append(paths, fmt.Sprintf(format, id))
		}
	}
	// Objects through their JSON addresses, which follow the same route
	// rules as their pages and cost far less to answer.
	add("/api/v1/tickets/%d", "SELECT id FROM tickets WHERE 1=1")
	add("/api/v1/reports/%d", "SELECT id FROM reports WHERE 1=1")
	add("/api/v1/articles/%d", "SELECT id FROM articles WHERE 1=1")
	add("/api/v1/contacts/%d", "SELECT id FROM contacts WHERE 1=1")
	add("/office365/%d", "SELECT id FROM companies WHERE 1=1")
	add("/api/v1/companies/%d", "SELECT id FROM companies WHERE 1=1")
	add("/api/v1/plan/items/%d", "SELECT id FROM plan_items WHERE 1=1")
	add("/api/v1/boards/%d", "SELECT id FROM boards WHERE 1=1")
	add("/api/v1/teams/%d", "SELECT id FROM teams WHERE 1=1")
	add("/api/v1/users/%d", "SELECT id FROM users WHERE 1=1")
	type part struct{ report, id int64 }
	var parts []part
	for _, id := range ids("SELECT id FROM report_parts WHERE 1=1") {
		var r int64
		if err := e.db.R.QueryRowContext(ctx, "SELECT report_id FROM report_parts WHERE id = ?", id).Scan(&r); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, part{r, id})
	}
	users := []string{}
	rows, err := e.db.R.QueryContext(ctx, "SELECT email FROM users WHERE status = 'active' AND tenant_id = (SELECT id FROM tenants WHERE slug = 'acme') ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		users = append(users, s)
	}
	rows.Close()
	if len(users) < 12 || len(paths) < 60 || len(parts) < 4 {
		t.Fatalf("too little demo data: %d users, %d paths, %d parts", len(users), len(paths), len(parts))
	}
	allowedSome, refusedSome := 0, 0
	for _, email := range users {
		t.Run(email, func(t *testing.T) {
			id := userID(t, e, "acme", email)
			own := e.client("acme.localhost").mustLogin(email, "demo-pass-1")
			for _, p := range paths {
				allowed, reasons := verdictOf(t, alan, id, p)
				if len(reasons) == 0 {
					t.Errorf("%s: no reasons", p)
				}
				st := own.get(p).status
				if (st == 200) != allowed || (st != 200 && st != 403 && st != 404) {
					t.Errorf("%s: explainer says %v, the page answers %d; reasons %q", p, allowed, st, reasons)
				}
				if allowed {
					allowedSome++
				} else {
					refusedSome++
				}
			}
			// A part is read when the report's JSON holds it.
			for _, pt := range parts {
				allowed, reasons := verdictOf(t, alan, id, fmt.Sprintf("/reports/%d#part-%d", pt.report, pt.id))
				r := own.get("/api/v1/reports/" + strconv.FormatInt(pt.report, 10))
				has := r.status == 200 && strings.Contains(r.body, `"id":`+strconv.FormatInt(pt.id, 10)+`,`)
				if has != allowed {
					t.Errorf("part %d of report %d: explainer says %v, the report answers %d holding it %v; reasons %q", pt.id, pt.report, allowed, r.status, has, reasons)
				}
			}
		})
	}
	if allowedSome == 0 || refusedSome == 0 {
		t.Errorf("%d allowed, %d refused: the data cannot tell a wrong explainer", allowedSome, refusedSome)
	}
}

// TestEveryObjectRouteIsExplained: a GET route with a parameter opens one
// object; the explainer must know how to explain it (or say that its rule
// decides alone), and names no route that does not exist.
func TestEveryObjectRouteIsExplained(t *testing.T) {
	e := newEnv(t, nil)
	rules := e.srv.Rules()
	known := map[string]bool{}
	for _, p := range web.ExplainedRoutes() {
		known[p] = true
		if _, ok := rules["GET "+p]; !ok {
			t.Errorf("objectChecks names %s, which is no GET route", p)
		}
	}
	for route := range rules {
		p, ok := strings.CutPrefix(route, "GET ")
		if ok && strings.ContainsAny(p, ":*") && !known[p] {
			t.Errorf("GET %s opens an object the access explainer does not know: add it to objectChecks", p)
		}
	}
}

// TestAccessPages: the explainer on a user's page (in place with htmx, or
// as a page), and "who can see this?" on a ticket and a report part, for
// admins only; the lists come from the policy.
func TestAccessPages(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	erinID := userID(t, e, "acme", "erin@globex.test")
	erin := "/users/" + strconv.FormatInt(erinID, 10)
	cert := "/tickets/" + strconv.FormatInt(ticketID(t, e, "Renew wildcard certificate"), 10)
	vpn := "/tickets/" + strconv.FormatInt(ticketID(t, e, "VPN drops every hour"), 10)

	prof := alan.get(erin)
	for _, want := range []string{"What can Erin Editor see?", `action="` + erin + `/access"`, `<option value="` + cert + `">`, `<optgroup label="Reports and their parts">`, "(internal only)"} {
		if !strings.Contains(prof.body, want) {
			t.Errorf("erin's page for alan has no %q", want)
		}
	}
	if r := ken.get(erin); strings.Contains(r.body, "access-check") {
		t.Errorf("the explainer on erin's page for ken")
	}
	r := alan.do("GET", erin+"/access?pick="+url.QueryEscape(cert)+"&path=", nil, "", map[string]string{"HX-Request": "true"})
	if r.status != 200 || !strings.Contains(r.body, "Erin Editor cannot see this.") || !strings.Contains(r.body, "which is for members only") || strings.Contains(r.body, "<html") {
		t.Errorf("explainer in place: %d %s", r.status, r.body)
	}
	r = alan.get(erin + "/access?pick=&path=" + url.QueryEscape(vpn))
	if r.status != 200 || !strings.Contains(r.body, "Erin Editor can see this.") || !strings.Contains(r.body, "<html") {
		t.Errorf("explainer as a page: %d %s", r.status, r.body)
	}
	r = alan.get(erin + "/access?pick=&path=tickets")
	if r.status != 400 || !strings.Contains(r.body, `aria-invalid="true"`) {
		t.Errorf("a bad link: %d %s", r.status, r.body)
	}
	if r := ken.get(erin + "/access?path=/"); r.status != 403 {
		t.Errorf("ken asks the explainer: %d", r.status)
	}

	// Who can see the VPN ticket: members, and Globex's external users.
	page := alan.get(vpn)
	if !strings.Contains(page.body, `href="`+vpn+`/audience"`) {
		t.Errorf("no Who can see this on the ticket for alan")
	}
	if r := ken.get(vpn); strings.Contains(r.body, "/audience") {
		t.Errorf("Who can see this on the ticket for ken")
	}
	r = alan.do("GET", vpn+"/audience", nil, "", map[string]string{"HX-Request": "true"})
	for _, want := range []string{"Erin Editor", "Victor Viewer", "Ken Thompson", `href="` + erin + `/access?path=` + url.QueryEscape(vpn) + `"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("VPN audience has no %q:\n%s", want, r.body)
		}
	}
	for _, not := range []string{"Oscar", "Carol", "Gina", "Dora"} {
		if strings.Contains(r.body, not) {
			t.Errorf("VPN audience names %s", not)
		}
	}
	if r := alan.get(cert + "/audience"); r.status != 200 || strings.Contains(r.body, "Erin Editor") || !strings.Contains(r.body, "Ken Thompson") {
		t.Errorf("certificate audience: %d", r.status)
	}
	if r := ken.get(vpn + "/audience"); r.status != 403 {
		t.Errorf("ken asks who sees the ticket: %d", r.status)
	}

	// Who reads the internal-only margin analysis: members only.
	report := lookupID(t, e, "report", "acme", "Globex Q3 QBR")
	var margin, summary int64
	ctx := context.Background()
	_ = e.db.R.QueryRowContext(ctx, "SELECT id FROM report_parts WHERE title = 'Margin analysis'").Scan(&margin)
	_ = e.db.R.QueryRowContext(ctx, "SELECT id FROM report_parts WHERE title = 'Executive summary'").Scan(&summary)
	rp := fmt.Sprintf("/reports/%d", report)
	if r := alan.get(rp); !strings.Contains(r.body, fmt.Sprintf(`href="%s/parts/%d/audience"`, rp, margin)) {
		t.Errorf("no Who can see this on the report's parts")
	}
	r = alan.get(fmt.Sprintf("%s/parts/%d/audience", rp, margin))
	if r.status != 200 || strings.Contains(r.body, "Erin Editor") || strings.Contains(r.body, "Victor Viewer") || !strings.Contains(r.body, "Ken Thompson") {
		t.Errorf("margin analysis audience: %d %s", r.status, r.body)
	}
	if r := alan.get(fmt.Sprintf("%s/parts/%d/audience", rp, summary)); !strings.Contains(r.body, "Erin Editor") || !strings.Contains(r.body, "Victor Viewer") {
		t.Errorf("executive summary audience lacks Globex's external users")
	}
	if r := alan.get(fmt.Sprintf("%s/parts/%d/audience", rp, 999999)); r.status != 404 {
		t.Errorf("an unknown part: %d", r.status)
	}
}
