package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// ticketID is the ID of the ticket titled title, in any tenant.
func (e *env) ticketID(title string) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT id FROM tickets WHERE title = ?", title).Scan(&id); err != nil {
		e.t.Fatalf("ticket %q: %v", title, err)
	}
	return id
}

func ticketPage(id int64) string { return "/tickets/" + strconv.FormatInt(id, 10) }

var ticketLinkRE = regexp.MustCompile(`href="/tickets/\d+"`)

// The Globex tickets erin sees, and not one more; none of their internal
// fields or notes in her list, page or export.
func TestTicketsExternalEditorSeesHerCompany(t *testing.T) {
	e := newEnv(t, nil)
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")

	list := erin.get("/tickets")
	if list.status != 200 {
		t.Fatalf("erin's list: %d\n%s", list.status, list.body)
	}
	for _, title := range []string{"VPN drops every hour", "New laptop for CFO", "Quarterly firewall review", "Onboard two sales hires", "Migrate file shares to SharePoint", "Phishing test results"} {
		if !strings.Contains(list.body, title) {
			t.Errorf("erin's list lacks %q", title)
		}
	}
	if n := len(ticketLinkRE.FindAllString(list.body, -1)); n != 6 {
		t.Errorf("erin's list links %d tickets, want the 6 of Globex", n)
	}
	for _, hidden := range []string{"Printer offline", "Renew wildcard certificate", "Clinic workstations", "GLX-MSP-01", "Time spent", "Billing code", `name="company"`} {
		if strings.Contains(list.body, hidden) {
			t.Errorf("erin's list shows %q", hidden)
		}
	}
	if !strings.Contains(list.body, "<title>Support") || !strings.Contains(list.body, "New ticket") {
		t.Error("erin's list should be titled with her label, Support, and offer New ticket")
	}

	vpn := ticketPage(e.ticketID("VPN drops every hour"))
	page := erin.get(vpn)
	if page.status != 200 {
		t.Fatalf("erin's VPN ticket: %d", page.status)
	}
	for _, hidden := range []string{"Suspect ISP", "GLX-MSP-01", "Time spent", "Billing code", `name="priority"`, `name="time_spent"`, `value="3">Internal`} {
		if strings.Contains(page.body, hidden) {
			t.Errorf("erin's VPN page shows %q", hidden)
		}
	}
	for _, shown := range []string{"We moved the VPN to the backup line", "Add a note", `name="body"`, "Discussion", "Edit details"} {
		if !strings.Contains(page.body, shown) {
			t.Errorf("erin's VPN page lacks %q", shown)
		}
	}

	csv := erin.get("/tickets.csv")
	if csv.status != 200 || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("erin's export: %d %s", csv.status, csv.header.Get("Content-Type"))
	}
	header := strings.SplitN(csv.body, "\n", 2)[0]
	for _, col := range []string{"billing_code", "time_spent", "external_id"} {
		if strings.Contains(header, col) {
			t.Errorf("erin's export has a %s column: %s", col, header)
		}
	}
	if strings.Contains(csv.body, "GLX-") || strings.Contains(csv.body, "Printer offline") {
		t.Errorf("erin's export leaks:\n%s", csv.body)
	}
	if n := strings.Count(strings.TrimSpace(csv.body), "\n"); n != 6 {
		t.Errorf("erin's export has %d rows, want 6:\n%s", n, csv.body)
	}

	// A member's export has the internal columns.
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	if r := ada.get("/tickets.csv?q=VPN"); !strings.Contains(r.body, "billing_code") || !strings.Contains(r.body, "GLX-MSP-01") {
		t.Errorf("ada's export should carry the billing code:\n%s", r.body)
	}
}

