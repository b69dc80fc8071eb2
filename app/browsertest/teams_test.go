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

// carolsTeam signs carol in and opens her team from /teams, as she does.
func carolsTeam(t *testing.T) (*Demo, *Browser) {
	t.Helper()
	d := StartDemo(t)
	b := NewBrowser(t)
	signIn(t, b, d, "carol@globex.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/teams")), chromedp.WaitVisible(`#team-list`))
	do(t, b, d, chromedp.Click(`#team-list tbody a`), chromedp.WaitVisible(`#scorecard`), chromedp.WaitVisible(`#issues`))
	return d, b
}

// TestClientTeamPage: carol, a client, opens her team from /teams, reads
// its rocks and the scorecard (with the metric shared from Service Desk
// and filled from Globex's tickets), adds a to-do with the form and ticks
// it done, as a person does.
func TestClientTeamPage(t *testing.T) {
	d, b := carolsTeam(t)
	Screenshot(t, b, "team-carol")
	phoneShots(t, b, "team-carol")
	page := run(t, b, chromedp.Evaluate[string](`document.querySelector('main').textContent`))
	for _, want := range []string{"Migrate Globex mail to M365", "Roll out MFA at Globex", "First response time (h)", "Shared from Service Desk", "Shared mailbox permissions keep resetting"} {
		if !strings.Contains(page, want) {
			t.Errorf("carol's team page lacks %q", want)
		}
	}
	for _, canary := range []string{"SOC", "Leadership", "margin"} {
		if strings.Contains(page, canary) {
			t.Errorf("carol's team page shows %q", canary)
		}
	}
	do(t, b, d,
		chromedp.SendKeys(`#todo-title`, "Order the MFA tokens"),
		chromedp.Click(`.add-todo button[type=submit]`),
		chromedp.WaitVisible(`//li[strong[text()="Order the MFA tokens"]]`),
	)
	do(t, b, d,
		chromedp.Click(`//li[strong[text()="Order the MFA tokens"]]//button`),
		chromedp.WaitNotPresent(`//li[strong[text()="Order the MFA tokens"]]`),
	)
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("browser errors: %q", errs)
	}
	// Her home and Upcoming hold her to-dos.
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/")), chromedp.WaitVisible(chromedp.CSS(`#home-todos`)))
	Screenshot(t, b, "home-carol")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/upcoming")), chromedp.WaitVisible(chromedp.CSS(`#up-week`)))
	Screenshot(t, b, "upcoming-carol")
}

// TestMemberSendsIssue: alan, a member, opens Globex Success, unfolds an
// issue's controls, chooses Leadership in "Send to" with the keyboard and
// sends it: the issue leaves the list. He sees "Also post to" under the
// message form, which carol never does.
func TestMemberSendsIssue(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	signIn(t, b, d, "alan@acme.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/teams")), chromedp.WaitVisible(`#team-list`))
	// An admin's list links to the team's settings; its page is /teams/ID.
	href := run(t, b, chromedp.Evaluate[string](`[...document.querySelectorAll('#team-list a')].find(a => a.textContent.trim() === 'Globex Success').getAttribute('href')`))
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/teams/"+href[strings.LastIndex(href, "/")+1:])), chromedp.WaitVisible(`#issues`))
	const issue = `//li[strong[text()="Licence true-up before the renewal"]]`
	do(t, b, d,
		chromedp.Click(issue+`//summary`),
		chromedp.WaitVisible(issue+`//select[@name="team_id"]`),
		chromedp.Click(`//summary[text()="Post a message"]`),
		chromedp.WaitVisible(`//legend[text()="Also post to"]`),
	)
	Screenshot(t, b, "team-alan-forms")
	sectionShots(t, b, "team-alan-forms", "rocks", "issues", "messages")
	// The keyboard: focus the select and type the team's name.
	do(t, b, d, chromedp.Focus(issue+`//select[@name="team_id"]`), chromedp.KeyEvent("Leadership"))
	chosen := run(t, b, chromedp.Evaluate[string](`document.evaluate('`+issue+`//select[@name="team_id"]', document, null, 9, null).singleNodeValue.selectedOptions[0].textContent`))
	if chosen != "Leadership" {
		t.Fatalf("the keyboard chose %q", chosen)
	}
	do(t, b, d,
		chromedp.Click(issue+`//form[contains(@class,"send-form")]//button`),
		chromedp.WaitNotPresent(issue),
		chromedp.WaitVisible(`//*[contains(@class,"toast")][contains(.,"sent")]`),
	)
	page := run(t, b, chromedp.Evaluate[string](`document.getElementById('issues').textContent`))
	if strings.Contains(page, "Licence true-up") || !strings.Contains(page, "Shared mailbox permissions keep resetting") {
		t.Errorf("the issues after sending: %s", page)
	}
	noErrors(t, b)
}

