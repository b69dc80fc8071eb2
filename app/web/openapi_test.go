package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// openAPIDoc fetches the document as an integrator would: before signing in.
func openAPIDoc(t *testing.T, e *env) []byte {
	t.Helper()
	r := e.client("acme.localhost").get("/api/v1/openapi.json")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/openapi.json: %d %s\n%s", r.status, r.header.Get("Content-Type"), r.body)
	}
	return []byte(r.body)
}

var fiberParamRE = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)

// TestOpenAPICoversEveryRoute: every /api/v1 route of the route table is an
// operation of the document, and every operation is a route.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	e := newEnv(t, nil)
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Info    struct{ Title, Version string }      `json:"info"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc(t, e), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Info.Title != "Atrium API" || doc.Info.Version == "" {
		t.Errorf("openapi %q, info %+v", doc.OpenAPI, doc.Info)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for method := range item {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	routed := map[string]string{} // "GET /api/v1/users/{id}" → "GET /api/v1/users/:id"
	for route := range e.srv.Rules() {
		method, path, _ := strings.Cut(route, " ")
		if strings.HasPrefix(path, "/api/v1/") {
			routed[method+" "+fiberParamRE.ReplaceAllString(path, "{$1}")] = route
		}
	}
	for _, op := range slices.Sorted(maps.Keys(routed)) {
		if !documented[op] {
			t.Errorf("route %q is not in the OpenAPI document: add an entry %q to apiOps in app/web/openapi.go", routed[op], routed[op])
		}
	}
	for op := range documented {
		if _, ok := routed[op]; !ok {
			t.Errorf("the OpenAPI document has %q, which is no route: remove its entry from apiOps in app/web/openapi.go, or add the route", op)
		}
	}
	if len(routed) < 30 {
		t.Errorf("only %d /api/v1 routes found; is the route table read right?", len(routed))
	}
}

// newValidator parses the document with libopenapi and checks it against
// the OpenAPI 3.1 specification's schema.
func newValidator(t *testing.T, e *env) validator.Validator {
	t.Helper()
	doc, err := libopenapi.NewDocument(openAPIDoc(t, e))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := doc.BuildV3Model(); err != nil {
		t.Fatalf("build the OpenAPI 3.1 model: %v", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	return v
}

// TestOpenAPIIsValid: the document is valid OpenAPI 3.1.
func TestOpenAPIIsValid(t *testing.T) {
	e := newEnv(t, nil)
	v := newValidator(t, e)
	if ok, errs := v.ValidateDocument(); !ok {
		for _, err := range errs {
			t.Errorf("%s: %s", err.Message, err.Reason)
			for _, f := range err.SchemaValidationErrors {
				t.Errorf("  at %s: %s", f.FieldPath+" "+f.KeywordLocation, f.Reason)
			}
		}
	}
}

// TestOpenAPIDescribesAnswers: real requests and answers of the running
// server, successes and errors, for an administrator, a member and an
// external user, validate against the document.
func TestOpenAPIDescribesAnswers(t *testing.T) {
	e := newEnv(t, nil)
	v := newValidator(t, e)
	const host = "acme.localhost"

	// check sends a request through c and validates the request and its
	// answer against the document.
	check := func(c *client, method, path string, body any, want int) response {
		t.Helper()
		return validateAPI(t, v, c, method, path, body, want)
	}
	idOf := func(r response) string {
		return strconv.FormatInt(int64(r.json(t)["id"].(float64)), 10)
	}

	// The validator reads answers: one that breaks the document fails.
	req := httptest.NewRequest("GET", "http://"+host+"/api/v1/me", nil)
	bad := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"user": {"id": "one"}, "pages": []}`)), Request: req}
	if ok, _ := v.ValidateHttpResponse(req, bad); ok {
		t.Fatal("an answer that breaks the document validates")
	}

	anon := e.client(host)
	check(anon, "GET", "/api/v1/me", nil, 401)
	check(anon, "POST", "/api/v1/session", map[string]string{"email": "ada@acme.test", "password": "wrong"}, 401)
	check(anon, "POST", "/api/v1/password-resets", map[string]string{"email": "nobody@acme.test"}, 202)

	ada := e.client(host)
	r := check(ada, "POST", "/api/v1/session", map[string]string{"email": "ada@acme.test", "password": "demo-pass-1"}, 200)
	ada.csrf = r.json(t)["csrf_token"].(string)
	check(ada, "GET", "/api/v1/me", nil, 200)
	check(ada, "GET", "/api/v1/pages/teams", nil, 200)
	check(ada, "GET", "/api/v1/settings", nil, 200)
	check(ada, "PATCH", "/api/v1/settings", map[string]any{"why_enabled": true}, 200)
	users := check(ada, "GET", "/api/v1/users?limit=3", nil, 200)
	check(ada, "GET", "/api/v1/users?limit=0", nil, 400)
	check(ada, "GET", "/api/v1/users/"+strconv.FormatInt(userID(t, e, "acme", "ken@acme.test"), 10), nil, 200)
	check(ada, "GET", "/api/v1/users/999999", nil, 404)
	if next := users.json(t)["next_cursor"].(string); next != "" {
		check(ada, "GET", "/api/v1/users?limit=3&cursor="+next, nil, 200)
	}
	check(ada, "PATCH", "/api/v1/users/"+strconv.FormatInt(userID(t, e, "acme", "ken@acme.test"), 10), map[string]any{"test_user": false}, 200)
	check(ada, "GET", "/api/v1/teams", nil, 200)
	team := check(ada, "POST", "/api/v1/teams", map[string]any{"name": "Night Shift", "kind": "function"}, 201)
	check(ada, "GET", "/api/v1/teams/"+idOf(team), nil, 200)
	check(ada, "PATCH", "/api/v1/teams/"+idOf(team), map[string]any{"name": "Night Watch"}, 200)
	check(ada, "POST", "/api/v1/teams/"+idOf(team)+"/members", map[string]any{"user_id": userID(t, e, "acme", "ken@acme.test"), "role": "leader"}, 201)
	check(ada, "DELETE", "/api/v1/teams/"+idOf(team), nil, 204)
	companies := check(ada, "GET", "/api/v1/companies", nil, 200)
	company := companies.json(t)["items"].([]any)[0].(map[string]any)
	check(ada, "GET", "/api/v1/companies/"+strconv.FormatInt(int64(company["id"].(float64)), 10), nil, 200)
	check(ada, "GET", "/api/v1/company_groups", nil, 200)
	check(ada, "GET", "/api/v1/invitations", nil, 200)
	inv := check(ada, "POST", "/api/v1/invitations", map[string]any{"email": "new.person@acme.test", "name": "New Person", "kind": "member"}, 201)
	check(ada, "GET", "/api/v1/invitations/"+idOf(inv), nil, 200)
	check(ada, "POST", "/api/v1/invitations", map[string]any{"email": "ken@acme.test", "kind": "member"}, 409)
	check(ada, "GET", "/api/v1/audit?limit=5", nil, 200)
	check(ada, "GET", "/api/v1/audit?since=yesterday", nil, 400)
	check(ada, "GET", "/api/v1/audit?impersonator_id="+strconv.FormatInt(userID(t, e, "acme", "ada@acme.test"), 10), nil, 200)
	check(ada, "GET", "/api/v1/audit?impersonator_id=any&limit=2", nil, 200)
	check(ada, "GET", "/api/v1/audit?impersonator=any", nil, 200)
	check(ada, "GET", "/api/v1/audit?impersonator_id=ada", nil, 400)

	// Tickets: an administrator sees every field, an external editor a
	// part; hidden fields are absent, empty ones null, both as documented.
	deskID := lookupID(t, e, "board", "acme", "Service Desk")
	desk := strconv.FormatInt(deskID, 10)
	vpn := "/api/v1/tickets/" + strconv.FormatInt(lookupID(t, e, "ticket", "acme", "VPN drops every hour"), 10)
	check(ada, "GET", "/api/v1/boards", nil, 200)
	check(ada, "GET", "/api/v1/boards/"+desk, nil, 200)
	check(ada, "GET", "/api/v1/tickets?limit=3&status=in_progress&assignee_id=unassigned", nil, 200)
	check(ada, "GET", "/api/v1/tickets?status=done", nil, 400)
	check(ada, "GET", vpn, nil, 200)
	check(ada, "GET", vpn+"/notes?limit=2", nil, 200)
	globex := lookupID(t, e, "company", "acme", "Globex Corporation")
	tk := check(ada, "POST", "/api/v1/tickets", map[string]any{"title": "Documented", "board_id": deskID, "company_id": globex, "due_on": "2030-01-01", "contact_id": nil}, 201)
	check(ada, "PATCH", "/api/v1/tickets/"+idOf(tk), map[string]any{"assignee_id": nil, "priority": "high", "custom_fields": map[string]any{}}, 200)
	check(ada, "PUT", "/api/v1/tickets/by-external-id/CW-1", map[string]any{"title": "Synced", "board_id": deskID, "company_id": globex}, 201)
	check(ada, "PUT", "/api/v1/tickets/by-external-id/CW-1", map[string]any{"title": "Synced", "board_id": deskID, "company_id": globex}, 200)
	check(ada, "POST", "/api/v1/tickets/"+idOf(tk)+"/notes", map[string]any{"type": "Internal", "body": "Documented."}, 201)
	erinID := strconv.FormatInt(userID(t, e, "acme", "erin@globex.test"), 10)
	check(ada, "POST", "/api/v1/tickets/"+idOf(tk)+"/watchers", map[string]any{"user_id": erinID}, 400) // an ID as a string
	check(ada, "POST", "/api/v1/tickets/"+idOf(tk)+"/watchers", map[string]any{"user_id": userID(t, e, "acme", "erin@globex.test")}, 201)
	check(ada, "DELETE", "/api/v1/tickets/"+idOf(tk)+"/watchers/"+erinID, nil, 204)

	ken := e.client(host).mustLogin("ken@acme.test", "demo-pass-1")
	check(ken, "GET", "/api/v1/users", nil, 200)
	check(ken, "GET", "/api/v1/teams", nil, 200)
	check(ken, "GET", "/api/v1/audit", nil, 403)

	erin := e.client(host).mustLogin("erin@globex.test", "demo-pass-1")
	check(erin, "GET", "/api/v1/me", nil, 200)
	check(erin, "GET", "/api/v1/users", nil, 200)
	check(erin, "GET", "/api/v1/companies", nil, 403)
	check(erin, "PATCH", "/api/v1/settings", map[string]any{"why_enabled": false}, 403)
	check(erin, "GET", "/api/v1/tickets", nil, 200)
	check(erin, "GET", vpn, nil, 200)
	check(erin, "GET", "/api/v1/boards", nil, 200)
	check(erin, "PATCH", vpn, map[string]any{"priority": "low"}, 403)
	check(erin, "POST", vpn+"/notes", map[string]any{"type": "Discussion", "body": "Thanks."}, 201)
	globex = companyID(t, e, "acme", "Globex Corporation")
	contact := check(erin, "POST", "/api/v1/contacts", map[string]any{"company_id": globex, "name": "Olga OpenAPI", "title": "Tester"}, 201)
	check(erin, "GET", "/api/v1/contacts?q=olga&company_id="+strconv.FormatInt(globex, 10), nil, 200)
	check(erin, "PATCH", "/api/v1/contacts/"+idOf(contact), map[string]any{"phone": "+1 555 0100"}, 200)
	check(erin, "DELETE", "/api/v1/contacts/"+idOf(contact), nil, 204)
	check(ada, "POST", "/api/v1/contacts", map[string]any{"company_id": globex, "name": "Pat PSA", "external_id": "oa-1"}, 201)
	check(ada, "PUT", "/api/v1/contacts/by-external-id/oa-1", map[string]any{"company_id": globex, "name": "Pat PSA", "user_id": 0}, 200)
	check(ada, "GET", "/api/v1/contacts?limit=2", nil, 200)

	carol := e.client(host).mustLogin("carol@globex.test", "demo-pass-1")
	check(carol, "GET", "/api/v1/me", nil, 200)
	check(carol, "GET", "/api/v1/teams", nil, 200)
	check(carol, "GET", "/api/v1/users", nil, 200)

	check(ada, "DELETE", "/api/v1/session", nil, 204)
}

