package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestHomeAndSwitcher: ada sets the support contact and gives erin a second
// company and the companies page; erin's home shows her sections and the
// contact card, the top bar offers her companies, and the pages pass axe
// at both sizes with the switcher in place.
func TestHomeAndSwitcher(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	d := StartDemo(t)
	b := NewBrowserWithin(t, 2*time.Minute)
	c := &axeChecker{t: t, b: b, d: d, src: string(src), known: map[string]bool{}}
	c.signIn("ada@acme.test")
	type item struct {
		ID    int64  `json:"id"`
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	users := fetchJSON[struct{ Items []item }](c, "/api/v1/users?limit=100").Items
	companies := fetchJSON[struct{ Items []item }](c, "/api/v1/companies?limit=100").Items
	var erin int64
	var ids []string
	for _, u := range users {
		if u.Email == "erin@globex.test" {
			erin = u.ID
		}
	}
	for _, co := range companies {
		if co.Name == "Globex Corporation" || co.Name == "Initech" {
			ids = append(ids, fmt.Sprint(co.ID))
		}
	}
	patch := func(path, body string) {
		t.Helper()
		status := run(t, b, chromedp.Evaluate[int](`fetch(`+jsString(path)+`, {method: 'PATCH', headers: {'Content-Type': 'application/json',
			'X-CSRF-Token': document.querySelector('input[name=_csrf]').value}, body: `+jsString(body)+`}).then(r => r.status)`, chromedp.EvalAwaitPromise))
		if status != 200 {
			t.Fatalf("PATCH %s: %d", path, status)
		}
	}
	patch("/api/v1/settings", `{"support": {"email": "help@acme.test", "phone": "+1 555 0100", "hours": "Monday to Friday, 8:00–18:00 Eastern"}}`)
	patch(fmt.Sprintf("/api/v1/users/%d", erin), `{"company_ids": [`+strings.Join(ids, ",")+`], "modules": [{"key": "plan", "show": true},
		{"key": "tickets", "show": true, "label": "Support"}, {"key": "reports", "show": true}, {"key": "office365", "show": true, "label": "M365"},
		{"key": "contacts", "show": true}, {"key": "external_content", "show": true, "label": "Knowledge Base"}, {"key": "companies", "show": true}]}`)

	c.signIn("erin@globex.test")
	c.page("erin", "/")
	c.page("erin", "/companies")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/")), chromedp.WaitVisible(`#company-switch`))
	text := run(t, b, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	for _, want := range []string{"Open tickets", "What changed", "Latest report", "Recent articles", "help@acme.test"} {
		if !strings.Contains(text, want) {
			t.Errorf("erin's home lacks %q", want)
		}
	}
	c.setSize(desktop)
	Screenshot(t, b, "home-erin")
	// Choose Initech in the top bar: the home shows Initech's tickets only.
	do(t, b, d, chromedp.SetValue(`#company-switch`, ids[1]), chromedp.Click(`.company-switch button[type=submit]`),
		chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(`#company-switch`))
	text = run(t, b, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	if strings.Contains(text, "VPN drops every hour") {
		t.Error("erin's home in Initech shows a Globex ticket")
	}
	c.page("erin in Initech", "/")
	c.setSize(desktop)
	Screenshot(t, b, "home-erin-initech")
}
