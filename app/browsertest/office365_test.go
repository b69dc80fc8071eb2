package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestOffice365InTheBrowser: erin reads Globex's licences and filters its
// users in place; ada previews a licences file and imports it with the
// confirm button, and sees a bad users file's errors by row.
func TestOffice365InTheBrowser(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowserWithin(t, 2*time.Minute)

	signIn(t, b, d, "erin@globex.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/office365")), chromedp.WaitVisible(`#m365-users`))
	Screenshot(t, b, "office365-erin")
	text := run(t, b, chromedp.Evaluate[string](`document.body.innerText`))
	if !strings.Contains(text, "M365") || !strings.Contains(text, "Microsoft 365 Business Premium") || strings.Contains(text, "Import CSV") {
		t.Errorf("erin's page:\n%s", text)
	}
	run(t, b, chromedp.Evaluate[bool](`(window.__noReload = true, true)`))
	do(t, b, d, chromedp.SetValue(`#m365-users-mfa`, "disabled"))
	run(t, b, chromedp.Evaluate[bool](`document.getElementById('m365-users-mfa').dispatchEvent(new Event('change', {bubbles: true}))`))
	do(t, b, d, chromedp.WaitNotPresent(`#m365-users .badge-mfa-enforced`))
	if !run(t, b, chromedp.Evaluate[bool](`window.__noReload === true && location.search.includes('mfa=disabled')`)) {
		t.Error("filtering reloaded the page or did not keep the filter in the address")
	}

	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	licences := write("licences.csv", "sku,name,total\r\nSPE_E3,Microsoft 365 E3,10\r\nO365_BUSINESS_PREMIUM,Microsoft 365 Business Premium,32\r\n")
	bad := write("users.csv", "display_name,email,licences,mfa,last_sign_in\nAnn,ann@globex.example,SPE_E5,enforced,2024-01-01\nBob,bob@,,maybe,\n")

	switchUser(t, b, d, "ada@acme.test")
	globex := run(t, b, chromedp.Evaluate[string](`fetch('/api/v1/companies?limit=100').then(r => r.json()).then(j => String(j.items.find(c => c.name === 'Globex Corporation').id))`,
		chromedp.EvalAwaitPromise))
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/office365/import")), chromedp.WaitVisible(`#m365-file`))
	Screenshot(t, b, "office365-import")
	do(t, b, d, chromedp.SetUploadFiles(`#m365-file`, []string{licences}), chromedp.Click(`input[name=kind][value=licences]`),
		chromedp.SetValue(`#f-company`, globex),
		chromedp.Click(`.m365-import form.card button[type=submit]`), chromedp.WaitVisible(`#m365-preview-title`))
	Screenshot(t, b, "office365-import-preview")
	if text := run(t, b, chromedp.Evaluate[string](`document.querySelector('.m365-preview').innerText`)); !strings.Contains(text, "1 to add, 1 to change") {
		t.Errorf("preview:\n%s", text)
	}
	do(t, b, d, chromedp.Click(`.m365-preview form button[type=submit]`), chromedp.WaitVisible(`.alert-success`))
	if text := run(t, b, chromedp.Evaluate[string](`document.querySelector('.alert-success').innerText`)); !strings.Contains(text, "1 added, 1 changed") {
		t.Errorf("after confirm: %s", text)
	}
	do(t, b, d, chromedp.SetUploadFiles(`#m365-file`, []string{bad}), chromedp.Click(`input[name=kind][value=users]`),
		chromedp.SetValue(`#f-company`, globex),
		chromedp.Click(`.m365-import form.card button[type=submit]`), chromedp.WaitVisible(`.m365-row-errors`))
	Screenshot(t, b, "office365-import-errors")
	text = run(t, b, chromedp.Evaluate[string](`document.querySelector('.m365-preview').innerText`))
	for _, want := range []string{"Nothing was imported", `Unknown licence "SPE_E5"`, "Enter an address like name@example.com."} {
		if !strings.Contains(text, want) {
			t.Errorf("error preview lacks %q:\n%s", want, text)
		}
	}
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/office365")), chromedp.WaitVisible(`#m365-company`))
	Screenshot(t, b, "office365-ada")
}
