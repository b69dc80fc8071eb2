package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// reportCanary is in the internal part of Globex Q3 QBR.
const reportCanary = "Globex margin fell"

// TestReportsForEveryDemoUser reads every demo report in every format —
// the list page and its htmx region, the report page and its htmx
// fragment, the print view, the JSON list and the JSON report — as every
// demo user, and checks who gets what: members the four parts and the
// canary of the internal one, Globex's external users three parts and no
// canary anywhere, drafts for members only, and the others nothing.
func TestReportsForEveryDemoUser(t *testing.T) {
	e := newEnv(t, nil)
	qbr := lookupID(t, e, "report", "acme", "Globex Q3 QBR")
	review := lookupID(t, e, "report", "acme", "Globex service review")
	draft := lookupID(t, e, "report", "acme", "Globex Q4 QBR")
	northwind := lookupID(t, e, "report", "northwind", "Contoso October review")
	type want struct {
		email    string
		page     int // status of /reports and of a report the user may see
		parts    int // parts of the QBR
		canary   bool
		draft    int
		writes   bool
		reportsN int // in the JSON list
	}
	for _, w := range []want{
		{"ada@acme.test", 200, 4, true, 200, true, 3},
		{"ken@acme.test", 200, 4, true, 200, true, 3},
		{"erin@globex.test", 200, 3, false, 404, false, 2},
		{"victor@globex.test", 200, 3, false, 404, false, 2},
		{"oscar@initech.test", 403, 0, false, 403, false, 0},
		{"carol@globex.test", 403, 0, false, 403, false, 0},
		{"gina@guest.test", 403, 0, false, 403, false, 0},
	} {
		t.Run(strings.Split(w.email, "@")[0], func(t *testing.T) {
			c := e.client("acme.localhost").mustLogin(w.email, "demo-pass-1")
			var bodies []string
			check := func(what string, r response, status int) {
				t.Helper()
				if r.status != status {
					t.Errorf("%s: %d, want %d", what, r.status, status)
				}
				bodies = append(bodies, what+"\n"+r.body)
			}
			check("list", c.get("/reports"), w.page)
			check("list region", c.do("GET", "/reports?q=globex", nil, "", map[string]string{"HX-Request": "true", "HX-Target": "report-list"}), w.page)
			for _, id := range []int64{qbr, review} {
				p := fmt.Sprintf("/reports/%d", id)
				check("page", c.get(p), w.page)
				check("fragment", c.htmx("GET", p, nil), w.page)
				check("print", c.get(p+"/print"), w.page)
				check("json", c.api("GET", "/api/v1"+p, nil), w.page)
			}
			check("json list", c.api("GET", "/api/v1/reports", nil), w.page)
			check("draft", c.get(fmt.Sprintf("/reports/%d", draft)), w.draft)
			check("draft json", c.api("GET", fmt.Sprintf("/api/v1/reports/%d", draft), nil), w.draft)
			check("other tenant", c.get(fmt.Sprintf("/reports/%d", northwind)), map[int]int{200: 404, 403: 403}[w.page])
			check("other tenant json", c.api("GET", fmt.Sprintf("/api/v1/reports/%d", northwind), nil), map[int]int{200: 404, 403: 403}[w.page])
			all := strings.Join(bodies, "\n")
			if strings.Contains(all, reportCanary) != w.canary {
				t.Errorf("canary seen: %v, want %v", !w.canary, w.canary)
			}
			if w.page != 200 {
				return
			}
			r := c.api("GET", fmt.Sprintf("/api/v1/reports/%d", qbr), nil)
			m := r.json(t)
			parts, _ := m["parts"].([]any)
			if len(parts) != w.parts {
				t.Errorf("JSON parts: %d, want %d", len(parts), w.parts)
			}
			if co, _ := m["company"].(map[string]any); co["name"] != "Globex Corporation" {
				t.Errorf("company: %v", m["company"])
			}
			for _, p := range parts {
				pm := p.(map[string]any)
				for _, k := range []string{"id", "title", "kind", "internal_only", "content"} {
					if _, ok := pm[k]; !ok {
						t.Errorf("part without %s: %v", k, pm)
					}
				}
			}
			page := c.get(fmt.Sprintf("/reports/%d", qbr)).body
			if n := strings.Count(page, `class="card stack report-part`); n != w.parts {
				t.Errorf("page shows %d parts, want %d", n, w.parts)
			}
			if strings.Contains(page, "Internal only") != w.canary {
				t.Errorf("internal badge shown: %v", !w.canary)
			}
			if strings.Contains(page, "Edit report") != w.writes {
				t.Errorf("edit control shown: %v", !w.writes)
			}
			if list := c.api("GET", "/api/v1/reports", nil).json(t); len(list["items"].([]any)) != w.reportsN {
				t.Errorf("JSON list: %d items, want %d", len(list["items"].([]any)), w.reportsN)
			}
			if w.writes {
				return
			}
			// No write controls, and every write is refused.
			for _, s := range []string{"New report", "Edit report", "/edit", "Delete"} {
				if strings.Contains(c.get("/reports").body+page, s) {
					t.Errorf("write control %q shown", s)
				}
			}
			for _, req := range []struct{ method, path string }{
				{"POST", "/api/v1/reports"}, {"PATCH", fmt.Sprintf("/api/v1/reports/%d", qbr)},
				{"DELETE", fmt.Sprintf("/api/v1/reports/%d", qbr)}, {"POST", fmt.Sprintf("/api/v1/reports/%d/parts", qbr)},
			} {
				if r := c.api(req.method, req.path, map[string]any{"title": "mine"}); r.status != 403 {
					t.Errorf("%s %s: %d", req.method, req.path, r.status)
				}
			}
			for _, p := range []string{"/reports/new", fmt.Sprintf("/reports/%d/edit", qbr), fmt.Sprintf("/reports/%d/edit?preview=viewers", qbr)} {
				if r := c.get(p); r.status != 403 {
					t.Errorf("GET %s: %d", p, r.status)
				}
			}
			if r := c.htmx("POST", fmt.Sprintf("/reports/%d/delete", qbr), url.Values{}); r.status != 403 {
				t.Errorf("delete form: %d", r.status)
			}
		})
	}
}