// Filters narrow the list through htmx, which gets the region only.
func TestTicketsFiltersAndSearch(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	r := ada.get("/tickets")
	if n := len(ticketLinkRE.FindAllString(r.body, -1)); n != 14 {
		t.Errorf("ada's list links %d tickets, want 14", n)
	}
	for _, f := range []string{`name="company"`, `name="board"`, `name="status"`, `name="priority"`, `name="assignee"`} {
		if !strings.Contains(r.body, f) {
			t.Errorf("ada's filters lack %s", f)
		}
	}
	frag := ada.do("GET", "/tickets?q=printer", nil, "", map[string]string{"HX-Request": "true", "HX-Target": "ticket-list"})
	if frag.status != 200 || strings.Contains(frag.body, "<html") || !strings.Contains(frag.body, "Printer offline") || strings.Contains(frag.body, "VPN drops") {
		t.Errorf("htmx search: %d\n%s", frag.status, frag.body)
	}
	none := ada.get("/tickets?q=nothingmatchesthis")
	if !strings.Contains(none.body, "No tickets match these filters") || !strings.Contains(none.body, "Clear filters") {
		t.Errorf("an empty search should say so and offer to clear it")
	}
	if bad := ada.get("/tickets?status=bogus"); bad.status != 400 {
		t.Errorf("an unknown status: %d", bad.status)
	}
	// Paging: two at a time, the rest behind "Load more".
	first := ada.get("/tickets?limit=2")
	if !strings.Contains(first.body, "Load more") {
		t.Fatal("a page of 2 should offer Load more")
	}
}

func TestTicketsOwnOnlyAndRefusals(t *testing.T) {
	e := newEnv(t, nil)
	oscar := e.client("acme.localhost").mustLogin("oscar@initech.test", "demo-pass-1")
	r := oscar.get("/tickets")
	if !strings.Contains(r.body, "Printer offline") || len(ticketLinkRE.FindAllString(r.body, -1)) != 1 {
		t.Errorf("oscar's list should hold Printer offline alone:\n%s", r.body)
	}
	for _, who := range []string{"carol@globex.test", "gina@guest.test"} {
		c := e.client("acme.localhost").mustLogin(who, "demo-pass-1")
		for _, p := range []string{"/tickets", "/tickets.csv", "/tickets/new"} {
			if r := c.get(p); r.status != 403 {
				t.Errorf("%s GET %s: %d, want 403", who, p, r.status)
			}
		}
	}
	// Another tenant's ticket, typed on Acme's host, does not exist here.
	nw := e.ticketID("Laptop battery swelling")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	if r := ada.get(ticketPage(nw)); r.status != 404 {
		t.Errorf("a Northwind ticket on Acme: %d", r.status)
	}
	// Outside the scope is 404 too: erin and Initech's printer.
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	if r := erin.get(ticketPage(e.ticketID("Printer offline"))); r.status != 404 {
		t.Errorf("erin opens Initech's ticket: %d", r.status)
	}
}

func TestTicketPageViewerHasNoWriteControls(t *testing.T) {
	e := newEnv(t, nil)
	victor := e.client("acme.localhost").mustLogin("victor@globex.test", "demo-pass-1")
	for _, title := range []string{"VPN drops every hour", "Quarterly firewall review"} {
		r := victor.get(ticketPage(e.ticketID(title)))
		if r.status != 200 {
			t.Fatalf("victor opens %q: %d", title, r.status)
		}
		main := r.body[strings.Index(r.body, `<main`):]
		for _, w := range []string{"<form", "<textarea", "<select", "Edit details", "Add a note", "Add watcher", "Stop watching"} {
			if strings.Contains(main, w) {
				t.Errorf("victor's %q page holds %q", title, w)
			}
		}
		if strings.Contains(r.body, "New ticket") {
			t.Error("victor is offered New ticket")
		}
	}
	vpn := ticketPage(e.ticketID("VPN drops every hour"))
	if r := victor.htmx("POST", vpn+"/notes", url.Values{"type": {"1"}, "body": {"hello"}}); r.status != 403 {
		t.Errorf("victor adds a note: %d", r.status)
	}
}

