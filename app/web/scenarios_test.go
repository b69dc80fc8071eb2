package web_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// scenario is one row of the HTTP scenario table: who asks (an email of the
// demo, "" for nobody), on which host, what, whether as htmx, and what the
// answer must and must not hold. Rows only read or are refused, so each
// stands alone; later issues add rows for their pages and objects.
type scenario struct {
	name    string
	who     string // demo login; "" is anonymous
	home    string // where who signs in; default acme.localhost
	host    string // where the request goes; default acme.localhost
	method  string
	path    string // {user:SLUG:EMAIL}, {team:SLUG:NAME}, {company:SLUG:NAME} are replaced by IDs
	htmx    bool
	status  int
	has     []string
	hasNot  []string
	headers map[string]string // response headers that must be set to these values
}

// canary is a string that lives only in Northwind and must never appear in
// an answer on Acme's host.
const canary = "CANARY-NW-5e1f"

var placeholderRE = regexp.MustCompile(`\{(user|team|company|invitation):([a-z]+):([^}]+)\}`)

func scenarios() []scenario {
	return []scenario{
		// Anonymous callers.
		{name: "anonymous page goes to sign-in", method: "GET", path: "/settings/users", status: 303},
		{name: "anonymous htmx gets 401 and a redirect", method: "GET", path: "/teams", htmx: true, status: 401, headers: map[string]string{"HX-Redirect": "/login"}},
		{name: "anonymous API is 401", method: "GET", path: "/api/v1/me", status: 401, has: []string{`"unauthenticated"`}},
		{name: "anonymous sign-in page is branded", method: "GET", path: "/login", status: 200, has: []string{"Acme Portal"}, hasNot: []string{"Northwind Hub"}},

		// Pages by kind and capability.
		{name: "super admin opens users", who: "ada@acme.test", method: "GET", path: "/settings/users", status: 200, has: []string{"Ken Thompson"}, hasNot: []string{"Nina Northwind", canary}},
		{name: "people admin opens users", who: "grace@acme.test", method: "GET", path: "/settings/users", status: 200},
		{name: "member has no settings", who: "ken@acme.test", method: "GET", path: "/settings/users", status: 403},
		{name: "member has no audit", who: "ken@acme.test", method: "GET", path: "/audit", status: 403},
		{name: "member has no audit csv", who: "ken@acme.test", method: "GET", path: "/audit.csv", status: 403},
		{name: "admin opens audit", who: "alan@acme.test", method: "GET", path: "/audit", status: 200},
		{name: "admin has no billing", who: "alan@acme.test", method: "GET", path: "/billing", status: 403},
		{name: "billing admin has billing", who: "barbara@acme.test", method: "GET", path: "/billing", status: 200},
		{name: "strategy admin has no email settings", who: "linus@acme.test", method: "GET", path: "/settings/email", status: 403},
		{name: "admin has no email settings", who: "alan@acme.test", method: "GET", path: "/settings/email", status: 403},
		{name: "guest has workboards", who: "gina@guest.test", method: "GET", path: "/workboards", status: 200},
		{name: "guest has no teams", who: "gina@guest.test", method: "GET", path: "/teams", status: 403},
		{name: "guest htmx refusal is a fragment", who: "gina@guest.test", method: "GET", path: "/teams", htmx: true, status: 403, hasNot: []string{"<html"}},
		{name: "client sees own team", who: "carol@globex.test", method: "GET", path: "/teams", status: 200, has: []string{"Globex Success"}, hasNot: []string{"Leadership", "Service Desk"}},
		{name: "client has no tickets", who: "carol@globex.test", method: "GET", path: "/tickets", status: 403},
		{name: "external editor sees module labels", who: "erin@globex.test", method: "GET", path: "/", status: 200, has: []string{"Support", "M365", "Knowledge Base"}, hasNot: []string{">Upcoming<", ">Settings<"}},
		{name: "external editor has no upcoming", who: "erin@globex.test", method: "GET", path: "/upcoming", status: 403},
		{name: "external viewer has no settings", who: "victor@globex.test", method: "GET", path: "/settings", status: 403},

		// Objects through the people scope: outside it is 404, and nothing leaks.
		{name: "member opens a colleague", who: "ken@acme.test", method: "GET", path: "/api/v1/users/{user:acme:alan@acme.test}", status: 200, has: []string{"alan@acme.test"}},
		{name: "external user cannot open a member", who: "erin@globex.test", method: "GET", path: "/api/v1/users/{user:acme:ken@acme.test}", status: 404, hasNot: []string{"ken@acme.test", "Ken Thompson"}},
		{name: "external user opens themselves", who: "erin@globex.test", method: "GET", path: "/api/v1/users/{user:acme:erin@globex.test}", status: 200},
		{name: "guest sees only themselves", who: "gina@guest.test", method: "GET", path: "/api/v1/users", status: 200, has: []string{"gina@guest.test"}, hasNot: []string{"ada@acme.test"}},
		{name: "deactivated user's email hidden from a member", who: "ken@acme.test", method: "GET", path: "/api/v1/users/{user:acme:dora@acme.test}", status: 200, hasNot: []string{"dora@acme.test", `"status"`}},
		{name: "deactivated user's email shown to an admin", who: "alan@acme.test", method: "GET", path: "/api/v1/users/{user:acme:dora@acme.test}", status: 200, has: []string{"dora@acme.test", `"status":"deactivated"`}},
		{name: "another tenant's user is 404", who: "ada@acme.test", method: "GET", path: "/api/v1/users/{user:northwind:nina@northwind.test}", status: 404, hasNot: []string{"nina@northwind.test", "Nina"}},
		{name: "another tenant's user page is 404", who: "ada@acme.test", method: "GET", path: "/settings/users/{user:northwind:nina@northwind.test}", status: 404, hasNot: []string{"Nina"}},
		{name: "another tenant's team is 404", who: "ada@acme.test", method: "GET", path: "/api/v1/teams/{team:northwind:" + canary + "}", status: 404, hasNot: []string{canary}},
		{name: "another tenant's team page is 404", who: "ada@acme.test", method: "GET", path: "/settings/teams/{team:northwind:" + canary + "}", status: 404, hasNot: []string{canary}},
		{name: "another tenant's company is 404", who: "ada@acme.test", method: "GET", path: "/api/v1/companies/{company:northwind:" + canary + "}", status: 404, hasNot: []string{canary}},
		{name: "another tenant's company page is 404", who: "ada@acme.test", method: "GET", path: "/settings/companies/{company:northwind:" + canary + "}", status: 404, hasNot: []string{canary}},
		{name: "a hidden module's API is closed", who: "erin@globex.test", method: "GET", path: "/api/v1/companies", status: 403, hasNot: []string{"Globex"}},
		{name: "a hidden page's API is closed", who: "gina@guest.test", method: "GET", path: "/api/v1/teams", status: 403},
		{name: "a company outside an external user's scope is 404", who: "victor@globex.test", method: "GET", path: "/api/v1/companies/{company:acme:Initech}", status: 404, hasNot: []string{"Initech"}},
		{name: "an external user's own company", who: "victor@globex.test", method: "GET", path: "/api/v1/companies/{company:acme:Globex Corporation}", status: 200, has: []string{"Globex Corporation"}},
		{name: "a client cannot open another team", who: "carol@globex.test", method: "GET", path: "/api/v1/teams/{team:acme:Leadership}", status: 404, hasNot: []string{"Leadership"}},
		{name: "lists never leak another tenant", who: "ada@acme.test", method: "GET", path: "/api/v1/companies", status: 200, hasNot: []string{canary}},
		{name: "audit never leaks another tenant", who: "ada@acme.test", method: "GET", path: "/api/v1/audit", status: 200, hasNot: []string{canary, "nina@northwind.test"}},
		{name: "same email, other tenant's session does not cross", who: "ada@acme.test", host: "northwind.localhost", method: "GET", path: "/api/v1/me", status: 401},

		// A deactivated member (hedy, deactivated in the setup) inside a team.
		{name: "a member sees a deactivated teammate without contact details", who: "ken@acme.test", method: "GET", path: "/api/v1/teams/{team:acme:Service Desk}", status: 200, has: []string{"Hedy Lamarr"}, hasNot: []string{"hedy@acme.test", "deactivated"}},
		{name: "an admin sees a deactivated teammate's details", who: "alan@acme.test", method: "GET", path: "/api/v1/teams/{team:acme:Service Desk}", status: 200, has: []string{"hedy@acme.test", "deactivated"}},
		{name: "a member searching by a hidden address finds nobody", who: "ken@acme.test", method: "GET", path: "/api/v1/users?q=hedy@", status: 200, hasNot: []string{"Hedy"}},

		// An invitation of an admin (sent by ada in the setup).
		{name: "a people admin sees an admin's invitation", who: "grace@acme.test", method: "GET", path: "/api/v1/invitations/{invitation:acme:newadmin@acme.test}", status: 200},
		{name: "a people admin cannot revoke an admin's invitation", who: "grace@acme.test", method: "DELETE", path: "/api/v1/invitations/{invitation:acme:newadmin@acme.test}", status: 403},
		{name: "a people admin cannot resend an admin's invitation", who: "grace@acme.test", method: "POST", path: "/api/v1/invitations/{invitation:acme:newadmin@acme.test}/resend", status: 403},
		{name: "a member cannot see an invitation", who: "ken@acme.test", method: "GET", path: "/api/v1/invitations/{invitation:acme:newadmin@acme.test}", status: 403},
		{name: "another tenant cannot see an invitation", who: "nina@northwind.test", home: "northwind.localhost", host: "northwind.localhost", method: "GET", path: "/api/v1/invitations/{invitation:acme:newadmin@acme.test}", status: 404, hasNot: []string{"newadmin"}},

		// One object, one address.
		{name: "an ID with a plus sign is not an ID", who: "ken@acme.test", method: "GET", path: "/api/v1/users/+{user:acme:alan@acme.test}", status: 404},
		{name: "a member ID with a plus sign is not an ID", who: "grace@acme.test", method: "DELETE", path: "/api/v1/teams/{team:acme:Service Desk}/members/+{user:acme:ken@acme.test}", status: 404},
		{name: "an ID with a leading zero is not an ID", who: "ken@acme.test", method: "GET", path: "/api/v1/users/0{user:acme:alan@acme.test}", status: 404},

		// Bad input is a clear 400, and what is personal is never cached.
		{name: "a NUL in the query", who: "ken@acme.test", method: "GET", path: "/teams?q=%00", status: 400},
		{name: "invalid UTF-8 in the query", who: "ken@acme.test", method: "GET", path: "/?q=%ff", status: 400},
		{name: "a NUL on the sign-in page", method: "GET", path: "/login?next=%00", status: 400},
		{name: "a signed-in page is not cached", who: "ken@acme.test", method: "GET", path: "/teams", status: 200, headers: map[string]string{"Cache-Control": "no-store"}},
		{name: "an API answer is not cached", who: "ken@acme.test", method: "GET", path: "/api/v1/me", status: 200, headers: map[string]string{"Cache-Control": "no-store"}},
		{name: "an API refusal is not cached", method: "GET", path: "/api/v1/users", status: 401, headers: map[string]string{"Cache-Control": "no-store"}},

		// Refused changes stay refused, whatever the door.
		{name: "member cannot invite", who: "ken@acme.test", method: "POST", path: "/api/v1/invitations", status: 403},
		{name: "guest cannot change settings", who: "gina@guest.test", method: "PATCH", path: "/api/v1/settings", status: 403},
		{name: "people admin cannot create companies", who: "grace@acme.test", method: "POST", path: "/api/v1/companies", status: 403},
		{name: "admin cannot edit teams", who: "alan@acme.test", method: "POST", path: "/api/v1/teams", status: 403},
	}
}

