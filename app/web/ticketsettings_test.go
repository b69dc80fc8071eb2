package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tickets"
)

// ticketConfig reads tenant slug's ticket settings straight from the database.
func ticketConfig(t *testing.T, e *env, slug string) *tickets.Config {
	t.Helper()
	var id int64
	if err := e.db.R.QueryRow("SELECT id FROM tenants WHERE slug = ?", slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	cfg, err := tickets.LoadConfig(context.Background(), e.db.Tenant(id))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func ticketSettingsAudits(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.db.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.tickets'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func boardByName(t *testing.T, cfg *tickets.Config, name string) tickets.Board {
	t.Helper()
	for _, b := range cfg.Boards {
		if b.Name == name {
			return b
		}
	}
	t.Fatalf("no board %q", name)
	return tickets.Board{}
}

// TestTicketSettingsAccess: super admins and admins open and save Settings
// → Tickets; people admins, members and external users are refused, and
// the settings index lists the section only for the first.
func TestTicketSettingsAccess(t *testing.T) {
	e := newEnv(t, nil)
	login := func(email string) *client { return e.client("acme.localhost").mustLogin(email, "demo-pass-1") }
	for _, who := range []string{"ada@acme.test", "alan@acme.test"} {
		c := login(who)
		r := c.get("/settings/tickets")
		if r.status != 200 {
			t.Fatalf("%s: %d", who, r.status)
		}
		for _, want := range []string{"Board permissions by role and company", "Field permissions by role", "Note permissions by role",
			"Members; external editors and viewers of every company", "Members; external editors and viewers of Globex Corporation",
			"Members only", `aria-label="Time spent for external viewers"`, "Internal"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("%s: the page lacks %q", who, want)
			}
		}
		if r := c.get("/settings"); !strings.Contains(r.body, `href="/settings/tickets"`) {
			t.Errorf("%s: the settings index lacks Tickets", who)
		}
	}
	alan := login("alan@acme.test")
	if r := alan.htmx("POST", "/settings/tickets/note-types/new", url.Values{"name": {"Billing"}, "add": {"member"}}); r.status != 200 || !strings.Contains(r.header.Get("HX-Trigger"), "toast") {
		t.Errorf("admin adds a kind of note: %d %s", r.status, r.header.Get("HX-Trigger"))
	}
	for _, who := range []string{"grace@acme.test", "ken@acme.test", "erin@globex.test", "victor@globex.test", "oscar@initech.test"} {
		c := login(who)
		if r := c.get("/settings/tickets"); r.status != 403 {
			t.Errorf("%s opens Settings → Tickets: %d", who, r.status)
		}
		if r := c.htmx("POST", "/settings/tickets/boards", url.Values{"name": {"Sneaky"}, "companies_scope": {"all"}}); r.status != 403 {
			t.Errorf("%s adds a board: %d", who, r.status)
		}
		if r := c.htmx("POST", "/settings/tickets/fields", url.Values{"access_priority_external_editor": {"edit"}}); r.status != 403 {
			t.Errorf("%s saves field permissions: %d", who, r.status)
		}
	}
	if r := login("grace@acme.test").get("/settings"); strings.Contains(r.body, `href="/settings/tickets"`) {
		t.Error("a people admin's settings index lists Tickets")
	}
	cfg := ticketConfig(t, e, "acme")
	for _, b := range cfg.Boards {
		if b.Name == "Sneaky" {
			t.Error("a refused board was saved")
		}
	}
	if cfg.Rules.KindAccess(policy.FieldPriority, policy.ExternalEditor) != policy.Read {
		t.Error("a refused field permission was saved")
	}
	// CSRF: a form without its token is refused.
	if r := alan.form("/settings/tickets/fields", url.Values{"access_priority_external_editor": {"edit"}}); r.status != 403 {
		t.Errorf("a form without its CSRF token: %d", r.status)
	}
}

// TestTicketFieldPermissions: the matrix changes what applies, refuses what
// the policy never allows with the message in the cell, and is audited.
func TestTicketFieldPermissions(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	page := ada.get("/settings/tickets")
	// Impossible choices are not offered: external viewers never edit, the
	// title is never hidden, external editors never edit the assignee.
	for _, cell := range []string{"access_time_spent_external_viewer", "access_title_member", "access_assignee_external_editor"} {
		i := strings.Index(page.body, `name="`+cell+`"`)
		if i < 0 {
			continue // fixed: one access only, no select
		}
		sel := page.body[i:]
		sel = sel[:strings.Index(sel, "</select>")]
		if (strings.HasSuffix(cell, "viewer") || strings.Contains(cell, "assignee_external")) && strings.Contains(sel, `value="edit"`) {
			t.Errorf("%s offers edit", cell)
		}
		if strings.Contains(cell, "title") && strings.Contains(sel, `value="hidden"`) {
			t.Errorf("%s offers hidden", cell)
		}
	}
	if strings.Contains(page.body, `name="access_title_external_viewer"`) {
		t.Error("the viewer's title, always read, has a select")
	}

	before := ticketSettingsAudits(t, e)
	r := ada.htmx("POST", "/settings/tickets/fields", url.Values{"access_priority_external_editor": {"edit"}, "access_time_spent_member": {"edit"}})
	if r.status != 200 || !strings.Contains(r.header.Get("HX-Trigger"), "Field permissions saved.") || !strings.Contains(r.body, `id="ticket-settings"`) {
		t.Fatalf("save: %d %s", r.status, r.header.Get("HX-Trigger"))
	}
	cfg := ticketConfig(t, e, "acme")
	if got := cfg.Rules.KindAccess(policy.FieldPriority, policy.ExternalEditor); got != policy.Edit {
		t.Errorf("priority for external editors: %v", got)
	}
	if ticketSettingsAudits(t, e) != before+1 {
		t.Error("no audit record for the field permissions")
	}
	var summary string
	if err := e.db.R.QueryRow("SELECT summary FROM audit_log WHERE action = 'settings.tickets' ORDER BY id DESC LIMIT 1").Scan(&summary); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, "priority/external_editor=edit") || strings.Contains(summary, "time_spent/member") {
		t.Errorf("the audit record names unchanged cells or misses the change: %s", summary)
	}

	// External viewers never edit: refused, the message in the cell, nothing saved.
	r = ada.htmx("POST", "/settings/tickets/fields", url.Values{"access_time_spent_external_viewer": {"edit"}, "access_billing_code_external_editor": {"read"}})
	if r.status != 400 {
		t.Fatalf("viewer edits the time spent: %d", r.status)
	}
	cell := r.body[strings.Index(r.body, `name="access_time_spent_external_viewer"`):]
	cell = cell[:strings.Index(cell, "</td>")]
	if !strings.Contains(cell, `class="field-error" id="access_time_spent_external_viewer-error"`) || !strings.Contains(cell, "External viewer can at most read Time spent.") {
		t.Errorf("the refusal is not in the cell: %s", cell)
	}
	cfg = ticketConfig(t, e, "acme")
	if cfg.Rules.KindAccess(policy.FieldBillingCode, policy.ExternalEditor) != policy.Hidden {
		t.Error("a refused matrix saved its other cells")
	}
	// The title cannot be hidden; an unknown access is refused.
	if r := ada.htmx("POST", "/settings/tickets/fields", url.Values{"access_title_member": {"hidden"}}); r.status != 400 || !strings.Contains(r.body, "Title cannot be hidden.") {
		t.Errorf("hide the title: %d", r.status)
	}
	if r := ada.htmx("POST", "/settings/tickets/fields", url.Values{"access_status_member": {"admin"}}); r.status != 400 || !strings.Contains(r.body, "Choose hidden, read or edit.") {
		t.Errorf("an unknown access: %d", r.status)
	}
	// Without htmx: a redirect back to the section, which confirms.
	csrf := formCSRF(t, ada.get("/settings/tickets").body)
	r = ada.form("/settings/tickets/fields", url.Values{"_csrf": {csrf}, "access_due_on_external_viewer": {"hidden"}})
	if r.status != 303 || r.header.Get("Location") != "/settings/tickets?saved=fields#ticket-fields" {
		t.Fatalf("plain form: %d %s", r.status, r.header.Get("Location"))
	}
	if r := ada.get("/settings/tickets?saved=fields"); !strings.Contains(r.body, "Field permissions saved.") {
		t.Error("no confirmation after a plain save")
	}
}

