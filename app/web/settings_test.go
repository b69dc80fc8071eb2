package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// formPart returns the <form id="ID" ...>...</form> of a page.
func formPart(t *testing.T, html, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<form id="` + id + `".*?</form>`).FindString(html)
	if m == "" {
		t.Fatalf("no form %s in page", id)
	}
	return m
}

// TestSettingsFormsWithoutJavaScript: Branding and Email post as plain
// forms, the token in the _csrf field; without it they are refused.
func TestSettingsFormsWithoutJavaScript(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")

	page := ada.get("/settings/branding")
	tok := formCSRF(t, formPart(t, page.body, "branding-form"))
	fields := map[string]string{"app_name": "Acme Plain Form", "primary_color": "#1E3A8A", "accent_color": "#F59E0B"}
	if r := ada.multipartForm("/settings/branding", fields, nil, nil); r.status != 403 {
		t.Errorf("branding without _csrf: %d", r.status)
	}
	fields["_csrf"] = tok
	if r := ada.multipartForm("/settings/branding", fields, nil, nil); r.status != 303 || r.header.Get("Location") != "/settings/branding?saved=1" {
		t.Errorf("branding with _csrf: %d %s", r.status, r.header.Get("Location"))
	}
	if !strings.Contains(e.client("acme.localhost").get("/login").body, "Acme Plain Form") {
		t.Error("the plain branding form saved nothing")
	}

	page = ada.get("/settings/email")
	tok = formCSRF(t, formPart(t, page.body, "email-form"))
	form := url.Values{"smtp_host": {""}, "smtp_port": {"587"}, "smtp_tls": {"starttls"}, "smtp_username": {""},
		"smtp_password": {""}, "mail_from_name": {"Acme Plain Desk"}, "mail_from_address": {"desk@acme.example"}}
	if r := ada.form("/settings/email", form); r.status != 403 {
		t.Errorf("email without _csrf: %d", r.status)
	}
	form.Set("_csrf", tok)
	if r := ada.form("/settings/email", form); r.status != 303 {
		t.Errorf("email with _csrf: %d %s", r.status, r.body)
	}
	if !strings.Contains(ada.get("/settings/email").body, `value="Acme Plain Desk"`) {
		t.Error("the plain email form saved nothing")
	}
}

// auditItems returns the records of one action through the API.
func auditItems(t *testing.T, c *client, action string) []map[string]any {
	t.Helper()
	r := c.api("GET", "/api/v1/audit?action="+url.QueryEscape(action), nil)
	if r.status != 200 {
		t.Fatalf("audit API: %d %s", r.status, r.body)
	}
	var out []map[string]any
	for _, it := range r.json(t)["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

// TestSettingsEdgesAreAudited: the branding form, the settings API and the
// email form each leave exactly one record, written with the change.
func TestSettingsEdgesAreAudited(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	hx := map[string]string{"HX-Request": "true", "X-CSRF-Token": ada.csrf}

	r := ada.multipartForm("/settings/branding", map[string]string{"app_name": "Acme Audited", "primary_color": "#0F766E", "accent_color": "#F59E0B"}, nil, hx)
	if r.status != 204 {
		t.Fatalf("branding: %d %s", r.status, r.body)
	}
	items := auditItems(t, ada, "settings.branding")
	if len(items) != 1 || !strings.Contains(items[0]["summary"].(string), `→ "Acme Audited"`) || items[0]["actor"] == nil {
		t.Errorf("branding records: %v", items)
	}

	if r := ada.api("PATCH", "/api/v1/settings", map[string]any{"direction_enabled": false}); r.status != 200 {
		t.Fatalf("toggle: %d %s", r.status, r.body)
	}
	items = auditItems(t, ada, "settings.change")
	if len(items) != 1 || items[0]["summary"] != "changed the page settings: direction page on → off" {
		t.Errorf("toggle records: %v", items)
	}

	form := url.Values{"smtp_host": {"smtp.acme.example"}, "smtp_port": {"2525"}, "smtp_tls": {"starttls"}, "smtp_username": {"desk"},
		"smtp_password": {"very-secret-smtp-pw"}, "mail_from_name": {"Acme Desk"}, "mail_from_address": {"desk@acme.example"}}
	if r := ada.htmx("POST", "/settings/email", form); r.status != 204 {
		t.Fatalf("email: %d %s", r.status, r.body)
	}
	items = auditItems(t, ada, "settings.email")
	if len(items) != 1 {
		t.Fatalf("email records: %v", items)
	}
	if s := items[0]["summary"].(string); !strings.Contains(s, "SMTP password changed") || !strings.Contains(s, `"smtp.acme.example"`) || strings.Contains(s, "very-secret") {
		t.Errorf("email summary: %q", s)
	}
	if strings.Contains(e.logs.String(), "very-secret") {
		t.Error("the SMTP password reached the log")
	}
}

// TestSettingsRefuseHeaderInjection: CR/LF in the app name or the sender,
// and values over their limits, get 400 with a message per field.
func TestSettingsRefuseHeaderInjection(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for _, body := range []map[string]any{
		{"branding": map[string]string{"app_name": "Acme\r\nBcc: victim@example.com"}},
		{"branding": map[string]string{"app_name": strings.Repeat("A", 61)}},
		{"branding": map[string]string{"accent_color": strings.Repeat("#", 60000)}},
	} {
		r := ada.api("PATCH", "/api/v1/settings", body)
		if r.status != 400 || r.errorCode() != "invalid" {
			t.Errorf("%.60v: %d %s", body, r.status, r.body)
			continue
		}
		fields := r.json(t)["error"].(map[string]any)["fields"].(map[string]any)
		if len(fields) != 1 {
			t.Errorf("fields: %v", fields)
		}
	}
	form := url.Values{"smtp_host": {""}, "smtp_port": {"587"}, "smtp_tls": {"starttls"},
		"mail_from_name": {"Desk\r\nBcc: victim@example.com"}, "mail_from_address": {"desk@acme.example\nBcc: victim@example.com"}}
	r := ada.htmx("POST", "/settings/email", form)
	if r.status != 400 || strings.Count(r.body, "Use one line") != 1 || !strings.Contains(r.body, `id="email-mail_from_address-error"`) {
		t.Errorf("email form with line breaks: %d\n%s", r.status, r.body)
	}
	form.Set("mail_from_name", strings.Repeat("n", 121))
	form.Set("mail_from_address", "desk@acme.example")
	if r := ada.htmx("POST", "/settings/email", form); r.status != 400 || !strings.Contains(r.body, "At most 120 characters.") {
		t.Errorf("long sender name: %d", r.status)
	}
	if got := auditItems(t, ada, "settings."); len(got) != 0 {
		t.Errorf("refused changes were recorded: %v", got)
	}
}