func TestTicketNotesAndEdits(t *testing.T) {
	e := newEnv(t, nil)
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	vpn := ticketPage(e.ticketID("VPN drops every hour"))
	page := erin.get(vpn)
	// Discussion is the one type she may add: the composer names it.
	discussion := regexp.MustCompile(`name="type" value="(\d+)"`).FindStringSubmatch(page.body)
	if discussion == nil {
		t.Fatalf("no Discussion choice in erin's composer")
	}
	r := erin.htmx("POST", vpn+"/notes", url.Values{"type": {discussion[1]}, "body": {"Still dropping at 3pm <b>today</b>."}})
	if r.status != 200 || !strings.Contains(r.body, "Still dropping at 3pm &lt;b&gt;today&lt;/b&gt;.") || strings.Contains(r.body, "<html") {
		t.Fatalf("erin's note: %d\n%s", r.status, r.body)
	}
	if !strings.Contains(r.body, `hx-swap-oob="true"`) || !strings.Contains(r.body, `id="note-form"`) {
		t.Error("the answer should carry an empty composer out of band")
	}
	// The type Internal is members' only.
	var internal string
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT nt.id FROM note_types nt JOIN tenants tn ON tn.id = nt.tenant_id WHERE tn.slug = 'acme' AND nt.name = 'Internal'").Scan(&internal); err != nil {
		t.Fatal(err)
	}
	if r := erin.htmx("POST", vpn+"/notes", url.Values{"type": {internal}, "body": {"sneaky"}}); r.status != 403 {
		t.Errorf("erin adds an Internal note: %d", r.status)
	}
	if r := erin.htmx("POST", vpn+"/notes", url.Values{"type": {discussion[1]}, "body": {"  "}}); r.status != 400 || r.header.Get("HX-Retarget") != "#note-form" || !strings.Contains(r.body, "note-body-error") {
		t.Errorf("an empty note: %d %q\n%s", r.status, r.header.Get("HX-Retarget"), r.body)
	}
	// Priority is read-only for her; the billing code hidden.
	if r := erin.htmx("POST", vpn, url.Values{"priority": {"low"}}); r.status != 403 {
		t.Errorf("erin changes the priority: %d\n%s", r.status, r.body)
	}
	if r := erin.htmx("POST", vpn, url.Values{"billing_code": {"X"}}); r.status != 403 {
		t.Errorf("erin sets the billing code: %d", r.status)
	}
	// She may change the due date: the panel comes back.
	r = erin.htmx("POST", vpn, url.Values{"due_on": {"2031-05-06"}})
	if r.status != 200 || !strings.Contains(r.body, "2031-05-06") || !strings.Contains(r.body, `id="ticket-details"`) {
		t.Errorf("erin sets the due date: %d\n%s", r.status, r.body)
	}
	if r := erin.htmx("POST", vpn, url.Values{"due_on": {"tomorrow"}}); r.status != 400 || !strings.Contains(r.body, "edit-due_on-error") {
		t.Errorf("a bad date: %d\n%s", r.status, r.body)
	}
	// A member changes the status and the billing code.
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	r = ken.htmx("POST", vpn, url.Values{"status": {"resolved"}, "billing_code": {"GLX-NEW"}})
	if r.status != 200 || !strings.Contains(r.body, "GLX-NEW") || !strings.Contains(r.body, "Resolved") {
		t.Errorf("ken's change: %d\n%s", r.status, r.body)
	}
	if p := ken.get(vpn); !strings.Contains(p.body, "Suspect ISP") || !strings.Contains(p.body, "note-internal") {
		t.Error("ken sees the Internal note, marked apart")
	}
}

