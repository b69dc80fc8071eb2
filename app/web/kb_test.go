package web_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The knowledge base (SPEC §5, page external_content at /kb) as each demo
// user of SPEC §15 may read and write it.

var (
	sharedArticles = []string{"How to reach the service desk", "Set up MFA on your phone", "Globex VPN setup guide"}
	articleLinkRE  = regexp.MustCompile(`href="/kb/\d+"`)
)

func kbPath(id int64) string { return "/kb/" + strconv.FormatInt(id, 10) }

func TestKBErinReadsWhatIsSharedWithGlobex(t *testing.T) {
	e := newEnv(t, nil)
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	runbook := lookupID(t, e, "article", "acme", "On-call runbook")

	page := erin.get("/kb")
	if page.status != 200 {
		t.Fatalf("erin's /kb: %d\n%s", page.status, page.body)
	}
	for _, title := range sharedArticles {
		if !strings.Contains(page.body, title) {
			t.Errorf("erin's /kb lacks %q", title)
		}
	}
	if n := len(articleLinkRE.FindAllString(page.body, -1)); n != 3 {
		t.Errorf("erin's /kb links %d articles, want 3", n)
	}
	for _, hidden := range []string{"On-call runbook", "New article", "Shared with", "All companies", "/kb/categories", "Internal"} {
		if strings.Contains(page.body, hidden) {
			t.Errorf("erin's /kb shows %q", hidden)
		}
	}
	if !strings.Contains(page.body, "<title>Knowledge Base") || !strings.Contains(page.body, ">Knowledge Base<") {
		t.Error("erin's /kb should carry her label, Knowledge Base, in its title and navigation")
	}

	// Search: the list fragment through htmx, and a word only the runbook holds.
	r := erin.do("GET", "/kb?q=vpn", nil, "", map[string]string{"HX-Request": "true", "HX-Target": "kb-list"})
	if r.status != 200 || !strings.Contains(r.body, "Globex VPN setup guide") || strings.Contains(r.body, "Set up MFA") || strings.Contains(r.body, "<html") {
		t.Errorf("erin's search fragment: %d\n%s", r.status, r.body)
	}
	for _, path := range []string{"/kb?q=escalation", "/kb?q=pager", "/api/v1/articles?q=escalation"} {
		r := erin.get(path)
		if r.status != 200 || strings.Contains(r.body, "On-call runbook") || articleLinkRE.MatchString(r.body) || strings.Contains(r.body, `"id"`) {
			t.Errorf("%s for erin: %d\n%s", path, r.status, r.body)
		}
	}

	// JSON: the three, without the source or sharing.
	list := erin.get("/api/v1/articles")
	if list.status != 200 {
		t.Fatalf("erin's API list: %d %s", list.status, list.body)
	}
	items := list.json(t)["items"].([]any)
	if len(items) != 3 {
		t.Errorf("erin's API list has %d articles, want 3: %s", len(items), list.body)
	}
	for _, field := range []string{`"audience"`, `"company_ids"`, `"published"`, `"body"`, "On-call runbook"} {
		if strings.Contains(list.body, field) {
			t.Errorf("erin's API list holds %s", field)
		}
	}
	vpn := lookupID(t, e, "article", "acme", "Globex VPN setup guide")
	one := erin.get("/api/v1/articles/" + strconv.FormatInt(vpn, 10))
	m := one.json(t)
	if one.status != 200 || !strings.Contains(m["body_html"].(string), "<h2>") || m["category"] == nil {
		t.Errorf("erin's VPN guide: %d %s", one.status, one.body)
	}
	for _, field := range []string{"body", "audience", "company_ids", "published"} {
		if _, ok := m[field]; ok {
			t.Errorf("erin's VPN guide holds %s", field)
		}
	}
	art := erin.get(kbPath(vpn))
	if art.status != 200 || !strings.Contains(art.body, "GlobalProtect") || strings.Contains(art.body, "badge-kb-shared") || strings.Contains(art.body, ">Edit<") {
		t.Errorf("erin's VPN page: %d", art.status)
	}

	// The runbook does not exist for her.
	for _, path := range []string{kbPath(runbook), "/api/v1/articles/" + strconv.FormatInt(runbook, 10)} {
		if r := erin.get(path); r.status != 404 || strings.Contains(r.body, "escalation") {
			t.Errorf("%s for erin: %d", path, r.status)
		}
	}
	cats := erin.get("/api/v1/article_categories")
	if cats.status != 200 || len(cats.json(t)["items"].([]any)) != 3 {
		t.Errorf("erin's categories: %d %s", cats.status, cats.body)
	}

	// Erin reads; she writes nothing.
	for _, w := range []struct{ method, path string }{
		{"GET", "/kb/new"}, {"POST", "/kb"}, {"POST", "/kb/preview"}, {"POST", "/kb/categories"},
		{"GET", kbPath(vpn) + "/edit"}, {"POST", kbPath(vpn)}, {"POST", kbPath(vpn) + "/delete"},
	} {
		r := erin.htmx(w.method, w.path, url.Values{"title": {"x"}, "body": {"x"}, "name": {"x"}})
		if r.status != 403 {
			t.Errorf("erin %s %s: %d", w.method, w.path, r.status)
		}
	}
	for _, w := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/v1/articles", map[string]any{"title": "Mine"}},
		{"PATCH", "/api/v1/articles/" + strconv.FormatInt(vpn, 10), map[string]any{"title": "Mine"}},
		{"DELETE", "/api/v1/articles/" + strconv.FormatInt(vpn, 10), nil},
	} {
		if r := erin.api(w.method, w.path, w.body); r.status != 403 {
			t.Errorf("erin %s %s: %d", w.method, w.path, r.status)
		}
	}
}

