package web_test

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// names pages through an API list and returns the field of each item in order.
func listField(t *testing.T, c *client, path, field string) []string {
	t.Helper()
	r := c.api("GET", path, nil)
	if r.status != 200 {
		t.Fatalf("GET %s: %d %s", path, r.status, r.body)
	}
	var out []string
	for _, it := range r.json(t)["items"].([]any) {
		out = append(out, it.(map[string]any)[field].(string))
	}
	return out
}

// TestListCounts: each list page says how many rows match, counted through
// the same scope as the list.
func TestListCounts(t *testing.T) {
	e := newEnv(t, nil)
	acme := tenantID(t, e, "acme")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	carol := e.client("acme.localhost").mustLogin("carol@globex.test", "demo-pass-1")
	users := count(t, e, "SELECT COUNT(*) FROM users WHERE tenant_id = ?", acme)
	teams := count(t, e, "SELECT COUNT(*) FROM teams WHERE tenant_id = ?", acme)
	companies := count(t, e, "SELECT COUNT(*) FROM companies WHERE tenant_id = ?", acme)
	if users != 14 || teams != 4 || companies != 4 {
		t.Fatalf("demo: %d users, %d teams, %d companies", users, teams, companies)
	}
	for _, tt := range []struct {
		c          *client
		path, want string
	}{
		{ada, "/settings/users", ">14 people<"},
		{ada, "/settings/users?kind=client", ">1 person<"},
		{ada, "/settings/users?kind=member&status=active", ">7 people<"},
		{ada, "/settings/teams", ">4 teams<"},
		{ada, "/teams", ">4 teams<"},
		{ada, "/teams?kind=function", ">2 teams<"},
		{carol, "/teams", ">1 team<"}, // a client counts their own teams only
		{ada, "/settings/companies", ">4 companies<"},
		{ada, "/audit?action=login", ">" + strconv.Itoa(count(t, e, "SELECT COUNT(*) FROM audit_log WHERE tenant_id = ? AND action = 'login'", acme)) + " records<"},
	} {
		r := tt.c.get(tt.path)
		if r.status != 200 || !strings.Contains(r.body, tt.want) {
			t.Errorf("%s: %d, want %q", tt.path, r.status, tt.want)
		}
	}
	// The count is of the whole list, not of the page.
	if r := ada.get("/settings/users?limit=3"); !strings.Contains(r.body, ">14 people<") || strings.Count(r.body, `data-label="Kind"`) != 3 {
		t.Errorf("count of a paged list: %d", r.status)
	}
}

