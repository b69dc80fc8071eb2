package browsertest

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/atrium-portal/atrium/app/mail/mailtest"
)

// TestClientRunsL10: carol, a client, runs an L10 in Globex Success as a
// person does — starts it, moves through the sections while the server's
// timer runs (htmx, no page reloads), adds a to-do in the to-do review,
// rates the meeting at its conclusion and ends it — and her recap arrives
// over SMTP, holding her new to-do and nothing of another team.
func TestClientRunsL10(t *testing.T) {
	d := StartDemo(t)
	in := mailtest.Start(t)
	host, port, _ := net.SplitHostPort(in.Addr)
	d.Atrium(t, "tenant", "update", "--slug", "acme", "--smtp-host", host, "--smtp-port", port, "--smtp-tls", "none",
		"--mail-from-name", "Acme Service Desk", "--mail-from-address", "desk@acme.example")

	b := NewBrowser(t)
	signIn(t, b, d, "carol@globex.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/teams")), chromedp.WaitVisible(`#team-list`),
		chromedp.Click(`#team-list tbody a`), chromedp.WaitVisible(chromedp.CSS(`#meetings`)))
	do(t, b, d, chromedp.Click(`#meetings form button[type=submit]`), chromedp.WaitVisible(chromedp.CSS(`#meeting`)))
	// (A CSS query: a search for "#meeting" would also find the team page's
	// link to "#meetings".) A marker on the window: it survives htmx swaps, not a page load.
	run(t, b, chromedp.Evaluate[bool](`window.sameMeetingPage = true`))
	// ready waits until htmx has taken over the runner's forms and no
	// request or swap is under way: a click before that would be a plain
	// form post (which works too, but reloads the page).
	ready := func() {
		t.Helper()
		for range 100 {
			if run(t, b, chromedp.Evaluate[bool](`(() => { const fs = [...document.querySelectorAll('#meeting form')];
				return fs.length > 0 && fs.every(f => f['htmx-internal-data'] && f['htmx-internal-data'].initHash) &&
					!document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping') })()`)) {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatal("htmx never took over the meeting's forms")
	}
	step := func(label string) {
		t.Helper()
		ready()
		do(t, b, d, chromedp.Click(`//div[@class="meeting-controls"]//button[contains(., "`+label+`")]`), chromedp.Sleep(150*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#meeting`)))
		if same := run(t, b, chromedp.Evaluate[bool](`window.sameMeetingPage === true`)); !same {
			t.Errorf("%s reloaded the page", label)
		}
	}
	step("Start the meeting")
	do(t, b, d, chromedp.WaitVisible(`#meeting-clock .meeting-clock-left`))
	first := run(t, b, chromedp.Text(`#meeting-clock .meeting-clock-left`))
	time.Sleep(2200 * time.Millisecond)
	later := run(t, b, chromedp.Text(`#meeting-clock .meeting-clock-left`))
	if !strings.HasSuffix(first, "left") || first == later {
		t.Errorf("the timer does not run: %q then %q", first, later)
	}
	Screenshot(t, b, "meeting-segue")
	for range 4 { // scorecard, rock review, headlines, to-do review
		step("Next section")
	}
	if cur := run(t, b, chromedp.Text(`.meeting-agenda li.current`)); !strings.Contains(cur, "To-do review") {
		t.Fatalf("the current section is %q", cur)
	}
	ready()
	do(t, b, d,
		chromedp.SendKeys(`#meeting-todo-title`, "Send the cut-over checklist"),
		chromedp.Click(`.inline-add button[type=submit]`),
		chromedp.WaitVisible(`//ul[contains(@class, "meeting-todos")]//strong[text()="Send the cut-over checklist"]`),
	)
	step("Next section") // IDS
	Screenshot(t, b, "meeting-ids")
	step("Next section") // conclude
	ready()
	do(t, b, d, chromedp.SetValue(`#meeting-rating`, "9"), chromedp.Click(`.meeting-rate button[type=submit]`),
		chromedp.WaitVisible(`//li[span[text()="Carol Client"]]/span[text()="9"]`))
	Screenshot(t, b, "meeting-conclude")
	step("End the meeting")
	do(t, b, d, chromedp.WaitVisible(`//h2[text()="Recap"]`))
	if same := run(t, b, chromedp.Evaluate[bool](`window.sameMeetingPage === true`)); !same {
		t.Error("the meeting reloaded the page")
	}
	noErrors(t, b)

	var recap string
	for deadline := time.Now().Add(15 * time.Second); recap == ""; time.Sleep(100 * time.Millisecond) {
		for _, m := range in.Messages() {
			if strings.Contains(m.Body(), "To: carol@globex.test") && strings.Contains(m.Body(), "Recap:") {
				recap = m.Body()
			}
		}
		if recap == "" && time.Now().After(deadline) {
			t.Fatalf("no recap reached carol\n%s", d.Logs.String())
		}
	}
	for _, want := range []string{"Send the cut-over checklist", "Globex Success", "Migrate Globex mail to M365", "Average rating: 9"} {
		if !strings.Contains(recap, want) {
			t.Errorf("carol's recap lacks %q", want)
		}
	}
	for _, canary := range []string{"Leadership", "SOC offering", "margin is slipping"} {
		if strings.Contains(recap, canary) {
			t.Errorf("carol's recap holds %q", canary)
		}
	}
}