// TestReportOfAnotherCompany: an external user who may see reports sees
// only their companies' — oscar, given the reports module, gets 404 for
// Globex's report in every format.
func TestReportOfAnotherCompany(t *testing.T) {
	e := newEnv(t, nil)
	qbr := lookupID(t, e, "report", "acme", "Globex Q3 QBR")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	oscarID := lookupID(t, e, "user", "acme", "oscar@initech.test")
	if r := ada.api("PATCH", fmt.Sprintf("/api/v1/users/%d", oscarID), map[string]any{
		"modules": []map[string]any{{"key": "tickets", "show": true}, {"key": "reports", "show": true}}}); r.status != 200 {
		t.Fatalf("modules: %d %s", r.status, r.body)
	}
	oscar := e.client("acme.localhost").mustLogin("oscar@initech.test", "demo-pass-1")
	if r := oscar.get("/reports"); r.status != 200 || strings.Contains(r.body, "Globex") {
		t.Errorf("list: %d, Globex in it: %v", r.status, strings.Contains(r.body, "Globex"))
	}
	for _, p := range []string{fmt.Sprintf("/reports/%d", qbr), fmt.Sprintf("/reports/%d/print", qbr), fmt.Sprintf("/api/v1/reports/%d", qbr)} {
		if r := oscar.get(p); r.status != 404 || strings.Contains(r.body, reportCanary) {
			t.Errorf("GET %s: %d", p, r.status)
		}
	}
	if r := oscar.api("GET", fmt.Sprintf("/api/v1/reports?company_id=%d", lookupID(t, e, "company", "acme", "Globex Corporation")), nil); r.status != 200 || strings.Contains(r.body, "Globex Q3") {
		t.Errorf("filtered list: %d %s", r.status, r.body)
	}
}