// TestListSortAndFilters: the users, teams, companies and audit lists sort
// by the allowed keys and filter, in the API and on the pages alike.
func TestListSortAndFilters(t *testing.T) {
	e := newEnv(t, nil)
	e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	e.client("acme.localhost").mustLogin("grace@acme.test", "demo-pass-1")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for _, path := range []string{"/api/v1/users", "/api/v1/teams", "/api/v1/companies"} {
		asc := listField(t, ada, path+"?sort=name", "name")
		if len(asc) < 4 || !slices.IsSorted(asc) {
			t.Errorf("%s by name: %v", path, asc)
		}
		if def := listField(t, ada, path, "name"); !slices.Equal(def, asc) {
			t.Errorf("%s: the default is not by name: %v", path, def)
		}
		desc := listField(t, ada, path+"?sort=-name", "name")
		slices.Reverse(desc)
		if !slices.Equal(desc, asc) {
			t.Errorf("%s by -name: %v", path, desc)
		}
		newest := pageAll(t, ada, path+"?sort=-created", 2)
		if !slices.IsSortedFunc(newest, func(a, b int64) int { return int(b - a) }) {
			t.Errorf("%s newest first: %v", path, newest)
		}
		oldest := pageAll(t, ada, path+"?sort=created", 3)
		if !slices.IsSorted(oldest) || len(oldest) != len(newest) {
			t.Errorf("%s oldest first: %v", path, oldest)
		}
	}
	if got := listField(t, ada, "/api/v1/users?kind=client", "email"); !slices.Equal(got, []string{"carol@globex.test"}) {
		t.Errorf("clients: %v", got)
	}
	if got := listField(t, ada, "/api/v1/users?status=deactivated", "email"); !slices.Equal(got, []string{"dora@acme.test"}) {
		t.Errorf("deactivated: %v", got)
	}
	if got := listField(t, ada, "/api/v1/users?kind=external_editor&sort=-name", "email"); !slices.Equal(got, []string{"tess@acme.test", "oscar@initech.test", "erin@globex.test"}) {
		t.Errorf("external editors by -name: %v", got)
	}
	if got := listField(t, ada, "/api/v1/teams?kind=client", "name"); !slices.Equal(got, []string{"Globex Success"}) {
		t.Errorf("client teams: %v", got)
	}
	var group int64
	if err := e.db.R.QueryRow("SELECT id FROM company_groups WHERE name = 'Managed clients'").Scan(&group); err != nil {
		t.Fatal(err)
	}
	g := strconv.FormatInt(group, 10)
	if got := listField(t, ada, "/api/v1/companies?group="+g, "name"); !slices.Equal(got, []string{"Globex Corporation", "Initech"}) {
		t.Errorf("companies of the group: %v", got)
	}
	if got := listField(t, ada, "/api/v1/companies?group="+g+"&sort=-name", "name"); !slices.Equal(got, []string{"Initech", "Globex Corporation"}) {
		t.Errorf("companies of the group by -name: %v", got)
	}
	// Pending invitations sort by address or date, newest first by default.
	for _, addr := range []string{"zed@acme.test", "amy@acme.test", "max@acme.test"} {
		if r := ada.api("POST", "/api/v1/invitations", map[string]any{"email": addr, "kind": "member"}); r.status != 201 {
			t.Fatalf("invite %s: %d %s", addr, r.status, r.body)
		}
	}
	if got := listField(t, ada, "/api/v1/invitations?sort=email", "email"); !slices.Equal(got, []string{"amy@acme.test", "max@acme.test", "zed@acme.test"}) {
		t.Errorf("invitations by email: %v", got)
	}
	if got := listField(t, ada, "/api/v1/invitations", "email"); !slices.Equal(got, []string{"max@acme.test", "amy@acme.test", "zed@acme.test"}) {
		t.Errorf("invitations newest first: %v", got)
	}
	if got := pageAll(t, ada, "/api/v1/invitations?sort=email", 1); len(got) != 3 {
		t.Errorf("invitations by email, a page at a time: %v", got)
	}
	if r := ada.get("/settings/users"); !strings.Contains(r.body, ">3 pending invitations<") {
		t.Errorf("the invitations are not counted")
	}
	// The audit log, oldest first, pages forwards.
	at := pageAll(t, ada, "/api/v1/audit?sort=at", 1)
	if len(at) < 3 || !slices.IsSorted(at) {
		t.Errorf("audit oldest first: %v", at)
	}
	// The pages show the same order, the sorted column marked.
	page := ada.get("/settings/companies?sort=-name")
	if i, g := strings.Index(page.body, "Umbrella Health"), strings.Index(page.body, "Globex Corporation"); i < 0 || g < 0 || i > g {
		t.Errorf("companies page by -name")
	}
	if !strings.Contains(page.body, `aria-sort="descending"`) {
		t.Errorf("the sorted column is not marked")
	}
	users := ada.get("/settings/users?kind=client")
	if !strings.Contains(users.body, "Carol Client") || strings.Contains(users.body, "Ken Thompson") {
		t.Errorf("users page filtered by kind")
	}
	// An htmx request from the filters gets the list's region only.
	frag := ada.do("GET", "/settings/users?kind=client", nil, "", map[string]string{"HX-Request": "true", "HX-Target": "user-rows"})
	if frag.status != 200 || strings.Contains(frag.body, "<html") || !strings.Contains(frag.body, `id="user-rows"`) || !strings.Contains(frag.body, ">1 person<") {
		t.Errorf("filter fragment: %d %s", frag.status, frag.body)
	}
	frag = ada.do("GET", "/settings/companies?group="+g, nil, "", map[string]string{"HX-Request": "true", "HX-Target": "company-list"})
	if frag.status != 200 || strings.Contains(frag.body, "<html") || !strings.Contains(frag.body, ">2 companies<") || strings.Contains(frag.body, "Umbrella") {
		t.Errorf("companies fragment: %d %s", frag.status, frag.body)
	}
}

