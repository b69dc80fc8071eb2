package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The strategy pages (SPEC §5–6) as the demo users of SPEC §15 read and
// write them: the vision, why and direction with their history, the
// headlines and the roles chart.

// strategyID is the ID of a row of table (headlines, seats) in tenant slug
// whose column col is val.
func strategyID(t *testing.T, e *env, table, col, slug, val string) int64 {
	t.Helper()
	var id int64
	q := "SELECT x.id FROM " + table + " x JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = ? AND x." + col + " = ?"
	if err := e.db.R.QueryRowContext(context.Background(), q, slug, val).Scan(&id); err != nil {
		t.Fatalf("%s %q in %s: %v", table, val, slug, err)
	}
	return id
}

func actionCount(t *testing.T, e *env, action string) int {
	t.Helper()
	var n int
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT count(*) FROM audit_log WHERE action = ?", action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStrategyLinusEditsTheVision(t *testing.T) {
	e := newEnv(t, nil)
	linus := e.client("acme.localhost").mustLogin("linus@acme.test", "demo-pass-1")
	page := linus.get("/strategy/vision")
	for _, want := range []string{"Core values", "Core focus", "10-year target", "Marketing strategy", "3-year picture", "1-year plan",
		"Own the outcome", "<h2 id=\"section-core_values\"", "Edit the vision", "History", "Version 2", "Version 1", "Ada Lovelace"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("linus's vision lacks %q", want)
		}
	}
	if r := linus.get("/strategy/vision/edit"); r.status != 200 || !strings.Contains(r.body, `name="base" value="2"`) || !strings.Contains(r.body, "Own the outcome") {
		t.Fatalf("the vision's form: %d", r.status)
	}
	form := url.Values{"_csrf": {linus.csrf}, "base": {"2"}, "core_focus": {"## Purpose\n\nKeep clinics running. <script>alert('x')</script>"}}
	if r := linus.form("/strategy/vision", form); r.status != 303 || r.header.Get("Location") != "/strategy/vision" {
		t.Fatalf("saving the vision: %d %s", r.status, r.body)
	}
	page = linus.get("/strategy/vision")
	for _, want := range []string{"Keep clinics running", "Version 3", "Own the outcome"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the vision after saving lacks %q", want)
		}
	}
	if strings.Contains(page.body, "<script>alert") {
		t.Error("a script in the vision reached the page")
	}
	if n := actionCount(t, e, "strategy.save"); n != 1 {
		t.Errorf("%d strategy.save records, want 1", n)
	}
	hist := linus.get("/api/v1/strategy/vision/versions").json(t)["items"].([]any)
	if len(hist) != 3 {
		t.Fatalf("the vision's history has %d versions, want 3", len(hist))
	}
	top := hist[0].(map[string]any)
	if top["number"].(float64) != 3 || top["author"].(map[string]any)["name"] != "Linus Torvalds" {
		t.Errorf("the newest version: %v", top)
	}
	// The old version is still there to read, marked as old.
	old := linus.get("/strategy/vision/versions/" + strconv.FormatInt(int64(hist[2].(map[string]any)["id"].(float64)), 10))
	if old.status != 200 || !strings.Contains(old.body, "an older version") || strings.Contains(old.body, "Edit the vision") {
		t.Errorf("version 1: %d", old.status)
	}
	// Saving from version 2 again is refused: version 3 is newer.
	if r := linus.form("/strategy/vision", form); r.status != 409 || !strings.Contains(r.body, "newer version") || !strings.Contains(r.body, `name="base" value="3"`) {
		t.Errorf("a stale save: %d", r.status)
	}
	// Bad input: 400 with the field's message, never 500.
	long := url.Values{"_csrf": {linus.csrf}, "base": {"3"}, "core_values": {strings.Repeat("x", 50001)}}
	if r := linus.form("/strategy/vision", long); r.status != 400 || !strings.Contains(r.body, "Use at most 50000 characters") {
		t.Errorf("an overlong section: %d", r.status)
	}
	for _, body := range []map[string]any{
		{"sections": map[string]any{"mission": "x"}},
		{"sections": map[string]any{}},
		{"sections": map[string]any{"core_focus": 5}},
	} {
		if r := linus.api("PUT", "/api/v1/strategy/vision", body); r.status != 400 {
			t.Errorf("PUT %v: %d %s", body, r.status, r.body)
		}
	}
	if r := linus.api("PUT", "/api/v1/strategy/vision", map[string]any{"sections": map[string]any{"core_focus": "x"}, "base_version": 1}); r.status != 409 {
		t.Errorf("PUT from version 1: %d %s", r.status, r.body)
	}
	r := linus.api("PUT", "/api/v1/strategy/why", map[string]any{"sections": map[string]any{"body": "We exist to keep **clinics** open."}})
	if r.status != 200 || !strings.Contains(r.json(t)["sections"].([]any)[0].(map[string]any)["body_html"].(string), "<strong>clinics</strong>") {
		t.Errorf("PUT why: %d %s", r.status, r.body)
	}
}

