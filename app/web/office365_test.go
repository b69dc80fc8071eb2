package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func m365Audits(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.db.R.NewRaw("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'office365.%'").Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOffice365Pages: who sees which company's Microsoft 365 data, under
// which title, and who may change it.
func TestOffice365Pages(t *testing.T) {
	e := newEnv(t, nil)
	const host = "acme.localhost"
	globex := strconv.FormatInt(lookupID(t, e, "company", "acme", "Globex Corporation"), 10)
	initech := strconv.FormatInt(lookupID(t, e, "company", "acme", "Initech"), 10)
	umbrella := strconv.FormatInt(lookupID(t, e, "company", "acme", "Umbrella Health"), 10)
	var contoso int64
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT id FROM companies WHERE name = 'Contoso'").Scan(&contoso); err != nil {
		t.Fatal(err)
	}

	erin := e.client(host).mustLogin("erin@globex.test", "demo-pass-1")
	r := erin.get("/office365")
	body := html.UnescapeString(r.body)
	if r.status != 200 || !strings.Contains(body, `<h1 class="page-title">M365</h1>`) || !strings.Contains(body, "Microsoft 365 Business Premium") ||
		!strings.Contains(body, "Globex Corporation: licences") || !strings.Contains(body, "@globex.example") {
		t.Fatalf("erin's /office365: %d\n%s", r.status, r.body)
	}
	for _, leak := range []string{"@initech.example", "Import CSV", "/office365/import", `name="company"`} {
		if strings.Contains(body, leak) {
			t.Errorf("erin's page shows %q", leak)
		}
	}
	if !strings.Contains(body, "8 licences unassigned") || !strings.Contains(body, "Possibly unused") {
		t.Errorf("erin's page lacks the waste")
	}
	for path, want := range map[string]int{
		"/office365/" + globex:                             200,
		"/office365/" + initech:                            404,
		"/office365?company=" + initech:                    404,
		"/office365/" + initech + "/users.csv":             404,
		"/office365/" + strconv.FormatInt(contoso, 10):     404,
		"/office365/import":                                403,
		"/api/v1/office365/licences?company_id=" + initech: 404,
		"/api/v1/office365/users?company_id=" + initech:    404,
		"/api/v1/office365/licences?company_id=" + globex:  200,
	} {
		if r := erin.get(path); r.status != want {
			t.Errorf("erin GET %s: %d, want %d", path, r.status, want)
		}
	}
	if r := erin.api("PUT", "/api/v1/office365/licences", map[string]any{"company_id": globex, "items": []any{}}); r.status != 403 {
		t.Errorf("erin PUT licences: %d", r.status)
	}
	if r := erin.multipartForm("/office365/import", map[string]string{"_csrf": erin.csrf, "kind": "licences", "company": globex},
		map[string][]byte{"file": []byte("sku,name,total\nX,Y,1\n")}, nil); r.status != 403 {
		t.Errorf("erin POST import: %d", r.status)
	}
	// The list's search and filters, and the export.
	r = erin.do("GET", "/office365/"+globex+"?q=a&mfa=enforced&licence=IDENTITY_THREAT_PROTECTION", nil, "", map[string]string{"HX-Request": "true", "HX-Target": "m365-users"})
	if r.status != 200 || strings.Contains(r.body, "<html") || !strings.Contains(r.body, `id="m365-users"`) || strings.Contains(r.body, ">Disabled<") {
		t.Errorf("htmx filter: %d\n%s", r.status, r.body)
	}
	r = erin.do("GET", "/office365/"+globex+"?mfa=sometimes", nil, "", map[string]string{"HX-Request": "true", "HX-Target": "m365-users"})
	if r.status != 400 || !strings.Contains(r.body, "Choose an MFA state from the list.") {
		t.Errorf("bad filter: %d %s", r.status, r.body)
	}
	r = erin.get("/office365/" + globex + "/users.csv?unused=1")
	lines := strings.Split(strings.TrimSpace(r.body), "\n")
	if r.status != 200 || lines[0] != "display_name,email,licences,mfa,last_sign_in,possibly_unused" || len(lines) < 2 {
		t.Fatalf("export: %d %q", r.status, r.body)
	}
	for _, l := range lines[1:] {
		if !strings.HasSuffix(l, ",true") {
			t.Errorf("an exported unused row is not unused: %s", l)
		}
	}

	for _, who := range []string{"victor@globex.test", "oscar@initech.test"} {
		c := e.client(host).mustLogin(who, "demo-pass-1")
		for _, path := range []string{"/office365", "/office365/" + globex, "/api/v1/office365/users?company_id=" + globex} {
			if r := c.get(path); r.status != 403 {
				t.Errorf("%s GET %s: %d, want 403", who, path, r.status)
			}
		}
	}

	ada := e.client(host).mustLogin("ada@acme.test", "demo-pass-1")
	r = ada.get("/office365")
	body = html.UnescapeString(r.body)
	if r.status != 200 || !strings.Contains(body, "<h1 class=\"page-title\">Office 365</h1>") || !strings.Contains(body, `name="company"`) ||
		!strings.Contains(body, "Import CSV") || !strings.Contains(body, "Globex Corporation: licences") {
		t.Fatalf("ada's /office365: %d\n%s", r.status, r.body)
	}
	if r := ada.get("/office365?company=" + initech); r.status != 200 || !strings.Contains(r.body, "@initech.example") || strings.Contains(r.body, "@globex.example") {
		t.Errorf("ada's Initech: %d", r.status)
	}
	if r := ada.get("/office365/" + umbrella); r.status != 200 || !strings.Contains(html.UnescapeString(r.body), "No Microsoft 365 data for Umbrella Health yet") {
		t.Errorf("ada's Umbrella: %d", r.status)
	}
	if r := ada.get("/office365/" + strconv.FormatInt(contoso, 10)); r.status != 404 {
		t.Errorf("a Northwind company on acme: %d", r.status)
	}
	if r := ada.api("PUT", "/api/v1/office365/users", map[string]any{"company_id": contoso, "items": []any{}}); r.status != 404 {
		t.Errorf("PUT for a Northwind company on acme: %d %s", r.status, r.body)
	}
	if r := ada.get("/office365/import"); r.status != 200 || !strings.Contains(r.body, `enctype="multipart/form-data"`) {
		t.Errorf("ada's import page: %d", r.status)
	}
}

