package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestGuestWorkboard: gina, a guest, opens "Website relaunch" from her
// workboards, adds a task and moves it to Doing with the keyboard alone;
// "Acquisition plan" (top secret) is nowhere on her page.
func TestGuestWorkboard(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	signIn(t, b, d, "gina@guest.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/workboards")), chromedp.WaitVisible(chromedp.CSS(`.board-list`)))
	if text := run(t, b, chromedp.Text(`main`)); !strings.Contains(text, "Website relaunch") || strings.Contains(text, "Office move") {
		t.Errorf("gina's workboards: %q", text)
	}
	do(t, b, d, chromedp.Click(`.board-list a`), chromedp.WaitVisible(chromedp.CSS(`#tasks`)))
	Screenshot(t, b, "workboard-gina")
	do(t, b, d,
		chromedp.SendKeys(`#task-title`, "Proofread the hero text"),
		chromedp.Click(`#tasks .inline-add button[type=submit]`),
		chromedp.WaitVisible(`//li[@class="task"][strong[text()="Proofread the hero text"]]`),
	)
	// The keyboard alone: focus the task's move button and press Enter.
	run(t, b, chromedp.Evaluate[bool](`(() => { const li = [...document.querySelectorAll('li.task')].find(l => l.textContent.includes('Proofread the hero text')); li.querySelector('.task-moves button').focus(); return true })()`))
	do(t, b, d, chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(`//section[@aria-label="Doing"]//li[strong[text()="Proofread the hero text"]]`))
	text := run(t, b, chromedp.Text(`main`))
	for _, hidden := range []string{"Acquisition plan", "agency"} {
		if strings.Contains(text, hidden) {
			t.Errorf("gina's workboard shows %q", hidden)
		}
	}
	noErrors(t, b)
}