func TestStrategyMembersReadOnly(t *testing.T) {
	e := newEnv(t, nil)
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	for _, path := range []string{"/strategy/vision", "/strategy/why", "/strategy/direction", "/headlines", "/roles"} {
		r := ken.get(path)
		if r.status != 200 {
			t.Errorf("ken GET %s: %d", path, r.status)
		}
		for _, edit := range []string{"Edit the", "New headline", "Add a seat", "/edit"} {
			if strings.Contains(r.body, edit) {
				t.Errorf("ken's %s offers %q", path, edit)
			}
		}
	}
	hid := strconv.FormatInt(strategyID(t, e, "headlines", "title", "acme", "Q4 kickoff on Monday"), 10)
	sid := strconv.FormatInt(strategyID(t, e, "seats", "title", "acme", "Operations"), 10)
	for _, w := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/strategy/vision/edit", nil},
		{"POST", "/strategy/vision", map[string]any{}},
		{"PUT", "/api/v1/strategy/vision", map[string]any{"sections": map[string]any{"core_focus": "mine"}}},
		{"GET", "/headlines/new", nil},
		{"POST", "/api/v1/headlines", map[string]any{"title": "Mine"}},
		{"PATCH", "/api/v1/headlines/" + hid, map[string]any{"title": "Mine"}},
		{"DELETE", "/api/v1/headlines/" + hid, nil},
		{"GET", "/roles/new", nil},
		{"POST", "/api/v1/seats", map[string]any{"title": "Mine"}},
		{"PATCH", "/api/v1/seats/" + sid, map[string]any{"title": "Mine"}},
		{"DELETE", "/api/v1/seats/" + sid, nil},
	} {
		if r := ken.api(w.method, w.path, w.body); r.status != 403 {
			t.Errorf("ken %s %s: %d", w.method, w.path, r.status)
		}
	}
	// Linus, a strategy admin, writes neither headlines nor the chart; hedy not the vision.
	linus := e.client("acme.localhost").mustLogin("linus@acme.test", "demo-pass-1")
	hedy := e.client("acme.localhost").mustLogin("hedy@acme.test", "demo-pass-1")
	if r := linus.api("POST", "/api/v1/headlines", map[string]any{"title": "x"}); r.status != 403 {
		t.Errorf("linus writes a headline: %d", r.status)
	}
	if r := linus.api("POST", "/api/v1/seats", map[string]any{"title": "x"}); r.status != 403 {
		t.Errorf("linus adds a seat: %d", r.status)
	}
	if r := hedy.api("PUT", "/api/v1/strategy/vision", map[string]any{"sections": map[string]any{"core_focus": "x"}}); r.status != 403 {
		t.Errorf("hedy writes the vision: %d", r.status)
	}
}