// TestReportEditorFlow: a member writes a report through the forms with
// htmx — adds parts, marks one internal, moves and deletes — previews it
// as the company's viewers read it, publishes it, and victor then reads
// it without the internal part, in every format.
func TestReportEditorFlow(t *testing.T) {
	e := newEnv(t, nil)
	globex := lookupID(t, e, "company", "acme", "Globex Corporation")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	r := ken.htmx("POST", "/reports", url.Values{"title": {"December review"}, "company_id": {fmt.Sprint(globex)},
		"period_start": {"2026-12-01"}, "period_end": {"2026-11-01"}})
	if r.status != 400 || !strings.Contains(r.body, "on or after its first day") {
		t.Fatalf("backward period: %d %s", r.status, r.body)
	}
	r = ken.form("/reports", url.Values{"_csrf": {ken.csrf}, "title": {"December review"}, "company_id": {fmt.Sprint(globex)},
		"period_start": {"2026-12-01"}, "period_end": {"2026-12-31"}})
	if r.status != 303 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	edit := r.header.Get("Location")
	base := strings.TrimSuffix(edit, "/edit")
	id := lookupID(t, e, "report", "acme", "December review")
	for _, kind := range []string{"text", "metrics", "chart", "text"} {
		if r := ken.htmx("POST", base+"/parts", url.Values{"kind": {kind}}); r.status != 200 || !strings.Contains(r.body, `id="report-parts"`) {
			t.Fatalf("add %s: %d %s", kind, r.status, r.body)
		}
	}
	v := ken.api("GET", fmt.Sprintf("/api/v1/reports/%d", id), nil).json(t)
	parts := v["parts"].([]any)
	pid := func(i int) string { return fmt.Sprint(parts[i].(map[string]any)["id"]) }
	if r := ken.htmx("POST", base+"/parts/"+pid(0), url.Values{"title": {"Summary"}, "body": {"All **good**."}}); r.status != 200 {
		t.Fatalf("save text: %d %s", r.status, r.body)
	}
	if r := ken.htmx("POST", base+"/parts/"+pid(1), url.Values{"title": {"Levels"}, "body": {"Uptime | 99.9% | 99.5%\nTickets | 12"}}); r.status != 200 {
		t.Fatalf("save metrics: %d %s", r.status, r.body)
	}
	if r := ken.htmx("POST", base+"/parts/"+pid(1), url.Values{"title": {"Levels"}, "body": {"a|b|c|d"}}); r.status != 400 || !strings.Contains(r.body, "more than 3 cells") || !strings.Contains(r.body, "a|b|c|d") {
		t.Errorf("bad rows: %d", r.status)
	}
	if r := ken.htmx("POST", base+"/parts/"+pid(3), url.Values{"title": {"Private"}, "internal_only": {"on"}, "body": {"CANARYdec9 renewal risk"}}); r.status != 200 {
		t.Fatalf("save internal: %d %s", r.status, r.body)
	}
	if r := ken.htmx("POST", base+"/parts/"+pid(2)+"/move", url.Values{"direction": {"up"}}); r.status != 200 {
		t.Fatalf("move: %d", r.status)
	}
	if r := ken.htmx("POST", base+"/parts/"+pid(2)+"/delete", url.Values{}); r.status != 200 {
		t.Fatalf("delete part: %d", r.status)
	}
	pv := ken.get(edit + "?preview=viewers")
	if pv.status != 200 || strings.Contains(pv.body, "CANARYdec9") || !strings.Contains(pv.body, "<strong>good</strong>") {
		t.Errorf("preview: %d, canary %v", pv.status, strings.Contains(pv.body, "CANARYdec9"))
	}
	if r := ken.htmx("GET", edit+"?preview=viewers", nil); r.status != 200 || strings.Contains(r.body, "CANARYdec9") || !strings.Contains(r.body, "99.9%") {
		t.Errorf("preview fragment: %d", r.status)
	}
	if page := ken.get(edit).body; !strings.Contains(page, "CANARYdec9") {
		t.Error("the editor does not show the internal part to its author")
	}
	victor := e.client("acme.localhost").mustLogin("victor@globex.test", "demo-pass-1")
	if r := victor.get(base); r.status != 404 {
		t.Errorf("victor reads the draft: %d", r.status)
	}
	if r := ken.htmx("POST", base, url.Values{"title": {"December review"}, "company_id": {fmt.Sprint(globex)},
		"period_start": {"2026-12-01"}, "period_end": {"2026-12-31"}, "status": {"published"}}); r.status != 200 || !strings.Contains(r.body, "Saved.") {
		t.Fatalf("publish: %d %s", r.status, r.body)
	}
	var all strings.Builder
	for _, p := range []string{base, base + "/print", "/api/v1/reports/" + fmt.Sprint(id), "/api/v1/reports", "/reports"} {
		r := victor.get(p)
		if r.status != 200 {
			t.Errorf("victor GET %s: %d", p, r.status)
		}
		all.WriteString(r.body)
	}
	if strings.Contains(all.String(), "CANARYdec9") || !strings.Contains(all.String(), "Uptime") {
		t.Error("victor's view is wrong: canary or metrics")
	}
	j := victor.api("GET", "/api/v1/reports/"+fmt.Sprint(id), nil).json(t)
	var titles []string
	for _, p := range j["parts"].([]any) {
		titles = append(titles, p.(map[string]any)["title"].(string))
	}
	if got := strings.Join(titles, ", "); got != "Summary, Levels" {
		t.Errorf("victor reads %q", got)
	}
	audit := ken.e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1").api("GET", "/api/v1/audit?action=report.", nil)
	if !strings.Contains(audit.body, "report.publish") || !strings.Contains(audit.body, "report.create") {
		t.Errorf("audit: %s", audit.body)
	}
	if r := ken.form(base+"/delete", url.Values{"_csrf": {ken.csrf}}); r.status != 303 {
		t.Errorf("delete: %d", r.status)
	}
	if r := victor.get(base); r.status != 404 {
		t.Errorf("deleted report: %d", r.status)
	}
}

