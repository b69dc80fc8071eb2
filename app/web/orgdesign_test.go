package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func teamID(t *testing.T, e *env, slug, name string) int64 {
	t.Helper()
	var id int64
	if err := e.db.R.QueryRow("SELECT tm.id FROM teams tm JOIN tenants t ON t.id = tm.tenant_id WHERE t.slug = ? AND tm.name = ?", slug, name).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func companyID(t *testing.T, e *env, slug, name string) int64 {
	t.Helper()
	var id int64
	if err := e.db.R.QueryRow("SELECT c.id FROM companies c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = ? AND c.name = ?", slug, name).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTeamsVisibilityAndBadges(t *testing.T) {
	e := newEnv(t, nil)
	login := func(email string) *client { return e.client("acme.localhost").mustLogin(email, "demo-pass-1") }
	showCompaniesModule(t, e, "erin@globex.test")
	ken, carol, erin, gina := login("ken@acme.test"), login("carol@globex.test"), login("erin@globex.test"), login("gina@guest.test")
	if r := ken.api("GET", "/api/v1/teams", nil); len(r.json(t)["items"].([]any)) != 4 {
		t.Errorf("member sees %s", r.body)
	}
	r := carol.api("GET", "/api/v1/teams", nil)
	items := r.json(t)["items"].([]any)
	if len(items) != 1 || !strings.Contains(r.body, `"name":"Globex Success"`) || !strings.Contains(r.body, `"client_visible":true`) {
		t.Errorf("client sees %s", r.body)
	}
	leadership := strconv.FormatInt(teamID(t, e, "acme", "Leadership"), 10)
	if r := carol.api("GET", "/api/v1/teams/"+leadership, nil); r.status != 404 {
		t.Errorf("client opens another team: %d", r.status)
	}
	for _, c := range []*client{erin, gina} {
		if r := c.api("GET", "/api/v1/teams", nil); strings.Contains(r.body, `"name"`) {
			t.Errorf("guest or external user sees teams: %s", r.body)
		}
	}
	page := ken.get("/teams")
	if !strings.Contains(page.body, "Client team") || !strings.Contains(page.body, "avatar-client") {
		t.Error("the teams page lacks the client badge or the yellow ring")
	}
	if r := carol.get("/teams"); r.status != 200 || strings.Contains(r.body, "Leadership") {
		t.Errorf("client's teams page: %d", r.status)
	}
	// Companies: members see all, external users their own, clients none.
	if r := ken.api("GET", "/api/v1/companies", nil); len(r.json(t)["items"].([]any)) != 4 {
		t.Errorf("member's companies: %s", r.body)
	}
	if r := erin.api("GET", "/api/v1/companies", nil); !strings.Contains(r.body, "Globex") || strings.Contains(r.body, "Initech") || strings.Contains(r.body, "Managed clients") {
		t.Errorf("external user's companies: %s", r.body)
	}
	if r := erin.api("GET", "/api/v1/companies/"+strconv.FormatInt(companyID(t, e, "acme", "Initech"), 10), nil); r.status != 404 {
		t.Errorf("external user opens another company: %d", r.status)
	}
	if r := carol.api("GET", "/api/v1/companies", nil); strings.Contains(r.body, `"name"`) {
		t.Errorf("client sees companies: %s", r.body)
	}
}

func TestTeamAdministration(t *testing.T) {
	e := newEnv(t, nil)
	login := func(email string) *client { return e.client("acme.localhost").mustLogin(email, "demo-pass-1") }
	grace, alan, ken := login("grace@acme.test"), login("alan@acme.test"), login("ken@acme.test")
	if r := ken.api("POST", "/api/v1/teams", map[string]any{"name": "X", "kind": "function"}); r.status != 403 {
		t.Errorf("member creates a team: %d", r.status)
	}
	if r := alan.api("POST", "/api/v1/teams", map[string]any{"name": "X", "kind": "function"}); r.status != 403 {
		t.Errorf("admin (not people admin) creates a team: %d", r.status)
	}
	r := grace.api("POST", "/api/v1/teams", map[string]any{"name": "APAC", "kind": "geography"})
	if r.status != 201 {
		t.Fatalf("people admin creates a team: %d %s", r.status, r.body)
	}
	id := strconv.Itoa(int(r.json(t)["id"].(float64)))
	if r := grace.api("POST", "/api/v1/teams", map[string]any{"name": "apac", "kind": "planet"}); r.status != 400 || !strings.Contains(r.body, `"name"`) || !strings.Contains(r.body, `"kind"`) {
		t.Errorf("duplicate name and bad kind: %d %s", r.status, r.body)
	}
	gina := userID(t, e, "acme", "gina@guest.test")
	if r := grace.api("POST", "/api/v1/teams/"+id+"/members", map[string]any{"user_id": gina}); r.status != 400 || !strings.Contains(r.body, "Only members and clients") {
		t.Errorf("guest added to a team: %d %s", r.status, r.body)
	}
	carol := userID(t, e, "acme", "carol@globex.test")
	r = grace.api("POST", "/api/v1/teams/"+id+"/members", map[string]any{"user_id": carol, "role": "leader"})
	if r.status != 201 || !strings.Contains(r.body, `"client_visible":true`) || !strings.Contains(r.body, `"role":"leader"`) {
		t.Errorf("add client: %d %s", r.status, r.body)
	}
	if r := grace.api("DELETE", "/api/v1/teams/"+id+"/members/"+strconv.FormatInt(carol, 10), nil); r.status != 204 {
		t.Errorf("remove member: %d", r.status)
	}
	if r := grace.api("GET", "/api/v1/teams/"+id, nil); !strings.Contains(r.body, `"client_visible":false`) {
		t.Errorf("after removing the client: %s", r.body)
	}
	// The same through the pages.
	page := grace.get("/settings/teams")
	tok := formCSRF(t, page.body)
	bad := grace.form("/settings/teams", url.Values{"_csrf": {tok}, "name": {""}, "kind": {"function"}, "company_id": {"0"}})
	if bad.status != 400 || !strings.Contains(bad.body, "Name the team") {
		t.Errorf("empty team name: %d", bad.status)
	}
	ok := grace.form("/settings/teams", url.Values{"_csrf": {tok}, "name": {"Partners desk"}, "kind": {"horizontal"}, "company_id": {"0"}})
	if ok.status != 303 {
		t.Fatalf("create through the page: %d %s", ok.status, ok.body)
	}
	edit := grace.get(ok.header.Get("Location"))
	if edit.status != 200 || !strings.Contains(edit.body, "Add a member") {
		t.Errorf("team page: %d", edit.status)
	}
	add := grace.form(ok.header.Get("Location")+"/members", url.Values{"_csrf": {tok}, "user_id": {strconv.FormatInt(gina, 10)}})
	if add.status != 400 || !strings.Contains(add.body, "Only members and clients belong to teams.") {
		t.Errorf("guest through the page: %d", add.status)
	}
	if r := grace.api("DELETE", "/api/v1/teams/"+id, nil); r.status != 204 {
		t.Errorf("delete team: %d", r.status)
	}
	if logs := login("ada@acme.test").api("GET", "/api/v1/audit?action=team.change", nil).body; !strings.Contains(logs, "saved team APAC") {
		t.Errorf("audit lacks team changes")
	}
}

func TestCompanyAdministration(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	grace := e.client("acme.localhost").mustLogin("grace@acme.test", "demo-pass-1")
	if r := grace.api("POST", "/api/v1/companies", map[string]any{"name": "Hooli"}); r.status != 403 {
		t.Errorf("people admin creates a company: %d", r.status)
	}
	r := alan.api("POST", "/api/v1/companies", map[string]any{"name": "Hooli", "domain": "hooli.example"})
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	hooli := strconv.Itoa(int(r.json(t)["id"].(float64)))
	if r := alan.api("POST", "/api/v1/companies", map[string]any{"name": "hooli"}); r.status != 400 {
		t.Errorf("duplicate company: %d", r.status)
	}
	globex := strconv.FormatInt(companyID(t, e, "acme", "Globex Corporation"), 10)
	if r := alan.api("DELETE", "/api/v1/companies/"+globex, nil); r.status != 409 || !strings.Contains(r.body, "assigned") {
		t.Errorf("delete a company with users: %d %s", r.status, r.body)
	}
	if r := alan.api("DELETE", "/api/v1/companies/"+hooli, nil); r.status != 204 {
		t.Errorf("delete an unused company: %d", r.status)
	}
	g := alan.api("POST", "/api/v1/company_groups", map[string]any{"name": "Healthcare", "company_ids": []int64{companyID(t, e, "acme", "Umbrella Health")}})
	if g.status != 201 {
		t.Fatalf("group: %d %s", g.status, g.body)
	}
	if r := alan.api("GET", "/api/v1/companies", nil); !strings.Contains(r.body, `"groups":["Healthcare"]`) {
		t.Errorf("group not shown on the company: %s", r.body)
	}
	page := alan.get("/settings/companies")
	if page.status != 200 || !strings.Contains(page.body, "Managed clients") || !strings.Contains(page.body, "Umbrella Health") {
		t.Errorf("companies page: %d", page.status)
	}
}

// TestOrgDesignCrossTenant: every team and company ID of one tenant is unknown on the other.
func TestOrgDesignCrossTenant(t *testing.T) {
	e := newEnv(t, nil)
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	acmeTeam := strconv.FormatInt(teamID(t, e, "acme", "Leadership"), 10)
	acmeCompany := strconv.FormatInt(companyID(t, e, "acme", "Initech"), 10)
	nwTeam := strconv.FormatInt(teamID(t, e, "northwind", "Partners"), 10)
	nwCompany := strconv.FormatInt(companyID(t, e, "northwind", "Contoso"), 10)
	ken := strconv.FormatInt(userID(t, e, "acme", "ken@acme.test"), 10)
	checks := []struct {
		c            *client
		method, path string
		body         any
	}{
		{nina, "GET", "/api/v1/teams/" + acmeTeam, nil},
		{nina, "PATCH", "/api/v1/teams/" + acmeTeam, map[string]any{"name": "Taken"}},
		{nina, "DELETE", "/api/v1/teams/" + acmeTeam, nil},
		{nina, "POST", "/api/v1/teams/" + acmeTeam + "/members", map[string]any{"user_id": 1}},
		{nina, "GET", "/api/v1/companies/" + acmeCompany, nil},
		{nina, "PATCH", "/api/v1/companies/" + acmeCompany, map[string]any{"name": "Taken"}},
		{nina, "DELETE", "/api/v1/companies/" + acmeCompany, nil},
		{nina, "GET", "/settings/teams/" + acmeTeam, nil},
		{nina, "GET", "/settings/companies/" + acmeCompany, nil},
		{ada, "GET", "/api/v1/teams/" + nwTeam, nil},
		{ada, "GET", "/api/v1/companies/" + nwCompany, nil},
		{ada, "DELETE", "/api/v1/teams/" + nwTeam, nil},
	}
	for _, ch := range checks {
		if r := ch.c.api(ch.method, ch.path, ch.body); r.status != 404 {
			t.Errorf("%s %s from the other tenant: %d %s", ch.method, ch.path, r.status, r.body)
		}
	}
	// A team of one tenant cannot take a user of the other, even by ID.
	r := nina.api("POST", "/api/v1/teams/"+nwTeam+"/members", map[string]any{"user_id": mustInt(ken)})
	if r.status != 400 {
		t.Errorf("acme user added to a northwind team: %d %s", r.status, r.body)
	}
}

func mustInt(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