// TestListPagingKeepsSortAndFilters: paging a sorted, filtered list visits
// each matching row exactly once, in order, and "Load more" carries the sort
// and filters.
func TestListPagingKeepsSortAndFilters(t *testing.T) {
	e := newEnv(t, nil)
	for _, who := range []string{"alan", "grace", "ken", "linus"} {
		e.client("acme.localhost").mustLogin(who+"@acme.test", "demo-pass-1")
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for _, path := range []string{
		"/api/v1/users?kind=member&sort=-name",
		"/api/v1/users?status=active&sort=name",
		"/api/v1/users?q=acme&sort=-created",
		"/api/v1/teams?kind=function&sort=-name",
		"/api/v1/companies?sort=-created",
		"/api/v1/audit?action=login&sort=at",
	} {
		whole := pageAll(t, ada, path, 200)
		for _, limit := range []int{1, 2, 3} {
			if got := pageAll(t, ada, path, limit); !slices.Equal(got, whole) {
				t.Errorf("%s by %d: %v, want %v", path, limit, got, whole)
			}
		}
	}
	page := ada.get("/settings/users?kind=member&sort=-name&limit=2")
	next := loadMore(t, page.body, "/settings/users")
	u, _ := url.Parse(next)
	if q := u.Query(); q.Get("kind") != "member" || q.Get("sort") != "-name" || q.Get("cursor") == "" {
		t.Fatalf("Load more loses the sort or filters: %s", next)
	}
	var seen []string
	for range 20 {
		r := ada.do("GET", next, nil, "", map[string]string{"HX-Request": "true"})
		if r.status != 200 || strings.Contains(r.body, "<html") {
			t.Fatalf("next rows: %d", r.status)
		}
		seen = append(seen, r.body)
		m := loadMoreRE.FindStringSubmatch(r.body)
		if m == nil {
			break
		}
		next = strings.ReplaceAll(m[1], "&amp;", "&")
	}
	// The rows only: the page's frame names the signed-in user too.
	all := page.body[strings.Index(page.body, `id="user-rows"`):] + strings.Join(seen, "")
	for _, name := range []string{"Ken Thompson", "Linus Torvalds", "Ada Lovelace", "Dora Deactivated"} {
		if strings.Count(all, "<strong>"+name+"</strong>") != 1 {
			t.Errorf("%s appears %d times while paging", name, strings.Count(all, "<strong>"+name+"</strong>"))
		}
	}
	if strings.Contains(all, "Carol Client") {
		t.Error("paging dropped the kind filter")
	}
	if l, k := strings.Index(all, "Linus Torvalds"), strings.Index(all, "Ken Thompson"); l > k {
		t.Error("paging dropped the sort")
	}
}

// TestListRefusals: a sort or filter a list does not know is 400 with a
// message for its field, in the API and on the page; so is a cursor handed
// out under another sort.
func TestListRefusals(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	for _, tt := range []struct {
		c           *client
		path, field string
	}{
		{ada, "/api/v1/users?sort=email", "sort"},
		{ada, "/api/v1/users?sort=name;drop", "sort"},
		{ada, "/api/v1/users?kind=admin", "kind"},
		{ada, "/api/v1/users?status=gone", "status"},
		{ken, "/api/v1/users?status=deactivated", "status"}, // who is deactivated is for those who manage users
		{ada, "/api/v1/teams?kind=club", "kind"},
		{ada, "/api/v1/teams?sort=members", "sort"},
		{ada, "/api/v1/companies?group=abc", "group"},
		{ada, "/api/v1/companies?sort=domain", "sort"},
		{ada, "/api/v1/audit?sort=name", "sort"},
		{ada, "/api/v1/invitations?sort=kind", "sort"},
	} {
		r := tt.c.api("GET", tt.path, nil)
		if r.status != 400 || r.errorCode() != "invalid" {
			t.Errorf("%s: %d %s", tt.path, r.status, r.body)
			continue
		}
		if fields, _ := r.json(t)["error"].(map[string]any)["fields"].(map[string]any); fields[tt.field] == nil {
			t.Errorf("%s: no message for %s: %s", tt.path, tt.field, r.body)
		}
	}
	for _, tt := range []struct{ path, want string }{
		{"/settings/users?sort=bogus", "Sort by one of: name, -name, -created, created."},
		{"/settings/users?kind=bogus", "Choose member, guest, client"},
		{"/settings/teams?kind=bogus", "Choose function, geography"},
		{"/teams?sort=bogus", "Sort by one of"},
		{"/settings/companies?group=x", "Choose a group from the list."},
		{"/audit?sort=bogus", "Sort by one of: -at, at."},
	} {
		r := ada.get(tt.path)
		if r.status != 400 || !strings.Contains(r.body, tt.want) || !strings.Contains(r.body, `aria-invalid="true"`) {
			t.Errorf("%s: %d, want %q by its field", tt.path, r.status, tt.want)
		}
	}
	// A cursor of one sort is refused by another, and by the same sort it works.
	for _, list := range []string{"/api/v1/users", "/api/v1/teams", "/api/v1/companies", "/api/v1/audit"} {
		sorts := []string{"name", "-name"}
		if list == "/api/v1/audit" {
			sorts = []string{"-at", "at"}
		}
		cur := ada.api("GET", list+"?limit=1&sort="+sorts[0], nil).json(t)["next_cursor"].(string)
		if r := ada.api("GET", list+"?sort="+sorts[1]+"&cursor="+url.QueryEscape(cur), nil); r.status != 400 || !strings.Contains(r.body, `"cursor"`) {
			t.Errorf("%s: a cursor of sort %s under %s: %d", list, sorts[0], sorts[1], r.status)
		}
		if r := ada.api("GET", list+"?sort="+sorts[0]+"&cursor="+url.QueryEscape(cur), nil); r.status != 200 {
			t.Errorf("%s: its own cursor: %d", list, r.status)
		}
	}
	if r := ada.get("/settings/users?sort=-name&cursor=" + url.QueryEscape(ada.api("GET", "/api/v1/users?limit=1", nil).json(t)["next_cursor"].(string))); r.status != 400 {
		t.Errorf("users page with a cursor of another sort: %d", r.status)
	}
}

// TestListEmptyStates: an empty list says what to do: clear the filters
// that hide every row, or add the first.
func TestListEmptyStates(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	r := ada.get("/settings/users?kind=guest&status=deactivated")
	if r.status != 200 || !strings.Contains(r.body, "No people match these filters.") || !strings.Contains(r.body, `href="/settings/users">Clear filters</a>`) {
		t.Errorf("users hidden by filters: %d", r.status)
	}
	if r := ada.get("/teams?kind=vertical"); !strings.Contains(r.body, "No teams match these filters.") {
		t.Errorf("teams hidden by a filter: %d", r.status)
	}
	if r := ada.get("/audit?q=nothing-like-this"); !strings.Contains(r.body, "No records match these filters.") {
		t.Errorf("audit hidden by a filter: %d", r.status)
	}
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	var contoso int64
	if err := e.db.R.QueryRow("SELECT id FROM companies WHERE name = 'Contoso'").Scan(&contoso); err != nil {
		t.Fatal(err)
	}
	if r := nina.api("DELETE", "/api/v1/companies/"+strconv.FormatInt(contoso, 10), nil); r.status != 409 || !strings.Contains(r.body, "2 tickets belong to this company") {
		t.Fatalf("delete Contoso with its tickets: %d %s", r.status, r.body)
	}
	if _, err := e.db.W.Exec("DELETE FROM tickets WHERE company_id = ?", contoso); err != nil {
		t.Fatal(err)
	}
	if r := nina.api("DELETE", "/api/v1/companies/"+strconv.FormatInt(contoso, 10), nil); r.status != 204 {
		t.Fatalf("delete Contoso: %d %s", r.status, r.body)
	}
	r = nina.get("/settings/companies")
	if r.status != 200 || !strings.Contains(r.body, "No companies yet") || !strings.Contains(r.body, "Add the first with the form below.") || strings.Contains(r.body, "Clear filters") {
		t.Errorf("no companies: %d", r.status)
	}
}
