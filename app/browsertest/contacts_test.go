package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestContactsFlow: an external editor adds a contact to her company's
// address book from the contacts page: a refused field is marked in
// place, and once fixed the contact is in the list.
func TestContactsFlow(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	signIn(t, b, d, "erin@globex.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/contacts")), chromedp.WaitVisible(`#contact-form`))
	Screenshot(t, b, "contacts")
	do(t, b, d,
		chromedp.SendKeys(`#contact-name`, "Rita Reception"),
		chromedp.SendKeys(`#contact-email`, "rita at globex"),
		// The browser's own check of type=email would stop the form first.
		chromedp.SetAttributeValue(`#contact-form`, "novalidate", ""),
		chromedp.Click(`#contact-form button[type=submit]`),
		chromedp.WaitVisible(`#contact-email-error`),
	)
	if msg := run(t, b, chromedp.Evaluate[string](`document.getElementById('contact-email-error').textContent`)); !strings.Contains(msg, "name@example.com") {
		t.Errorf("the email's error says %q", msg)
	}
	if v := run(t, b, chromedp.Evaluate[string](`document.getElementById('contact-name').value`)); v != "Rita Reception" {
		t.Errorf("the refused form lost the name: %q", v)
	}
	Screenshot(t, b, "contacts-refused")
	do(t, b, d,
		chromedp.SetValue(`#contact-email`, "rita@globex.test"),
		chromedp.Click(`#contact-form button[type=submit]`),
	)
	// The saved form sends the browser to /contacts: poll across that navigation.
	added := false
	for deadline := time.Now().Add(10 * time.Second); !added && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		added, _ = chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`!document.getElementById('contact-email-error') && [...document.querySelectorAll('#contact-list a')].some(a => a.textContent.includes('Rita Reception'))`))
	}
	if !added {
		t.Fatalf("the new contact is not in the list\n%s", d.Logs.String())
	}
	if v := run(t, b, chromedp.Evaluate[string](`document.getElementById('contact-name').value`)); v != "" {
		t.Errorf("the form still holds %q after adding", v)
	}
}
