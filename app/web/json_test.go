package web_test

import (
	"strconv"
	"strings"
	"testing"
)

// TestJSONRefusesUnknownFields: a field the request does not have is a 400
// naming it, not a 200 that changed nothing; so is anything after the JSON
// value.
func TestJSONRefusesUnknownFields(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ken := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "ken@acme.test"), 10)
	send := func(method, path, body string) response {
		return alan.do(method, path, strings.NewReader(body), "application/json", map[string]string{"X-CSRF-Token": alan.csrf})
	}

	r := send("PATCH", ken, `{"hidden_page": ["heatmap"]}`)
	if r.status != 400 || r.errorCode() != "invalid" {
		t.Fatalf("misspelt field: %d %s", r.status, r.body)
	}
	got := r.json(t)["error"].(map[string]any)
	if got["message"] != `Unknown field "hidden_page".` || got["fields"].(map[string]any)["hidden_page"] == nil {
		t.Errorf("misspelt field: %s", r.body)
	}
	if hidden := alan.api("GET", ken, nil).json(t)["hidden_pages"]; hidden != nil && len(hidden.([]any)) != 0 {
		t.Errorf("hidden pages after a refused request: %v", hidden)
	}

	r = send("PATCH", "/api/v1/settings", `{"branding": {"app_name": "Acme", "logo": "x"}}`)
	if r.status != 400 || !strings.Contains(r.body, `Unknown field \"logo\".`) {
		t.Errorf("unknown nested field: %d %s", r.status, r.body)
	}

	for _, body := range []string{`{"hidden_pages": []} {"hidden_pages": ["heatmap"]}`, `{"hidden_pages": []}x`, `{"hidden_pages": []}]`} {
		if r := send("PATCH", ken, body); r.status != 400 {
			t.Errorf("%s: %d %s", body, r.status, r.body)
		}
	}
	if r := send("PATCH", ken, "{\"hidden_pages\": []}\n\t "); r.status != 200 {
		t.Errorf("trailing white space: %d %s", r.status, r.body)
	}
	anon := e.client("acme.localhost")
	r = anon.do("POST", "/api/v1/session", strings.NewReader(`{"email":"ken@acme.test","password":"demo-pass-1","remember":true}`), "application/json", nil)
	if r.status != 400 || r.errorCode() != "invalid" {
		t.Errorf("sign-in with an unknown field: %d %s", r.status, r.body)
	}
}