// TestStrategyClientsReachNoCompanyPage: carol, a client, gets 403 for
// every company page and its lists, and 404 for every object of them.
func TestStrategyClientsReachNoCompanyPage(t *testing.T) {
	e := newEnv(t, nil)
	carol := e.client("acme.localhost").mustLogin("carol@globex.test", "demo-pass-1")
	for _, path := range []string{"/strategy/vision", "/strategy/why", "/strategy/direction", "/rocks", "/roles", "/headlines",
		"/api/v1/strategy/vision", "/api/v1/strategy/why/versions", "/api/v1/headlines", "/api/v1/seats", "/headlines/new", "/roles/new"} {
		if r := carol.get(path); r.status != 403 {
			t.Errorf("carol GET %s: %d, want 403", path, r.status)
		}
	}
	hid := strconv.FormatInt(strategyID(t, e, "headlines", "title", "acme", "Q4 kickoff on Monday"), 10)
	sid := strconv.FormatInt(strategyID(t, e, "seats", "title", "acme", "Visionary"), 10)
	var vid int64
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT id FROM strategy_versions WHERE doc = 'vision' ORDER BY id LIMIT 1").Scan(&vid); err != nil {
		t.Fatal(err)
	}
	v := strconv.FormatInt(vid, 10)
	for _, path := range []string{"/api/v1/headlines/" + hid, "/headlines/" + hid, "/api/v1/seats/" + sid,
		"/strategy/vision/versions/" + v, "/api/v1/strategy/vision/versions/" + v} {
		r := carol.get(path)
		if r.status != 404 || strings.Contains(r.body, "Q4 kickoff") || strings.Contains(r.body, "Own the outcome") {
			t.Errorf("carol GET %s: %d, want 404", path, r.status)
		}
	}
	// The access explainer agrees, and says why.
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for email, want := range map[string]bool{"carol@globex.test": false, "ken@acme.test": true} {
		for _, path := range []string{"/headlines/" + hid, "/api/v1/seats/" + sid, "/strategy/vision/versions/" + v, "/strategy/vision"} {
			r := ada.get("/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", email), 10) + "/access?path=" + url.QueryEscape(path))
			if r.status != 200 || r.json(t)["allowed"] != want || len(r.json(t)["reasons"].([]any)) == 0 {
				t.Errorf("may %s open %s: %d %s, want %v", email, path, r.status, r.body, want)
			}
		}
	}
	me := carol.get("/api/v1/me").body
	for _, key := range []string{`"vision"`, `"why"`, `"direction"`, `"headlines"`, `"roles_chart"`} {
		if strings.Contains(me, key) {
			t.Errorf("carol's navigation has %s", key)
		}
	}
}