// TestTicketBoardSettings: boards are added and changed with their kinds
// and companies; bad names, duplicates and another tenant's company are
// refused and nothing is saved.
func TestTicketBoardSettings(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	projects := boardByName(t, ticketConfig(t, e, "acme"), "Projects")
	globex, initech := companyID(t, e, "acme", "Globex Corporation"), companyID(t, e, "acme", "Initech")
	path := "/settings/tickets/boards/" + strconv.FormatInt(projects.ID, 10)
	before := ticketSettingsAudits(t, e)
	r := ada.htmx("POST", path, url.Values{"name": {"Projects"}, "kinds": {"external_editor"}, "companies_scope": {"list"},
		"companies": {strconv.FormatInt(globex, 10), strconv.FormatInt(initech, 10)}})
	if r.status != 200 || !strings.Contains(r.body, "Members; external editors of Globex Corporation and Initech") {
		t.Fatalf("save Projects: %d", r.status)
	}
	b := boardByName(t, ticketConfig(t, e, "acme"), "Projects")
	if len(b.Companies) != 2 || len(b.Kinds) != 1 || b.Kinds[0] != policy.ExternalEditor || b.AllCompanies {
		t.Errorf("Projects: %+v", b)
	}
	if ticketSettingsAudits(t, e) != before+1 {
		t.Error("no audit record for the board")
	}

	contoso := companyID(t, e, "northwind", "Contoso")
	for what, form := range map[string]url.Values{
		"duplicate name": {"name": {"service desk"}, "companies_scope": {"all"}},
		"long name":      {"name": {strings.Repeat("b", 81)}, "companies_scope": {"all"}},
		"other tenant":   {"name": {"Contoso board"}, "kinds": {"external_editor"}, "companies_scope": {"list"}, "companies": {strconv.FormatInt(contoso, 10)}},
		"member kind":    {"name": {"Members board"}, "kinds": {"member"}, "companies_scope": {"all"}},
		"no scope":       {"name": {"Scope board"}},
	} {
		r := ada.htmx("POST", "/settings/tickets/boards", form)
		if r.status != 400 || !strings.Contains(r.body, `class="field-error"`) || !strings.Contains(r.body, "Nothing was saved.") {
			t.Errorf("%s: %d", what, r.status)
		}
	}
	r = ada.htmx("POST", "/settings/tickets/boards", url.Values{"name": {"Service Desk"}, "companies_scope": {"all"}})
	if !strings.Contains(r.body, "Another board has this name.") || !strings.Contains(r.body, `id="board-new-name" type="text" name="name" value="Service Desk" aria-invalid="true"`) {
		t.Error("the duplicate name is not marked at the field")
	}
	r = ada.htmx("POST", path, url.Values{"name": {"Projects"}, "kinds": {"external_editor"}, "companies_scope": {"list"}, "companies": {strconv.FormatInt(contoso, 10)}})
	if r.status != 400 || !strings.Contains(r.body, "Choose companies from the list.") {
		t.Errorf("another tenant's company on a board: %d", r.status)
	}
	cfg := ticketConfig(t, e, "acme")
	if len(cfg.Boards) != 3 || len(boardByName(t, cfg, "Projects").Companies) != 2 {
		t.Errorf("a refused board was saved: %d boards", len(cfg.Boards))
	}
	if r := ada.htmx("POST", "/settings/tickets/boards/999999", url.Values{"name": {"X"}, "companies_scope": {"all"}}); r.status != 404 {
		t.Errorf("an unknown board: %d", r.status)
	}

	// htmx gets the sections alone; a plain form the whole page, both with the message at the field.
	if r := ada.htmx("POST", "/settings/tickets/boards", url.Values{"name": {" "}, "companies_scope": {"all"}}); strings.Contains(r.body, "<html") || !strings.Contains(r.body, "Enter a name of 1 to 80 characters.") {
		t.Error("a refused htmx form is not answered with the sections alone")
	}
	csrf := formCSRF(t, ada.get("/settings/tickets").body)
	if r := ada.form("/settings/tickets/boards", url.Values{"_csrf": {csrf}, "name": {" "}, "companies_scope": {"all"}}); r.status != 400 || !strings.Contains(r.body, "<html") || !strings.Contains(r.body, "Enter a name of 1 to 80 characters.") {
		t.Errorf("a refused plain form: %d", r.status)
	}

	// A new board for viewers of Initech.
	r = ada.htmx("POST", "/settings/tickets/boards", url.Values{"name": {"Onboarding"}, "kinds": {"external_viewer"}, "companies_scope": {"list"}, "companies": {strconv.FormatInt(initech, 10)}})
	if r.status != 200 || !strings.Contains(r.body, "Members; external viewers of Initech") || !strings.Contains(r.header.Get("HX-Trigger"), "Board Onboarding added.") {
		t.Errorf("add a board: %d", r.status)
	}
}