// TestScenarios runs the scenario table against the demo.
func TestScenarios(t *testing.T) {
	e := newEnv(t, nil)
	// A Northwind team and company whose names must never reach Acme.
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	if r := nina.api("POST", "/api/v1/companies", map[string]any{"name": canary, "notes": canary}); r.status/100 != 2 {
		t.Fatalf("canary company: %d %s", r.status, r.body)
	}
	if r := nina.api("POST", "/api/v1/teams", map[string]any{"name": canary, "kind": "function"}); r.status/100 != 2 {
		t.Fatalf("canary team: %d %s", r.status, r.body)
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	hedy := "/api/v1/users/" + strconv.FormatInt(lookupID(t, e, "user", "acme", "hedy@acme.test"), 10)
	if r := ada.api("PATCH", hedy, map[string]any{"status": "deactivated"}); r.status != 200 {
		t.Fatalf("deactivate hedy: %d %s", r.status, r.body)
	}
	if r := ada.api("POST", "/api/v1/invitations", map[string]any{"email": "newadmin@acme.test", "kind": "member", "capabilities": []string{"admin"}}); r.status != 201 {
		t.Fatalf("invite an admin: %d %s", r.status, r.body)
	}
	// Victor sees the Companies module, which the demo hides from every
	// external user, so that the company scope can be tried through it.
	showCompaniesModule(t, e, "victor@globex.test")
	clients := map[string]*client{}
	for _, sc := range scenarios() {
		t.Run(sc.name, func(t *testing.T) {
			host := sc.host
			if host == "" {
				host = "acme.localhost"
			}
			c := e.client(host)
			if sc.who != "" {
				key := sc.who + "@" + host
				if clients[key] == nil {
					home := sc.home
					if home == "" {
						home = "acme.localhost"
					}
					clients[key] = e.client(home).mustLogin(sc.who, "demo-pass-1")
					clients[key].host = host
				}
				c = clients[key]
			}
			path := placeholderRE.ReplaceAllStringFunc(sc.path, func(m string) string {
				p := placeholderRE.FindStringSubmatch(m)
				return strconv.FormatInt(lookupID(t, e, p[1], p[2], p[3]), 10)
			})
			var r response
			switch {
			case sc.htmx:
				r = c.htmx(sc.method, path, nil)
			case sc.method == "GET":
				r = c.get(path)
			default:
				r = c.api(sc.method, path, map[string]any{})
			}
			if r.status != sc.status {
				t.Fatalf("%s %s = %d, want %d: %.300s", sc.method, path, r.status, sc.status, r.body)
			}
			for _, s := range sc.has {
				if !strings.Contains(r.body, s) {
					t.Errorf("answer lacks %q", s)
				}
			}
			for _, s := range sc.hasNot {
				if strings.Contains(r.body, s) {
					t.Errorf("answer holds %q, which must not appear", s)
				}
			}
			for k, v := range sc.headers {
				if got := r.header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// lookupID finds the ID of a user (by email), team, company, board or
// note type (by name) or ticket (by title) of a tenant, straight from the
// database.
func lookupID(t *testing.T, e *env, kind, slug, key string) int64 {
	t.Helper()
	q := map[string]string{
		"user":       "SELECT x.id FROM users x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.email = ?",
		"team":       "SELECT x.id FROM teams x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.name = ?",
		"company":    "SELECT x.id FROM companies x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.name = ?",
		"invitation": "SELECT x.id FROM invitations x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.email = ?",
		"board":      "SELECT x.id FROM boards x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.name = ?",
		"note_type":  "SELECT x.id FROM note_types x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.name = ?",
		"ticket":     "SELECT x.id FROM tickets x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.title = ?",
		"article":    "SELECT x.id FROM articles x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.title = ?",
		"report":     "SELECT x.id FROM reports x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.title = ?",
		"plan_item":  "SELECT x.id FROM plan_items x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.title = ?",
		"workboard":  "SELECT x.id FROM workboards x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.name = ?",
		"card":       "SELECT x.id FROM cards x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.title = ?",
		"rock":       "SELECT x.id FROM rocks x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.title = ?",
		"issue":      "SELECT x.id FROM issues x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x.title = ?",
	}[kind]
	var id int64
	if err := e.db.R.QueryRowContext(context.Background(), q, slug, key).Scan(&id); err != nil {
		t.Fatalf("%s %q in %s: %v", kind, key, slug, err)
	}
	return id
}