// TestReportsAPIWrites: the API creates, changes and deletes reports and
// parts with the SPEC's shapes.
func TestReportsAPIWrites(t *testing.T) {
	e := newEnv(t, nil)
	globex := lookupID(t, e, "company", "acme", "Globex Corporation")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	r := ada.api("POST", "/api/v1/reports", map[string]any{"company_id": globex, "title": "API report", "period_start": "2026-11-01", "period_end": "2026-11-30"})
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if !strings.Contains(r.body, `"parts":[]`) {
		t.Errorf("a report without parts has no parts key: %s", r.body)
	}
	id := fmt.Sprint(r.json(t)["id"])
	r = ada.api("POST", "/api/v1/reports/"+id+"/parts", map[string]any{"kind": "rocks", "rows": []map[string]string{{"title": "MFA", "owner": "Ken", "status": "off_track"}}})
	if r.status != 201 || !strings.Contains(r.body, `"status":"off_track"`) {
		t.Fatalf("add rocks: %d %s", r.status, r.body)
	}
	pid := fmt.Sprint(r.json(t)["parts"].([]any)[0].(map[string]any)["id"])
	if r := ada.api("POST", "/api/v1/reports/"+id+"/parts", map[string]any{"kind": "chart", "body": "x"}); r.status != 400 {
		t.Errorf("chart with body: %d", r.status)
	}
	if r := ada.api("PATCH", "/api/v1/reports/"+id+"/parts/"+pid, map[string]any{"internal_only": true}); r.status != 200 || !strings.Contains(r.body, `"internal_only":true`) {
		t.Errorf("patch part: %d %s", r.status, r.body)
	}
	if r := ada.api("PATCH", "/api/v1/reports/"+id, map[string]any{"status": "published", "period_end": "2026-10-01"}); r.status != 400 {
		t.Errorf("backward period: %d %s", r.status, r.body)
	}
	if r := ada.api("PATCH", "/api/v1/reports/"+id, map[string]any{"status": "published"}); r.status != 200 || !strings.Contains(r.body, `"status":"published"`) {
		t.Errorf("publish: %d %s", r.status, r.body)
	}
	if r := ada.api("DELETE", "/api/v1/reports/"+id+"/parts/"+pid, nil); r.status != 204 {
		t.Errorf("delete part: %d", r.status)
	}
	if r := ada.api("DELETE", "/api/v1/reports/"+id, nil); r.status != 204 {
		t.Errorf("delete: %d", r.status)
	}
	if r := ada.api("GET", "/api/v1/reports/"+id, nil); r.status != 404 {
		t.Errorf("deleted: %d", r.status)
	}
}