func TestKBWithoutTheModule(t *testing.T) {
	e := newEnv(t, nil)
	for _, email := range []string{"oscar@initech.test", "victor@globex.test", "carol@globex.test", "gina@guest.test"} {
		c := e.client("acme.localhost").mustLogin(email, "demo-pass-1")
		for _, path := range []string{"/kb", "/api/v1/articles", "/api/v1/article_categories", kbPath(lookupID(t, e, "article", "acme", "Set up MFA on your phone"))} {
			if r := c.get(path); r.status != 403 {
				t.Errorf("%s GET %s: %d", email, path, r.status)
			}
		}
	}
}

func TestKBAdaReadsAndWrites(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	page := ada.get("/kb")
	if page.status != 200 {
		t.Fatalf("ada's /kb: %d", page.status)
	}
	for _, want := range append(sharedArticles, "On-call runbook", "New article", "Globex Corporation", "All companies", "Internal", "<title>Knowledge base") {
		if !strings.Contains(page.body, want) {
			t.Errorf("ada's /kb lacks %q", want)
		}
	}
	if n := len(articleLinkRE.FindAllString(page.body, -1)); n != 4 {
		t.Errorf("ada's /kb links %d articles, want 4", n)
	}
	runbook := lookupID(t, e, "article", "acme", "On-call runbook")
	if r := ada.get(kbPath(runbook)); r.status != 200 || !strings.Contains(r.body, "Internal") || !strings.Contains(r.body, ">Edit<") {
		t.Errorf("ada's runbook: %d", r.status)
	}
	one := ada.get("/api/v1/articles/" + strconv.FormatInt(lookupID(t, e, "article", "acme", "Globex VPN setup guide"), 10)).json(t)
	if one["audience"] != "companies" || len(one["company_ids"].([]any)) != 1 || !strings.Contains(one["body"].(string), "GlobalProtect") {
		t.Errorf("ada's VPN guide: %v", one)
	}
	// A Northwind article does not exist on acme.
	if r := ada.get(kbPath(lookupID(t, e, "article", "northwind", "Partner onboarding checklist"))); r.status != 404 {
		t.Errorf("a Northwind article on acme: %d", r.status)
	}

	// Write through the form: refused, then saved; the preview renders.
	form := url.Values{"title": {""}, "body": {"x"}, "audience": {"companies"}, "published": {"1"}}
	if r := ada.htmx("POST", "/kb", form); r.status != 400 || !strings.Contains(r.body, "Give the article a title") || !strings.Contains(r.body, "Choose at least one company") {
		t.Errorf("a refused article: %d\n%s", r.status, r.body)
	}
	globex := strconv.FormatInt(lookupID(t, e, "company", "acme", "Globex Corporation"), 10)
	form = url.Values{"title": {"Printer guide"}, "body": {"# Printers\n\n<script>alert(1)</script> [x](javascript:alert(2))"},
		"audience": {"companies"}, "company_ids": {globex}, "published": {"1"}}
	r := ada.htmx("POST", "/kb", form)
	loc := r.header.Get("HX-Redirect")
	if r.status != 204 || !strings.HasPrefix(loc, "/kb/") {
		t.Fatalf("a new article: %d %q\n%s", r.status, loc, r.body)
	}
	art := ada.get(loc)
	if art.status != 200 || !strings.Contains(art.body, "<h1>Printers</h1>") || strings.Contains(art.body, "<script>alert") || strings.Contains(art.body, "javascript:") {
		t.Errorf("the new article: %d\n%s", art.status, art.body)
	}
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	if r := erin.get(loc); r.status != 200 || strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "javascript:") {
		t.Errorf("erin's view of the new article: %d", r.status)
	}
	prev := ada.htmx("POST", "/kb/preview", url.Values{"body": {"**bold** <script>x</script>"}})
	if prev.status != 200 || !strings.Contains(prev.body, "<strong>bold</strong>") || strings.Contains(prev.body, "<script>") {
		t.Errorf("preview: %d %s", prev.status, prev.body)
	}
	// Oscar, given the module, still does not see a Globex-only article.
	oscarID := strconv.FormatInt(lookupID(t, e, "user", "acme", "oscar@initech.test"), 10)
	if r := ada.api("PATCH", "/api/v1/users/"+oscarID, map[string]any{"modules": []map[string]any{
		{"key": "tickets", "show": true}, {"key": "external_content", "show": true, "label": "Help"}}}); r.status != 200 {
		t.Fatalf("give oscar the knowledge base: %d %s", r.status, r.body)
	}
	oscar := e.client("acme.localhost").mustLogin("oscar@initech.test", "demo-pass-1")
	if r := oscar.get("/kb"); r.status != 200 || !strings.Contains(r.body, "Set up MFA") || strings.Contains(r.body, "Globex") || !strings.Contains(r.body, "<title>Help") {
		t.Errorf("oscar's /kb: %d", r.status)
	}
	for _, path := range []string{loc, kbPath(lookupID(t, e, "article", "acme", "Globex VPN setup guide")), "/api/v1/articles/" + strconv.FormatInt(lookupID(t, e, "article", "acme", "Globex VPN setup guide"), 10)} {
		if r := oscar.get(path); r.status != 404 {
			t.Errorf("oscar GET %s: %d", path, r.status)
		}
	}

	// The API: create, change, delete; categories by the form.
	created := ada.api("POST", "/api/v1/articles", map[string]any{"title": "Backups", "body": "We back up nightly.", "audience": "all", "published": true})
	if created.status != 201 {
		t.Fatalf("API create: %d %s", created.status, created.body)
	}
	id := strconv.FormatInt(int64(created.json(t)["id"].(float64)), 10)
	if r := ada.api("PATCH", "/api/v1/articles/"+id, map[string]any{"audience": "internal"}); r.status != 200 || r.json(t)["audience"] != "internal" {
		t.Errorf("API patch: %d %s", r.status, r.body)
	}
	if r := erin.get("/api/v1/articles/" + id); r.status != 404 {
		t.Errorf("erin reads an internal article: %d", r.status)
	}
	if r := ada.api("DELETE", "/api/v1/articles/"+id, nil); r.status != 204 {
		t.Errorf("API delete: %d", r.status)
	}
	if r := ada.htmx("POST", "/kb/categories", url.Values{"name": {"Security"}}); r.status != 400 || !strings.Contains(r.body, "Another category has this name") {
		t.Errorf("a duplicate category: %d %s", r.status, r.body)
	}
	if r := ada.htmx("POST", "/kb/categories", url.Values{"name": {"Networking"}}); r.status != 200 || !strings.Contains(r.body, "Networking") {
		t.Errorf("a new category: %d %s", r.status, r.body)
	}
}
