package browsertest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// switchUser forgets the browser's session and signs email in.
func switchUser(t *testing.T, b *Browser, d *Demo, email string) {
	t.Helper()
	do(t, b, d, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
	signIn(t, b, d, email)
}

// openTicket opens the list and follows the link of the ticket titled title.
func openTicket(t *testing.T, b *Browser, d *Demo, title string) {
	t.Helper()
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/tickets")), chromedp.WaitVisible(`#ticket-list`))
	href := run(t, b, chromedp.Evaluate[string](`(() => {
		const a = [...document.querySelectorAll('#ticket-list td.ticket-title a')].find(a => a.textContent.trim() === `+jsString(title)+`);
		return a ? a.getAttribute('href') : '';
	})()`))
	if href == "" {
		t.Fatalf("no ticket %q in the list", title)
	}
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", href)), chromedp.WaitVisible(`#ticket-summary`))
}

// TestTicketsInTheBrowser: erin adds a note to her VPN ticket and sees it
// appear in the timeline without a reload, on a page without internal
// fields; victor's ticket page has no controls to write; oscar's list
// holds his one ticket.
func TestTicketsInTheBrowser(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowserWithin(t, 2*time.Minute)

	signIn(t, b, d, "erin@globex.test")
	Screenshot(t, b, "tickets-home-erin")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/tickets")), chromedp.WaitVisible(`#ticket-list`))
	Screenshot(t, b, "tickets-list-erin")
	openTicket(t, b, d, "VPN drops every hour")
	if text := run(t, b, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(text, "Time spent") || strings.Contains(text, "Suspect ISP") || strings.Contains(text, "GLX-MSP-01") {
		t.Error("erin's ticket page shows an internal field or note")
	}
	// A marker on the page and on a node: a reload would lose both.
	run(t, b, chromedp.Evaluate[bool](`(window.__noReload = true, document.getElementById('ticket-summary').dataset.marker = 'kept', true)`))
	before := run(t, b, chromedp.Evaluate[string](`location.href`))
	notes := run(t, b, chromedp.Evaluate[int](`document.querySelectorAll('#ticket-notes > li').length`))
	do(t, b, d,
		chromedp.SendKeys(`#note-body`, "The drops came back this morning."),
		chromedp.Click(`#note-form button[type=submit]`),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#ticket-notes > li').length === `+strconv.Itoa(notes+1), chromedp.WithPollingTimeout(10*time.Second)),
	)
	state := run(t, b, chromedp.Evaluate[map[string]any](`({
		marker: window.__noReload === true && document.getElementById('ticket-summary').dataset.marker === 'kept',
		url: location.href,
		last: document.querySelector('#ticket-notes > li:last-child').innerText,
		body: document.getElementById('note-body').value,
	})`))
	if state["marker"] != true || state["url"] != before {
		t.Errorf("adding a note reloaded the page: %v", state)
	}
	if !strings.Contains(state["last"].(string), "The drops came back this morning.") || !strings.Contains(state["last"].(string), "Discussion") {
		t.Errorf("the new note is not last in the timeline: %q", state["last"])
	}
	if state["body"] != "" {
		t.Errorf("the composer keeps %q after adding", state["body"])
	}
	Screenshot(t, b, "ticket-erin")
	// The details form saves in place too. (Clicked by script: the sticky
	// top bar can lie over the summary where chromedp would click.)
	run(t, b, chromedp.Evaluate[bool](`(document.querySelector('details.ticket-edit > summary').click(), true)`))
	do(t, b, d, chromedp.WaitVisible(`#edit-due_on`), chromedp.SetValue(`#edit-due_on`, "2031-05-06"))
	run(t, b, chromedp.Evaluate[bool](`(document.querySelector('#ticket-edit-form button[type=submit]').click(), true)`))
	do(t, b, d, chromedp.Poll[chromedp.Void](`document.querySelector('#ticket-details dl').innerText.includes('2031-05-06')`, chromedp.WithPollingTimeout(10*time.Second)))
	if kept := run(t, b, chromedp.Evaluate[bool](`window.__noReload === true && document.querySelectorAll('#ticket-summary').length === 1`)); !kept {
		t.Error("saving the details reloaded the page or doubled the summary")
	}

	switchUser(t, b, d, "victor@globex.test")
	openTicket(t, b, d, "VPN drops every hour")
	if n := run(t, b, chromedp.Evaluate[int](`document.querySelectorAll('main form, main textarea, main select, main button').length`)); n != 0 {
		t.Errorf("victor's ticket page has %d controls to write", n)
	}
	Screenshot(t, b, "ticket-victor")

	switchUser(t, b, d, "oscar@initech.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/tickets")), chromedp.WaitVisible(`#ticket-list`))
	titles := run(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#ticket-list td.ticket-title a')].map(a => a.textContent.trim())`))
	if len(titles) != 1 || titles[0] != "Printer offline" {
		t.Errorf("oscar's list: %q", titles)
	}

	switchUser(t, b, d, "ada@acme.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/tickets")), chromedp.WaitVisible(`#ticket-list`))
	Screenshot(t, b, "tickets-list-ada")
	openTicket(t, b, d, "VPN drops every hour")
	Screenshot(t, b, "ticket-ada")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/tickets/new")), chromedp.WaitVisible(`#new-ticket-form`))
	Screenshot(t, b, "ticket-new-ada")
	noErrors(t, b)
}
