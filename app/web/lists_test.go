package web_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func tenantID(t *testing.T, e *env, slug string) int64 {
	t.Helper()
	var id int64
	if err := e.db.R.QueryRow("SELECT id FROM tenants WHERE slug = ?", slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func count(t *testing.T, e *env, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// pageAll follows next_cursor from path until the last page and returns the
// IDs in order; it fails on a page larger than limit or a repeated ID.
func pageAll(t *testing.T, c *client, path string, limit int) []int64 {
	t.Helper()
	var ids []int64
	seen := map[int64]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatalf("%s: no end of pages", path)
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		u := path + sep + "limit=" + strconv.Itoa(limit)
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		r := c.api("GET", u, nil)
		if r.status != 200 {
			t.Fatalf("GET %s: %d %s", u, r.status, r.body)
		}
		body := r.json(t)
		items, ok := body["items"].([]any)
		if !ok {
			t.Fatalf("GET %s: no items: %s", u, r.body)
		}
		next, ok := body["next_cursor"].(string)
		if !ok {
			t.Fatalf("GET %s: next_cursor is not a string: %s", u, r.body)
		}
		if len(items) > limit || (next != "" && len(items) != limit) {
			t.Fatalf("GET %s: %d items for limit %d (next %q)", u, len(items), limit, next)
		}
		for _, it := range items {
			id := int64(it.(map[string]any)["id"].(float64))
			if seen[id] {
				t.Fatalf("GET %s: %d again", u, id)
			}
			seen[id] = true
			ids = append(ids, id)
		}
		if next == "" {
			return ids
		}
		cursor = next
	}
}

// TestThousandsOfCompanies: past 1,000 companies, each one is still reachable
// by ID, changeable, and listed exactly once when paging.
func TestThousandsOfCompanies(t *testing.T) {
	e := newEnv(t, nil)
	acme := tenantID(t, e, "acme")
	ctx := context.Background()
	tx, err := e.db.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for i := 1; i <= 1100; i++ {
		if _, err := tx.ExecContext(ctx, "INSERT INTO companies (tenant_id, name, domain, notes, created_at) VALUES (?, ?, '', '', ?)",
			acme, fmt.Sprintf("Bulk %04d", i), now); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	id := strconv.FormatInt(companyID(t, e, "acme", "Bulk 1050"), 10)
	if r := alan.api("GET", "/api/v1/companies/"+id, nil); r.status != 200 || !strings.Contains(r.body, `"name":"Bulk 1050"`) {
		t.Fatalf("GET the 1,050th: %d %s", r.status, r.body)
	}
	if r := alan.api("PATCH", "/api/v1/companies/"+id, map[string]any{"notes": "Renewal in May"}); r.status != 200 || !strings.Contains(r.body, `"notes":"Renewal in May"`) {
		t.Fatalf("PATCH the 1,050th: %d %s", r.status, r.body)
	}
	if r := alan.get("/settings/companies/" + id); r.status != 200 || !strings.Contains(r.body, "Renewal in May") {
		t.Errorf("the 1,050th's page: %d", r.status)
	}
	// A new company sorting after all of them answers 201 with itself.
	r := alan.api("POST", "/api/v1/companies", map[string]any{"name": "Zeta Systems", "domain": "zeta.example"})
	if r.status != 201 || !strings.Contains(r.body, `"name":"Zeta Systems"`) || !strings.Contains(r.body, `"domain":"zeta.example"`) {
		t.Fatalf("create past 1,000: %d %s", r.status, r.body)
	}
	zeta := strconv.Itoa(int(r.json(t)["id"].(float64)))
	if r := alan.api("GET", "/api/v1/companies/"+zeta, nil); r.status != 200 {
		t.Errorf("GET the new company: %d", r.status)
	}
	// Paging: every company once, in name order, with no gaps.
	want := count(t, e, "SELECT COUNT(*) FROM companies WHERE tenant_id = ?", acme)
	for _, limit := range []int{200, 37} {
		ids := pageAll(t, alan, "/api/v1/companies", limit)
		if len(ids) != want {
			t.Errorf("limit %d: %d companies of %d", limit, len(ids), want)
		}
	}
	first := alan.api("GET", "/api/v1/companies", nil).json(t)
	if n := len(first["items"].([]any)); n != 50 {
		t.Errorf("default page: %d items", n)
	}
	// Out of scope is 404, whichever way it is asked.
	if r := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1").api("GET", "/api/v1/companies", nil); r.status != 403 {
		t.Errorf("external user without the Companies module lists companies: %d", r.status)
	}
	showCompaniesModule(t, e, "erin@globex.test")
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	if r := erin.api("GET", "/api/v1/companies/"+id, nil); r.status != 404 {
		t.Errorf("external user opens an unassigned company: %d", r.status)
	}
	if ids := pageAll(t, erin, "/api/v1/companies", 200); len(ids) != 1 {
		t.Errorf("external user lists %d companies", len(ids))
	}
	// The settings page pages too, with a link that works without JavaScript.
	row := func(name string) string {
		return `href="/settings/companies/` + strconv.FormatInt(companyID(t, e, "acme", name), 10) + `"`
	}
	page := alan.get("/settings/companies")
	next := loadMore(t, page.body, "/settings/companies")
	if strings.Contains(page.body, row("Bulk 0100")) || !strings.Contains(page.body, row("Bulk 0001")) {
		t.Errorf("the first page of companies is not the first 50")
	}
	second := alan.get(next)
	if second.status != 200 || !strings.Contains(second.body, row("Bulk 0060")) || strings.Contains(second.body, row("Bulk 0001")) {
		t.Errorf("the next page: %d", second.status)
	}
	frag := alan.do("GET", next, nil, "", map[string]string{"HX-Request": "true"})
	if frag.status != 200 || strings.Contains(frag.body, "<html") || !strings.Contains(frag.body, row("Bulk 0060")) || !strings.Contains(frag.body, "Load more") {
		t.Errorf("htmx next page: %d %s", frag.status, frag.body)
	}
}

var loadMoreRE = regexp.MustCompile(`<a class="btn btn-secondary" href="([^"]+)"[^>]*hx-get=`)

// loadMore returns the "Load more" link of a page, which must start with path.
func loadMore(t *testing.T, body, path string) string {
	t.Helper()
	m := loadMoreRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no Load more link for %s", path)
	}
	link := html.UnescapeString(m[1])
	if !strings.HasPrefix(link, path+"?") || !strings.Contains(link, "cursor=") {
		t.Fatalf("Load more goes to %s", link)
	}
	return link
}

// TestEveryListPages: each list API pages with limit and cursor, every row
// once, the same answer shape, and refuses bad limits and cursors with 400.
func TestEveryListPages(t *testing.T) {
	e := newEnv(t, nil)
	acme := tenantID(t, e, "acme")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for i := range 3 {
		if r := ada.api("POST", "/api/v1/company_groups", map[string]any{"name": fmt.Sprintf("Group %d", i)}); r.status != 201 || !strings.Contains(r.body, `"companies":[]`) {
			t.Fatalf("create group: %d %s", r.status, r.body)
		}
		r := ada.api("POST", "/api/v1/invitations", map[string]any{"email": fmt.Sprintf("new%d@acme.test", i), "kind": "member"})
		if m := r.json(t); r.status != 201 || m["id"] == nil || m["email"] != fmt.Sprintf("new%d@acme.test", i) || m["status"] != "pending" {
			t.Fatalf("invite: %d %s", r.status, r.body)
		}
	}
	lists := []struct {
		path string
		want int
	}{
		{"/api/v1/users", count(t, e, "SELECT COUNT(*) FROM users WHERE tenant_id = ?", acme)},
		{"/api/v1/teams", count(t, e, "SELECT COUNT(*) FROM teams WHERE tenant_id = ?", acme)},
		{"/api/v1/companies", count(t, e, "SELECT COUNT(*) FROM companies WHERE tenant_id = ?", acme)},
		{"/api/v1/company_groups", count(t, e, "SELECT COUNT(*) FROM company_groups WHERE tenant_id = ?", acme)},
		{"/api/v1/invitations", count(t, e, "SELECT COUNT(*) FROM user_tokens ut JOIN users u ON u.id = ut.user_id WHERE ut.tenant_id = ? AND ut.purpose = 'invite' AND u.status = 'invited' AND ut.used_at IS NULL AND ut.revoked_at IS NULL", acme)},
		{"/api/v1/audit", -1},
	}
	for _, l := range lists {
		want := l.want
		if want < 0 {
			want = count(t, e, "SELECT COUNT(*) FROM audit_log WHERE tenant_id = ?", acme)
		}
		if want < 3 {
			t.Fatalf("%s: only %d rows to page through", l.path, want)
		}
		for _, limit := range []int{1, 2, 200} {
			if ids := pageAll(t, ada, l.path, limit); len(ids) < want || (l.path != "/api/v1/audit" && len(ids) != want) {
				t.Errorf("%s limit %d: %d rows, want %d", l.path, limit, len(ids), want)
			}
		}
		for _, q := range []string{"limit=0", "limit=201", "limit=ten", "limit=-1"} {
			r := ada.api("GET", l.path+"?"+q, nil)
			if r.status != 400 || !strings.Contains(r.body, `"limit"`) {
				t.Errorf("%s?%s: %d %s", l.path, q, r.status, r.body)
			}
		}
		first := ada.api("GET", l.path+"?limit=1", nil).json(t)["next_cursor"].(string)
		for _, bad := range []string{"12", "garbage!", first[:len(first)-2], first + "AA", strings.Repeat("A", 3000)} {
			r := ada.api("GET", l.path+"?cursor="+url.QueryEscape(bad), nil)
			if r.status != 400 || !strings.Contains(r.body, `"cursor"`) {
				t.Errorf("%s with cursor %q: %d %s", l.path, bad, r.status, r.body)
			}
		}
	}
	// A cursor of one list is refused by another.
	users := ada.api("GET", "/api/v1/users?limit=1", nil).json(t)["next_cursor"].(string)
	if r := ada.api("GET", "/api/v1/audit?cursor="+url.QueryEscape(users), nil); r.status != 400 {
		t.Errorf("a users cursor on the audit list: %d", r.status)
	}
	// The search travels with the cursor.
	r := ada.api("GET", "/api/v1/users?q=acme.test&limit=2", nil).json(t)
	next := r["next_cursor"].(string)
	page2 := ada.api("GET", "/api/v1/users?q=acme.test&limit=200&cursor="+url.QueryEscape(next), nil)
	if strings.Contains(page2.body, "globex.test") {
		t.Errorf("second page of a search ignores it: %s", page2.body)
	}
}

// TestHTMLListsPage: the HTML lists end in a "Load more" link instead of
// stopping silently, and the link leads to the next rows.
func TestHTMLListsPage(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	grace := e.client("acme.localhost").mustLogin("grace@acme.test", "demo-pass-1")
	for _, tt := range []struct {
		c    *client
		path string
	}{
		{ada, "/settings/users"},
		{grace, "/settings/teams"},
		{ada, "/teams"},
		{ada, "/settings/companies"},
		{ada, "/audit"},
	} {
		page := tt.c.get(tt.path + "?limit=1")
		if page.status != 200 {
			t.Fatalf("%s: %d", tt.path, page.status)
		}
		next := loadMore(t, page.body, tt.path)
		if r := tt.c.get(next); r.status != 200 || !strings.Contains(r.body, "<html") {
			t.Errorf("%s next page: %d", tt.path, r.status)
		}
		frag := tt.c.do("GET", next, nil, "", map[string]string{"HX-Request": "true"})
		if frag.status != 200 || strings.Contains(frag.body, "<html") || !strings.Contains(frag.body, "<tr") {
			t.Errorf("%s next rows for htmx: %d %s", tt.path, frag.status, frag.body)
		}
		if r := tt.c.get(tt.path + "?cursor=bogus"); r.status != 400 {
			t.Errorf("%s with a bad cursor: %d", tt.path, r.status)
		}
	}
}

// TestTextLimits: too long a field is 400 with a message for that field, in
// JSON and next to the field in forms; nothing is stored.
func TestTextLimits(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	grace := e.client("acme.localhost").mustLogin("grace@acme.test", "demo-pass-1")
	long := func(n int) string { return strings.Repeat("ü", n) }
	for _, tt := range []struct {
		c           *client
		method, url string
		body        map[string]any
		field       string
	}{
		{alan, "POST", "/api/v1/companies", map[string]any{"name": long(121)}, "name"},
		{alan, "POST", "/api/v1/companies", map[string]any{"name": "Ok", "domain": strings.Repeat("a", 254)}, "domain"},
		{alan, "POST", "/api/v1/companies", map[string]any{"name": "Ok", "notes": long(5001)}, "notes"},
		{alan, "POST", "/api/v1/company_groups", map[string]any{"name": long(81)}, "name"},
		{grace, "POST", "/api/v1/teams", map[string]any{"name": long(81)}, "name"},
		{alan, "GET", "/api/v1/users?q=" + url.QueryEscape(long(201)), nil, "q"},
	} {
		var body any
		if tt.body != nil {
			body = tt.body
		}
		r := tt.c.api(tt.method, tt.url, body)
		if r.status != 400 || r.errorCode() != "invalid" {
			t.Errorf("%s %s: %d %s", tt.method, tt.url, r.status, r.body)
			continue
		}
		fields, _ := r.json(t)["error"].(map[string]any)["fields"].(map[string]any)
		if fields[tt.field] == nil {
			t.Errorf("%s %s: no message for %s: %s", tt.method, tt.url, tt.field, r.body)
		}
	}
	if n := count(t, e, "SELECT COUNT(*) FROM companies WHERE name = 'Ok'"); n != 0 {
		t.Errorf("%d companies stored despite errors", n)
	}
	if r := alan.get("/settings/users?q=" + url.QueryEscape(long(201))); r.status != 400 || !strings.Contains(r.body, "Search for at most 200 characters.") || !strings.Contains(r.body, `id="user-rows-q"`) {
		t.Errorf("long search on the users page: %d", r.status)
	}
	page := alan.get("/settings/companies")
	r := alan.form("/settings/companies", url.Values{"_csrf": {formCSRF(t, page.body)}, "name": {"Ok"}, "notes": {long(5001)}})
	if r.status != 400 || !strings.Contains(r.body, "At most 5000 characters.") || !strings.Contains(r.body, `name="notes"`) {
		t.Errorf("long notes through the form: %d", r.status)
	}
}