func TestStrategyHeadlinesByHedy(t *testing.T) {
	e := newEnv(t, nil)
	hedy := e.client("acme.localhost").mustLogin("hedy@acme.test", "demo-pass-1")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")

	// The demo's headlines, newest first; dora, deactivated, stays named.
	list := ken.get("/api/v1/headlines").json(t)["items"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["title"] != "Q4 kickoff on Monday" {
		t.Fatalf("ken's headlines: %v", list)
	}
	dora := list[1].(map[string]any)["author"].(map[string]any)
	if dora["name"] != "Dora Deactivated" || dora["deactivated"] != true {
		t.Errorf("the welcome headline's author: %v", dora)
	}
	page := ken.get("/headlines")
	if !strings.Contains(page.body, "Dora Deactivated") || !strings.Contains(page.body, "deactivated</span>") ||
		strings.Index(page.body, "Q4 kickoff on Monday") > strings.Index(page.body, "Welcome to the new portal") {
		t.Error("ken's headlines page: dora unnamed or the order wrong")
	}
	if strings.Contains(page.body, "dora@acme.test") {
		t.Error("a deactivated author's address reached ken")
	}

	// Create, read, change, delete; each recorded.
	r := hedy.api("POST", "/api/v1/headlines", map[string]any{"title": "Office closed Friday", "body": "Back **Monday**. <script>alert(1)</script><img src=x onerror=alert(2)>"})
	if r.status != 201 {
		t.Fatalf("hedy creates a headline: %d %s", r.status, r.body)
	}
	m := r.json(t)
	id := strconv.FormatInt(int64(m["id"].(float64)), 10)
	if m["author"].(map[string]any)["name"] != "Hedy Lamarr" || !strings.Contains(m["body_html"].(string), "<strong>Monday</strong>") {
		t.Errorf("the new headline: %v", m)
	}
	for _, path := range []string{"/headlines/" + id, "/headlines"} {
		if body := ken.get(path).body; strings.Contains(body, "<script>alert") || strings.Contains(body, "onerror") {
			t.Errorf("%s carries the script", path)
		}
	}
	// The API gives the markdown as written (body) and as shown (body_html).
	if html := ken.get("/api/v1/headlines/" + id).json(t)["body_html"].(string); strings.Contains(html, "<script") || strings.Contains(html, "onerror") {
		t.Errorf("body_html carries the script: %q", html)
	}
	if r := hedy.api("PATCH", "/api/v1/headlines/"+id, map[string]any{"title": "Office closed on Friday", "body": nil}); r.status != 200 || r.json(t)["body"] != "" {
		t.Errorf("hedy changes the headline: %d %s", r.status, r.body)
	}
	for _, bad := range []map[string]any{{"title": ""}, {"title": strings.Repeat("t", 201)}, {"title": nil}, {"title": "x", "body": strings.Repeat("b", 50001)}, {"title": "a\nb"}} {
		r := hedy.api("POST", "/api/v1/headlines", bad)
		if r.status != 400 || r.errorCode() != "invalid" {
			t.Errorf("POST %.60v: %d %s", bad, r.status, r.body)
		}
	}
	if r := hedy.form("/headlines", url.Values{"_csrf": {hedy.csrf}, "title": {" "}}); r.status != 400 || !strings.Contains(r.body, "Give the headline a title.") {
		t.Errorf("the form without a title: %d", r.status)
	}
	if r := hedy.form("/headlines/"+id, url.Values{"_csrf": {hedy.csrf}, "title": {"Office closed Friday and Monday"}, "body": {"Sorry."}}); r.status != 303 {
		t.Errorf("the edit form: %d", r.status)
	}
	if r := hedy.api("DELETE", "/api/v1/headlines/"+id, nil); r.status != 204 {
		t.Errorf("hedy deletes the headline: %d", r.status)
	}
	if r := ken.get("/api/v1/headlines/" + id); r.status != 404 {
		t.Errorf("the deleted headline: %d", r.status)
	}
	for action, want := range map[string]int{"headline.create": 1, "headline.change": 2, "headline.delete": 1} {
		if n := actionCount(t, e, action); n != want {
			t.Errorf("%d %s records, want %d", n, action, want)
		}
	}
	audit := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1").get("/audit")
	if !strings.Contains(audit.body, "Wrote a headline") || !strings.Contains(audit.body, "Deleted a headline") {
		t.Error("the audit log does not say what hedy did")
	}
}

// TestStrategyWhyTurnedOff: linus turns the why page off; it leaves ken's
// navigation and its page, API and versions answer 403 or 404.
func TestStrategyWhyTurnedOff(t *testing.T) {
	e := newEnv(t, nil)
	linus := e.client("acme.localhost").mustLogin("linus@acme.test", "demo-pass-1")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	if !strings.Contains(ken.get("/").body, `href="/strategy/why"`) {
		t.Fatal("before: the why page is not in ken's navigation")
	}
	var vid int64
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT id FROM strategy_versions WHERE doc = 'why' LIMIT 1").Scan(&vid); err != nil {
		t.Fatal(err)
	}
	if r := linus.api("PATCH", "/api/v1/settings", map[string]any{"why_enabled": false}); r.status != 200 {
		t.Fatalf("turn why off: %d %s", r.status, r.body)
	}
	if strings.Contains(ken.get("/").body, `href="/strategy/why"`) || strings.Contains(ken.get("/api/v1/me").body, `"/strategy/why"`) {
		t.Error("the why page is still in ken's navigation")
	}
	for path, want := range map[string]int{
		"/strategy/why": 403, "/api/v1/strategy/why": 403, "/api/v1/strategy/why/versions": 403,
		"/strategy/why/versions/" + strconv.FormatInt(vid, 10): 404, "/api/v1/strategy/why/versions/" + strconv.FormatInt(vid, 10): 404,
		"/strategy/direction": 200,
	} {
		if r := ken.get(path); r.status != want {
			t.Errorf("ken GET %s with why off: %d, want %d", path, r.status, want)
		}
	}
	if r := linus.api("PUT", "/api/v1/strategy/why", map[string]any{"sections": map[string]any{"body": "x"}}); r.status != 403 {
		t.Errorf("linus saves why while it is off: %d", r.status)
	}
	if r := linus.api("PATCH", "/api/v1/settings", map[string]any{"why_enabled": true}); r.status != 200 {
		t.Fatal(r.status)
	}
	if r := ken.get("/strategy/why"); r.status != 200 || !strings.Contains(r.body, "Why we exist") {
		t.Errorf("why back on: %d", r.status)
	}
}