// TestClientTeamForms: carol picks an issue top 1, solves it into a to-do
// and sets her rock off track in the browser; she has no send or cascade
// control.
func TestClientTeamForms(t *testing.T) {
	d, b := carolsTeam(t)
	const issue = `//li[strong[text()="Licence true-up before the renewal"]]`
	do(t, b, d,
		chromedp.Click(issue+`//summary`),
		chromedp.Click(`//summary[text()="Post a message"]`),
		chromedp.Click(`//summary[text()="Add an issue"]`),
		chromedp.Click(`//summary[text()="Add a rock"]`),
	)
	Screenshot(t, b, "team-carol-forms")
	sectionShots(t, b, "team-carol-forms", "rocks", "scorecard", "issues", "messages")
	if n := run(t, b, chromedp.Evaluate[int](`document.querySelectorAll('select[name=team_id], input[name=cascade_team_ids]').length`)); n != 0 {
		t.Errorf("carol sees %d send or cascade controls", n)
	}
	do(t, b, d,
		chromedp.SetValue(issue+`//select[@name="top_rank"]`, "1"),
		chromedp.Click(issue+`//select[@name="top_rank"]/../..//button`),
		chromedp.WaitVisible(`//li[contains(@class,"item-top")][strong[text()="Licence true-up before the renewal"]]/span[text()="Top 1"]`),
	)
	do(t, b, d,
		chromedp.Click(issue+`//summary`),
		chromedp.SendKeys(issue+`//input[@name="todo_title"]`, "Count the Globex licences"),
		chromedp.Click(issue+`//input[@name="todo_title"]/../..//button`),
		chromedp.WaitNotPresent(issue),
		chromedp.WaitVisible(`//section[@id="todos"]//li[strong[text()="Count the Globex licences"]]`),
	)
	const rock = `//tr[td/strong[text()="Migrate Globex mail to M365"]]`
	do(t, b, d,
		chromedp.SetValue(rock+`//select`, "off_track"),
		chromedp.Focus(rock+`//button`),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(`//*[contains(@class,"toast")][contains(.,"Status saved")]`),
	)
	if v := run(t, b, chromedp.Evaluate[string](`document.evaluate('`+rock+`//select', document, null, 9, null).singleNodeValue.value`)); v != "off_track" {
		t.Errorf("the rock's status after saving: %q", v)
	}
	// The keyboard's focus stays on the button across the swap.
	if id := run(t, b, chromedp.Evaluate[string](`document.activeElement.id`)); !strings.HasSuffix(id, "-status-save") {
		t.Errorf("the focus after saving the status is on %q", id)
	}
	noErrors(t, b)
}

// sectionShots saves a screen at the top of each section of the page
// named by its id, on a phone (390×844) and a desktop (1280×800), when
// ATRIUM_SCREENSHOTS names a directory: a full-page shot of a long page is
// too small to read.
func sectionShots(t *testing.T, b *Browser, name string, ids ...string) {
	t.Helper()
	dir := os.Getenv("ATRIUM_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, size := range [][2]int64{{390, 844}, {1280, 800}} {
		run(t, b, chromedp.EmulateViewport(size[0], size[1]))
		run(t, b, chromedp.Sleep(500*time.Millisecond)) // the sidebar slides away
		for _, id := range ids {
			run(t, b, chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById(%q).scrollIntoView(), window.scrollBy(0, -60), true`, id)))
			png := run(t, b, chromedp.CaptureScreenshot())
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%s-%dx%d.png", name, id, size[0], size[1])), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	run(t, b, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`))
}