func TestTicketWatchersAndNewTicket(t *testing.T) {
	e := newEnv(t, nil)
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	laptop := ticketPage(e.ticketID("New laptop for CFO"))
	var victor int64
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT id FROM users WHERE email = 'victor@globex.test'").Scan(&victor); err != nil {
		t.Fatal(err)
	}
	r := erin.htmx("POST", laptop+"/watchers", url.Values{"user_id": {strconv.FormatInt(victor, 10)}})
	if r.status != 200 || !strings.Contains(r.body, "Victor") || !strings.Contains(r.body, "/remove") {
		t.Fatalf("erin adds victor: %d\n%s", r.status, r.body)
	}
	r = erin.htmx("POST", laptop+"/watchers/"+strconv.FormatInt(victor, 10)+"/remove", url.Values{})
	if r.status != 200 || strings.Contains(r.body, "/remove") {
		t.Errorf("erin removes victor: %d\n%s", r.status, r.body)
	}

	form := erin.get("/tickets/new")
	if form.status != 200 || strings.Contains(form.body, `name="priority"`) || !strings.Contains(form.body, `name="contact_id"`) || strings.Contains(form.body, "Internal Ops") {
		t.Errorf("erin's new-ticket form: %d", form.status)
	}
	board := regexp.MustCompile(`<option value="(\d+)" selected>Service Desk`).FindStringSubmatch(form.body)
	company := regexp.MustCompile(`name="company_id" value="(\d+)"`).FindStringSubmatch(form.body)
	if board == nil || company == nil {
		t.Fatalf("erin's form should preselect her company and Service Desk:\n%s", form.body)
	}
	r = erin.form("/tickets", url.Values{"_csrf": {formCSRF(t, form.body)}, "company_id": {company[1]}, "board_id": {board[1]},
		"title": {"Shared drive is full"}, "description": {"Line one\nLine two"}})
	if r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/tickets/") {
		t.Fatalf("erin opens a ticket: %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	if p := erin.get(r.header.Get("Location")); !strings.Contains(p.body, "Shared drive is full") || !strings.Contains(p.body, "Line one\nLine two") {
		t.Errorf("the new ticket's page:\n%s", p.body)
	}
	r = erin.htmx("POST", "/tickets", url.Values{"company_id": {company[1]}, "board_id": {board[1]}, "title": {""}})
	if r.status != 400 || !strings.Contains(r.body, "new-title-error") {
		t.Errorf("a ticket without a title: %d\n%s", r.status, r.body)
	}
	oscar := e.client("acme.localhost").mustLogin("oscar@initech.test", "demo-pass-1")
	if f := oscar.get("/tickets/new"); strings.Contains(f.body, `name="contact_id"`) {
		t.Error("oscar, own tickets only, chooses no contact")
	}
	// A member changing the company gets the boards for it.
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	frag := ada.do("GET", "/tickets/new?company_id=0", nil, "", map[string]string{"HX-Request": "true", "HX-Target": "new-ticket-where"})
	if !strings.Contains(frag.body, "Internal Ops") || strings.Contains(frag.body, "<html") {
		t.Errorf("ada's boards for no company:\n%s", frag.body)
	}
}

func TestTicketEmailSwitch(t *testing.T) {
	e := newEnv(t, nil)
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	if r := erin.get("/account/notifications"); r.status != 200 || !strings.Contains(r.body, `name="ticket_emails" value="on" checked`) {
		t.Fatalf("notifications page: %d\n%s", r.status, r.body)
	}
	if r := erin.htmx("POST", "/account/notifications", url.Values{}); r.status != 200 || strings.Contains(r.body, "checked") {
		t.Fatalf("turning emails off: %d\n%s", r.status, r.body)
	}
	var on bool
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT ticket_emails FROM users WHERE email = 'erin@globex.test'").Scan(&on); err != nil || on {
		t.Errorf("ticket_emails after turning off: %v %v", on, err)
	}
	var n int
	_ = e.db.R.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM audit_log WHERE action = 'user.change' AND summary LIKE '%ticket emails%'").Scan(&n)
	if n != 1 {
		t.Errorf("%d audit records of the switch, want 1", n)
	}
}