// TestStrategyOtherTenant: Northwind's headline, version and seat are 404
// on Acme, and its canary text never reaches Acme's pages.
func TestStrategyOtherTenant(t *testing.T) {
	e := newEnv(t, nil)
	const canary = "CANARY-HEADLINE-5e1d"
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	h := nina.api("POST", "/api/v1/headlines", map[string]any{"title": canary, "body": canary})
	s := nina.api("POST", "/api/v1/seats", map[string]any{"title": canary})
	v := nina.api("PUT", "/api/v1/strategy/vision", map[string]any{"sections": map[string]any{"core_focus": canary}})
	if h.status != 201 || s.status != 201 || v.status != 200 {
		t.Fatalf("nina's canaries: %d %d %d", h.status, s.status, v.status)
	}
	hid := strconv.FormatInt(int64(h.json(t)["id"].(float64)), 10)
	sid := strconv.FormatInt(int64(s.json(t)["id"].(float64)), 10)
	vid := strconv.FormatInt(int64(v.json(t)["version"].(map[string]any)["id"].(float64)), 10)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for _, path := range []string{"/api/v1/headlines/" + hid, "/headlines/" + hid, "/headlines/" + hid + "/edit", "/api/v1/seats/" + sid,
		"/roles/" + sid + "/edit", "/strategy/vision/versions/" + vid, "/api/v1/strategy/vision/versions/" + vid} {
		if r := ada.get(path); r.status != 404 || strings.Contains(r.body, canary) {
			t.Errorf("ada GET %s (Northwind's): %d", path, r.status)
		}
	}
	for _, w := range []struct{ method, path string }{{"PATCH", "/api/v1/headlines/" + hid}, {"DELETE", "/api/v1/headlines/" + hid}, {"PATCH", "/api/v1/seats/" + sid}, {"DELETE", "/api/v1/seats/" + sid}} {
		if r := ada.api(w.method, w.path, map[string]any{"title": "mine"}); r.status != 404 {
			t.Errorf("ada %s %s (Northwind's): %d", w.method, w.path, r.status)
		}
	}
	if r := ada.api("POST", "/api/v1/seats", map[string]any{"title": "x", "parent_id": s.json(t)["id"]}); r.status != 400 {
		t.Errorf("a seat under Northwind's: %d", r.status)
	}
	for _, path := range []string{"/headlines", "/api/v1/headlines", "/roles", "/api/v1/seats", "/strategy/vision", "/api/v1/strategy/vision", "/api/v1/strategy/vision/versions"} {
		if r := ada.get(path); r.status != 200 || strings.Contains(r.body, canary) {
			t.Errorf("ada GET %s: %d, or the canary leaked", path, r.status)
		}
	}
}