var m365ContentRE = regexp.MustCompile(`name="(content|digest)" value="([^"]*)"`)

// TestOffice365Import: a member previews a file, sees what it would do and
// the errors by row and column, and confirms; a bad file imports nothing.
func TestOffice365Import(t *testing.T) {
	e := newEnv(t, nil)
	umbrella := strconv.FormatInt(lookupID(t, e, "company", "acme", "Umbrella Health"), 10)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	post := func(fields map[string]string, file string) response {
		fields["_csrf"] = ada.csrf
		var files map[string][]byte
		if file != "" {
			files = map[string][]byte{"file": []byte(file)}
		}
		return ada.multipartForm("/office365/import", fields, files, nil)
	}
	before := m365Audits(t, e)

	// Licences: preview, then confirm the same file.
	r := post(map[string]string{"step": "preview", "kind": "licences", "company": umbrella}, "sku,name,total\nSPE_E3,Microsoft 365 E3,10\n")
	if r.status != 200 || !strings.Contains(r.body, "1 to add") || !strings.Contains(r.body, "Import 1 change") {
		t.Fatalf("preview: %d\n%s", r.status, r.body)
	}
	if m365Audits(t, e) != before {
		t.Error("a preview imported")
	}
	m := m365ContentRE.FindAllStringSubmatch(r.body, -1)
	if len(m) != 2 {
		t.Fatalf("confirm form: %v", m)
	}
	confirm := map[string]string{"step": "confirm", "kind": "licences", "company": umbrella, m[0][1]: html.UnescapeString(m[0][2]), m[1][1]: html.UnescapeString(m[1][2])}
	tampered := map[string]string{}
	for k, v := range confirm {
		tampered[k] = v
	}
	tampered["digest"] = strings.Repeat("0", 64)
	if r := post(tampered, ""); r.status != 400 || !strings.Contains(r.body, "The file changed since its preview.") {
		t.Errorf("tampered confirm: %d", r.status)
	}
	if r := post(confirm, ""); r.status != 200 || !strings.Contains(r.body, "Imported the licences of Umbrella Health: 1 added") {
		t.Fatalf("confirm: %d\n%s", r.status, r.body)
	}
	if m365Audits(t, e) != before+1 {
		t.Error("the import is not recorded once")
	}

	// Users with bad rows: each error names its row and column; nothing imported.
	bad := "display_name,email,licences,mfa,last_sign_in\nAnn,ann@umbrella.example,SPE_E3,enforced,2024-01-01\nBob,bob@,E5,maybe,01/02/2024\nAnn Two,ANN@umbrella.example,,,\n"
	r = post(map[string]string{"step": "preview", "kind": "users", "company": umbrella}, bad)
	body := html.UnescapeString(r.body)
	if r.status != 200 || !strings.Contains(body, "Nothing was imported") || strings.Contains(body, "Import 1 change") {
		t.Fatalf("bad preview: %d\n%s", r.status, r.body)
	}
	for _, want := range []string{"email: Enter an address like name@example.com.", `licences: Unknown licence "E5"`, "mfa: Use enforced",
		"last_sign_in: Enter a date as YYYY-MM-DD", "email: Duplicate email: row 2 has it too."} {
		if !strings.Contains(body, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	// A confirm of a bad file (posted by hand) imports nothing either.
	enc := m365Encode(bad)
	if r := post(map[string]string{"step": "confirm", "kind": "users", "company": umbrella, "content": enc[0], "digest": enc[1]}, ""); r.status != 400 {
		t.Errorf("confirming a bad file: %d", r.status)
	}
	var n int
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM m365_users WHERE company_id = ?", umbrella).Scan(&n); err != nil || n != 0 {
		t.Errorf("users imported from a bad file: %d %v", n, err)
	}

	// Bounds and refusals, with their words.
	if r := post(map[string]string{"step": "preview", "kind": "users", "company": umbrella}, strings.Repeat("x", 1<<20+10)); r.status != 413 || !strings.Contains(r.body, "larger than 1 MB") {
		t.Errorf("a large file: %d", r.status)
	}
	if r := post(map[string]string{"step": "preview", "kind": "users", "company": umbrella}, ""); r.status != 400 || !strings.Contains(r.body, "Choose a CSV file to import.") {
		t.Errorf("no file: %d", r.status)
	}
	if r := post(map[string]string{"step": "preview", "kind": "users", "company": "999999"}, "display_name,email\nA,a@b.example\n"); r.status != 400 || !strings.Contains(r.body, "Choose a company from the list.") {
		t.Errorf("unknown company: %d", r.status)
	}
	if r := post(map[string]string{"step": "preview", "kind": "users", "company": umbrella}, "sku,name,total\nA,B,1\n"); r.status != 400 || !strings.Contains(r.body, "looks like a licences file") {
		t.Errorf("a licences file as users: %d", r.status)
	}
	if r := ada.do("POST", "/office365/import", strings.NewReader(url.Values{"kind": {"users"}}.Encode()), "application/x-www-form-urlencoded", nil); r.status != 403 {
		t.Errorf("import without CSRF: %d", r.status)
	}
}

func m365Encode(s string) [2]string {
	return [2]string{b64(s), sha(s)}
}

// TestOffice365API: an integration token with office365:write syncs a
// company's licences and users; the same request twice changes nothing;
// a token without the scope is refused.
func TestOffice365API(t *testing.T) {
	e := newEnv(t, nil)
	const host = "acme.localhost"
	alan := e.client(host).mustLogin("alan@acme.test", "demo-pass-1")
	m365 := makeToken(t, alan, "/settings/integrations", url.Values{"name": {"PSA"}, "scopes": {"office365:write"}})
	tickets := makeToken(t, alan, "/settings/integrations", url.Values{"name": {"Helpdesk"}, "scopes": {"tickets:write"}})
	umbrella := lookupID(t, e, "company", "acme", "Umbrella Health")
	u := strconv.FormatInt(umbrella, 10)

	tok := e.bearer(host, tickets)
	if r := tok.api("PUT", "/api/v1/office365/licences", map[string]any{"company_id": umbrella, "items": []any{}}); r.status != 403 || r.errorCode() != "token_scope" {
		t.Errorf("tickets:write token PUT: %d %s", r.status, r.body)
	}
	if r := tok.get("/api/v1/office365/users?company_id=" + u); r.status != 403 {
		t.Errorf("tickets:write token GET: %d", r.status)
	}

	tok = e.bearer(host, m365)
	before := m365Audits(t, e)
	licences := map[string]any{"company_id": umbrella, "items": []any{
		map[string]any{"sku": "O365_BUSINESS_PREMIUM", "name": "Microsoft 365 Business Premium", "total": 5},
	}}
	users := map[string]any{"company_id": umbrella, "items": []any{
		map[string]any{"email": "Nurse.Joy@umbrella.example", "display_name": "Nurse Joy", "mfa": "enforced", "last_sign_in": "2020-01-01", "licences": []string{"O365_BUSINESS_PREMIUM"}},
		map[string]any{"email": "dr.who@umbrella.example", "display_name": "Dr Who"},
	}}
	for i, want := range []string{`"added":1`, `"unchanged":1`} {
		if r := tok.api("PUT", "/api/v1/office365/licences", licences); r.status != 200 || !strings.Contains(r.body, want) {
			t.Errorf("PUT licences #%d: %d %s", i+1, r.status, r.body)
		}
	}
	for i, want := range []string{`"added":2`, `"unchanged":2`} {
		if r := tok.api("PUT", "/api/v1/office365/users", users); r.status != 200 || !strings.Contains(r.body, want) {
			t.Errorf("PUT users #%d: %d %s", i+1, r.status, r.body)
		}
	}
	if got := m365Audits(t, e); got != before+2 {
		t.Errorf("audit records: %d, want 2 (a repeat records nothing)", got-before)
	}
	r := tok.get("/api/v1/office365/users?company_id=" + u + "&unused=true")
	if r.status != 200 || !strings.Contains(r.body, `"email":"nurse.joy@umbrella.example"`) || !strings.Contains(r.body, `"possibly_unused":true`) || strings.Contains(r.body, "dr.who") {
		t.Errorf("GET users: %d %s", r.status, r.body)
	}
	r = tok.get("/api/v1/office365/licences?company_id=" + u)
	if r.status != 200 || !strings.Contains(r.body, `"assigned":1`) || !strings.Contains(r.body, `"unassigned":4`) {
		t.Errorf("GET licences: %d %s", r.status, r.body)
	}
	bad := map[string]any{"company_id": umbrella, "items": []any{
		map[string]any{"email": "ok@umbrella.example", "display_name": "OK"},
		map[string]any{"email": "nope", "display_name": "Nope", "licences": []string{"E5"}},
	}}
	r = tok.api("PUT", "/api/v1/office365/users", bad)
	if r.status != 400 || !strings.Contains(r.body, `"items.1.email"`) || !strings.Contains(r.body, `"items.1.licences"`) {
		t.Errorf("bad items: %d %s", r.status, r.body)
	}
	if r := tok.get("/api/v1/office365/users"); r.status != 400 || !strings.Contains(r.body, "company_id") {
		t.Errorf("no company: %d %s", r.status, r.body)
	}
}

// TestOffice365OpenAPI: the answers of the Office 365 API validate
// against the document.
func TestOffice365OpenAPI(t *testing.T) {
	e := newEnv(t, nil)
	v := newValidator(t, e)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	globex := lookupID(t, e, "company", "acme", "Globex Corporation")
	g := strconv.FormatInt(globex, 10)
	for _, c := range []struct {
		method, path string
		body         any
		want         int
	}{
		{"GET", "/api/v1/office365/licences?company_id=" + g, nil, 200},
		{"GET", "/api/v1/office365/users?company_id=" + g + "&limit=5&sort=-last_sign_in&mfa=enforced", nil, 200},
		{"GET", "/api/v1/office365/users?company_id=" + g + "&mfa=maybe", nil, 400},
		{"PUT", "/api/v1/office365/licences", map[string]any{"company_id": globex, "items": []any{map[string]any{"sku": "EXTRA", "name": "Extra", "total": 1}}}, 200},
		{"PUT", "/api/v1/office365/users", map[string]any{"company_id": globex, "items": []any{map[string]any{"email": "new@globex.example", "display_name": "New", "licences": []string{"EXTRA"}, "last_sign_in": "2025-03-01T10:00:00Z"}}}, 200},
		{"PUT", "/api/v1/office365/users", map[string]any{"company_id": globex, "items": []any{map[string]any{"email": "x", "display_name": ""}}}, 400},
	} {
		validateAPI(t, v, ada, c.method, c.path, c.body, c.want)
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