// TestTicketNoteAndCustomFieldSettings: the note matrix saves who reads
// and adds; viewers never add; a custom field starts hidden.
func TestTicketNoteAndCustomFieldSettings(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	cfg := ticketConfig(t, e, "acme")
	form := url.Values{}
	var internal int64
	for _, nt := range cfg.NoteTypes {
		id := strconv.FormatInt(nt.ID, 10)
		for _, k := range nt.ReadKinds {
			if k != policy.Member {
				form.Add("read_"+id, string(k))
			}
		}
		for _, k := range nt.AddKinds {
			form.Add("add_"+id, string(k))
		}
		if nt.Name == "Internal" {
			internal = nt.ID
		}
	}
	before := ticketSettingsAudits(t, e)
	if r := ada.htmx("POST", "/settings/tickets/note-types", form); r.status != 200 || !strings.Contains(r.header.Get("HX-Trigger"), "Nothing changed.") {
		t.Errorf("unchanged notes: %d %s", r.status, r.header.Get("HX-Trigger"))
	}
	form.Set("read_"+strconv.FormatInt(internal, 10), "external_editor")
	if r := ada.htmx("POST", "/settings/tickets/note-types", form); r.status != 200 {
		t.Errorf("notes: %d", r.status)
	}
	if ticketSettingsAudits(t, e) != before+1 {
		t.Error("not one audit record for the one changed kind of note")
	}
	nt, _ := ticketConfig(t, e, "acme").NoteType(internal)
	if len(nt.ReadKinds) != 2 {
		t.Errorf("Internal is read by %v", nt.ReadKinds)
	}
	form.Set("add_"+strconv.FormatInt(internal, 10), "external_viewer")
	if r := ada.htmx("POST", "/settings/tickets/note-types", form); r.status != 400 {
		t.Errorf("viewers add notes: %d", r.status)
	}
	if r := ada.htmx("POST", "/settings/tickets/note-types/new", url.Values{"name": {"Discussion"}}); r.status != 400 || !strings.Contains(r.body, "Another kind of note has this name.") {
		t.Errorf("duplicate kind of note: %d", r.status)
	}

	r := ada.htmx("POST", "/settings/tickets/custom-fields", url.Values{"name": {"Site"}, "kind": {"choice"}, "choices": {"London\r\nParis\r\n"}})
	if r.status != 200 || !strings.Contains(r.body, `aria-label="Site for external editors"`) {
		t.Fatalf("add a custom field: %d", r.status)
	}
	cfg = ticketConfig(t, e, "acme")
	f := cfg.CustomFields[len(cfg.CustomFields)-1]
	if f.Name != "Site" || len(f.Choices) != 2 || cfg.Rules.KindAccess(f.Key(), policy.ExternalEditor) != policy.Hidden {
		t.Errorf("custom field: %+v", f)
	}
	for what, form := range map[string]url.Values{
		"no options":     {"name": {"Region"}, "kind": {"choice"}},
		"unknown kind":   {"name": {"Region"}, "kind": {"colour"}},
		"standard field": {"name": {"priority"}, "kind": {"text"}},
	} {
		if r := ada.htmx("POST", "/settings/tickets/custom-fields", form); r.status != 400 || !strings.Contains(r.body, `class="field-error"`) {
			t.Errorf("%s: %d", what, r.status)
		}
	}
}