func TestStrategyRolesChartByAlan(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	page := alan.get("/roles")
	for _, want := range []string{"Visionary", "Integrator", "Operations", "Ken Thompson", "Grace Hopper", "Barbara Liskov", "Add a seat", `class="roles-tree"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("alan's chart lacks %q", want)
		}
	}
	ops := strategyID(t, e, "seats", "title", "acme", "Operations")
	integrator := strategyID(t, e, "seats", "title", "acme", "Integrator")
	ken := userID(t, e, "acme", "ken@acme.test")
	form := url.Values{"_csrf": {alan.csrf}, "title": {"Service desk lead"}, "parent_id": {strconv.FormatInt(ops, 10)},
		"roles": {"First response\r\nEscalations\r\n\r\n"}, "person_ids": {strconv.FormatInt(ken, 10)}}
	if r := alan.form("/roles", form); r.status != 303 {
		t.Fatalf("alan adds a seat: %d %s", r.status, r.body)
	}
	lead := strategyID(t, e, "seats", "title", "acme", "Service desk lead")
	got := alan.get("/api/v1/seats/" + strconv.FormatInt(lead, 10)).json(t)
	if got["parent_id"].(float64) != float64(ops) || len(got["roles"].([]any)) != 2 || len(got["people"].([]any)) != 1 {
		t.Errorf("the new seat: %v", got)
	}
	// Operations cannot report to the seat below it; a client is no member.
	if r := alan.api("PATCH", "/api/v1/seats/"+strconv.FormatInt(ops, 10), map[string]any{"parent_id": lead}); r.status != 400 || !strings.Contains(r.body, "parent_id") {
		t.Errorf("a loop: %d %s", r.status, r.body)
	}
	carol := userID(t, e, "acme", "carol@globex.test")
	if r := alan.api("PATCH", "/api/v1/seats/"+strconv.FormatInt(lead, 10), map[string]any{"person_ids": []int64{carol}}); r.status != 400 || !strings.Contains(r.body, "person_ids") {
		t.Errorf("a client in a seat: %d %s", r.status, r.body)
	}
	if r := alan.form("/roles/"+strconv.FormatInt(lead, 10), url.Values{"_csrf": {alan.csrf}, "title": {strings.Repeat("t", 121)}}); r.status != 400 || !strings.Contains(r.body, "At most 120 characters") {
		t.Errorf("an overlong title in the form: %d", r.status)
	}
	// Removing operations moves the lead up to the integrator.
	if r := alan.form("/roles/"+strconv.FormatInt(ops, 10)+"/delete", url.Values{"_csrf": {alan.csrf}}); r.status != 303 {
		t.Fatalf("remove operations: %d", r.status)
	}
	got = alan.get("/api/v1/seats/" + strconv.FormatInt(lead, 10)).json(t)
	if got["parent_id"].(float64) != float64(integrator) {
		t.Errorf("the lead after removing operations: %v", got)
	}
	if n := actionCount(t, e, "roles_chart.change"); n != 2 {
		t.Errorf("%d roles chart records, want 2", n)
	}
}

// TestStrategyAPIMatchesTheDocument: the strategy API's answers validate
// against the OpenAPI document.
func TestStrategyAPIMatchesTheDocument(t *testing.T) {
	e := newEnv(t, nil)
	v := newValidator(t, e)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	check := func(method, path string, body any, want int) response {
		t.Helper()
		return validateAPI(t, v, ada, method, path, body, want)
	}
	for _, d := range []string{"vision", "why", "direction"} {
		check("GET", "/api/v1/strategy/"+d, nil, 200)
		vs := check("GET", "/api/v1/strategy/"+d+"/versions?limit=1", nil, 200)
		if items := vs.json(t)["items"].([]any); len(items) > 0 {
			check("GET", "/api/v1/strategy/"+d+"/versions/"+strconv.FormatInt(int64(items[0].(map[string]any)["id"].(float64)), 10), nil, 200)
		}
	}
	check("PUT", "/api/v1/strategy/direction", map[string]any{"sections": map[string]any{"body": "Onward."}, "base_version": 1}, 200)
	check("PUT", "/api/v1/strategy/direction", map[string]any{"sections": map[string]any{"body": "Onward!"}, "base_version": 1}, 409)
	check("GET", "/api/v1/strategy/vision/versions/999999", nil, 404)
	check("GET", "/api/v1/headlines?limit=1", nil, 200)
	h := check("POST", "/api/v1/headlines", map[string]any{"title": "Documented"}, 201)
	hid := strconv.FormatInt(int64(h.json(t)["id"].(float64)), 10)
	check("GET", "/api/v1/headlines/"+hid, nil, 200)
	check("PATCH", "/api/v1/headlines/"+hid, map[string]any{"body": "More."}, 200)
	check("POST", "/api/v1/headlines", map[string]any{"title": ""}, 400)
	check("DELETE", "/api/v1/headlines/"+hid, nil, 204)
	check("GET", "/api/v1/seats", nil, 200)
	s := check("POST", "/api/v1/seats", map[string]any{"title": "Documented", "roles": []string{"One"}, "person_ids": []int64{}, "parent_id": nil}, 201)
	sid := strconv.FormatInt(int64(s.json(t)["id"].(float64)), 10)
	check("GET", "/api/v1/seats/"+sid, nil, 200)
	check("PATCH", "/api/v1/seats/"+sid, map[string]any{"title": "Documented seat"}, 200)
	check("DELETE", "/api/v1/seats/"+sid, nil, 204)
}