// validateAPI sends a request as c and validates the request and its
// answer against the OpenAPI document; a request refused on purpose
// (want 400 or more) is checked for its answer only.
func validateAPI(t *testing.T, v validator.Validator, c *client, method, path string, body any, want int) response {
	t.Helper()
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	// The request as it was sent: with the cookies from before its answer.
	req := httptest.NewRequest(method, "http://"+c.host+path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, val := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: val})
	}
	if c.csrf != "" && method != "GET" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	r := c.api(method, path, body)
	if r.status != want {
		t.Fatalf("%s %s: %d, want %d\n%s", method, path, r.status, want, r.body)
	}
	res := &http.Response{StatusCode: r.status, Header: r.header, Body: io.NopCloser(strings.NewReader(r.body)), Request: req}
	validate := v.ValidateHttpRequestResponse
	if want >= 400 {
		validate = v.ValidateHttpResponse
	}
	if ok, errs := validate(req, res); !ok {
		for _, err := range errs {
			t.Errorf("%s %s (%d): %s: %s", method, path, r.status, err.Message, err.Reason)
			for _, f := range err.SchemaValidationErrors {
				t.Errorf("  at %s: %s", f.FieldPath+" "+f.KeywordLocation, f.Reason)
			}
		}
		t.Logf("answer: %s", r.body)
	}
	return r
}
