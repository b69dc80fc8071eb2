package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tickets"
)

// ticketID is the ID of the demo's ticket titled title, in Acme or Northwind.
func ticketID(t *testing.T, e *env, title string) int64 {
	t.Helper()
	if title == "Laptop battery swelling" {
		return lookupID(t, e, "ticket", "northwind", title)
	}
	return lookupID(t, e, "ticket", "acme", title)
}

func boardID(t *testing.T, e *env, slug, name string) int64 {
	return lookupID(t, e, "board", slug, name)
}

func ticketPath(id int64, rest ...string) string {
	return "/api/v1/tickets/" + strconv.FormatInt(id, 10) + strings.Join(rest, "")
}

// items decodes a list answer, failing unless it is a 200 list.
func items(t *testing.T, r response) []map[string]any {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	var body struct {
		Items      []map[string]any `json:"items"`
		NextCursor *string          `json:"next_cursor"`
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil || body.Items == nil || body.NextCursor == nil {
		t.Fatalf("not a list: %v %s", err, r.body)
	}
	return body.Items
}

func titles(list []map[string]any) []string {
	var out []string
	for _, it := range list {
		out = append(out, it["title"].(string))
	}
	slices.Sort(out)
	return out
}

func errorFields(t *testing.T, r response) map[string]any {
	t.Helper()
	var body struct {
		Error struct {
			Fields map[string]any `json:"fields"`
		} `json:"error"`
	}
	_ = json.Unmarshal([]byte(r.body), &body)
	return body.Error.Fields
}

// TestTicketsAPIShowsWhatTheViewShows: each reader gets the tickets,
// fields and notes the policy gives them; a hidden field is absent, not
// null; search finds nothing in what the reader may not read.
func TestTicketsAPIShowsWhatTheViewShows(t *testing.T) {
	e := newEnv(t, nil)
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	vpn := ticketID(t, e, "VPN drops every hour")

	list := items(t, erin.get("/api/v1/tickets"))
	if len(list) != 6 {
		t.Fatalf("erin sees %d tickets: %v", len(list), titles(list))
	}
	for _, it := range list {
		if c, _ := it["company"].(map[string]any); c["name"] != "Globex Corporation" {
			t.Errorf("erin sees a ticket of %v", it["company"])
		}
		for _, k := range []string{"time_spent", "billing_code", "external_id"} {
			if _, ok := it[k]; ok {
				t.Errorf("erin's list item %q has %s", it["title"], k)
			}
		}
		for _, k := range []string{"status", "priority", "contact", "assignee", "due_on", "board", "watchers", "custom_fields"} {
			if _, ok := it[k]; !ok {
				t.Errorf("erin's list item %q lacks %s", it["title"], k)
			}
		}
		if _, ok := it["can"]; ok {
			t.Errorf("a list item carries can")
		}
	}

	d := erin.get(ticketPath(vpn)).json(t)
	if _, ok := d["time_spent"]; ok || d["billing_code"] != nil || d["priority"] != "high" || d["status"] != "in_progress" {
		t.Errorf("erin's detail: %v", d)
	}
	if c, _ := d["contact"].(map[string]any); c["name"] == nil {
		t.Errorf("contact: %v", d["contact"])
	}
	if d["due_on"] != nil {
		t.Errorf("an empty due date is %v, want null", d["due_on"])
	}
	can, _ := d["can"].(map[string]any)
	edit := strings.Fields(strings.Trim(jsonOf(can["edit_fields"]), "[]"))
	if !strings.Contains(jsonOf(can["edit_fields"]), `"title"`) || strings.Contains(jsonOf(can["edit_fields"]), `"priority"`) ||
		!strings.Contains(jsonOf(can["add_note_types"]), `"Discussion"`) || strings.Contains(jsonOf(can["add_note_types"]), `"Internal"`) ||
		strings.Contains(jsonOf(can["add_note_types"]), `"Resolution"`) || can["move"] != false || can["add_watchers"] != true {
		t.Errorf("erin may: %v (%v)", can, edit)
	}
	if full := ada.get(ticketPath(vpn)).json(t); full["time_spent"] != float64(95) || full["billing_code"] != "GLX-MSP-01" || full["external_id"] != nil {
		t.Errorf("ada's detail: %v", full)
	} else if _, ok := full["external_id"]; !ok {
		t.Errorf("ada's detail lacks external_id: %v", full)
	}
	if r := ada.get(ticketPath(ticketID(t, e, "Renew wildcard certificate"))); r.status != 200 || !strings.Contains(r.body, `"company":null`) {
		t.Errorf("an internal ticket's company: %d %s", r.status, r.body)
	}
	victor := e.client("acme.localhost").mustLogin("victor@globex.test", "demo-pass-1")
	if r := victor.get(ticketPath(vpn)); r.status != 200 || strings.Contains(r.body, "time_spent") || strings.Contains(r.body, "GLX-MSP-01") {
		t.Errorf("victor's detail: %d %s", r.status, r.body)
	}

	notes := items(t, erin.get(ticketPath(vpn, "/notes")))
	if len(notes) != 3 {
		t.Errorf("erin reads %d notes of the VPN ticket", len(notes))
	}
	for _, n := range notes {
		if strings.Contains(n["body"].(string), "Suspect ISP") || n["type"] == "Internal" {
			t.Errorf("erin reads an internal note: %v", n)
		}
		if n["type_id"] == nil || n["created_at"] == nil || n["author"] == nil {
			t.Errorf("a note: %v", n)
		}
	}
	if all := items(t, ada.get(ticketPath(vpn, "/notes?limit=2"))); len(all) != 2 || all[0]["body"] != "It happens at home and in the branch office, on laptops and phones alike." {
		t.Errorf("ada's first page of notes: %v", all)
	}
	if r := ada.get(ticketPath(vpn, "/notes")); !strings.Contains(r.body, "Suspect ISP") {
		t.Errorf("ada does not read the internal note")
	}

	if got := items(t, erin.get("/api/v1/tickets?q=ISP")); len(got) != 0 {
		t.Errorf("erin finds by an internal note: %v", titles(got))
	}
	if got := titles(items(t, ada.get("/api/v1/tickets?q=ISP"))); !slices.Equal(got, []string{"VPN drops every hour"}) {
		t.Errorf("ada searches ISP: %v", got)
	}
	if got := items(t, erin.get("/api/v1/tickets?q=GLX")); len(got) != 0 {
		t.Errorf("erin finds by a billing code: %v", titles(got))
	}

	// Filters, paging and bad input.
	projects := boardID(t, e, "acme", "Projects")
	if got := titles(items(t, erin.get("/api/v1/tickets?board_id="+strconv.FormatInt(projects, 10)))); len(got) != 2 {
		t.Errorf("erin's Projects tickets: %v", got)
	}
	if got := titles(items(t, ada.get("/api/v1/tickets?status=in_progress&priority=high"))); !slices.Contains(got, "VPN drops every hour") || slices.Contains(got, "New laptop for CFO") {
		t.Errorf("in progress, high: %v", got)
	}
	if got := items(t, ada.get("/api/v1/tickets?assignee_id=unassigned")); len(got) == 0 {
		t.Errorf("no unassigned tickets")
	} else {
		for _, it := range got {
			if it["assignee"] != nil {
				t.Errorf("unassigned filter gave %v", it["assignee"])
			}
		}
	}
	seen := map[float64]bool{}
	next := ""
	for pages := 0; pages < 10; pages++ {
		path := "/api/v1/tickets?limit=5&sort=created"
		if next != "" {
			path += "&cursor=" + url.QueryEscape(next)
		}
		r := ada.get(path)
		for _, it := range items(t, r) {
			if seen[it["id"].(float64)] {
				t.Errorf("ticket %v twice", it["id"])
			}
			seen[it["id"].(float64)] = true
		}
		next, _ = r.json(t)["next_cursor"].(string)
		if next == "" {
			break
		}
	}
	if len(seen) != 14 {
		t.Errorf("ada pages through %d tickets, want 14", len(seen))
	}
	for _, sc := range []struct{ query, field string }{
		{"status=bogus", "status"},
		{"company_id=abc", "company_id"},
		{"board_id=-1", "board_id"},
		{"assignee_id=nobody", "assignee_id"},
		{"sort=title", "sort"},
		{"limit=0", "limit"},
		{"cursor=nope", "cursor"},
		{"open=maybe", "open"},
		{"q=" + strings.Repeat("x", 201), "q"},
	} {
		r := ada.get("/api/v1/tickets?" + sc.query)
		if r.status != 400 || errorFields(t, r)[sc.field] == nil {
			t.Errorf("?%s = %d %s", sc.query, r.status, r.body)
		}
	}
	// A filter on a field erin may not see is refused, not answered.
	if r := erin.get("/api/v1/tickets?priority=high"); r.status != 200 {
		t.Errorf("erin filters by priority she reads: %d", r.status)
	}

	// Who has no tickets, and what is outside the tenant.
	for _, who := range []string{"carol@globex.test", "gina@guest.test"} {
		c := e.client("acme.localhost").mustLogin(who, "demo-pass-1")
		for _, path := range []string{"/api/v1/tickets", ticketPath(vpn), "/api/v1/boards"} {
			if r := c.get(path); r.status != 403 {
				t.Errorf("%s GET %s = %d", who, path, r.status)
			}
		}
	}
	nw := ticketID(t, e, "Laptop battery swelling")
	for _, path := range []string{ticketPath(nw), ticketPath(nw, "/notes")} {
		if r := ada.get(path); r.status != 404 || r.errorCode() != "not_found" {
			t.Errorf("a Northwind ticket on acme: %s = %d", path, r.status)
		}
	}
	if r := ada.api("PATCH", ticketPath(nw), map[string]any{"title": "x"}); r.status != 404 {
		t.Errorf("PATCH a Northwind ticket on acme = %d", r.status)
	}
	internal := ticketID(t, e, "Rotate backup keys")
	if r := erin.get(ticketPath(internal)); r.status != 404 {
		t.Errorf("erin opens an Internal Ops ticket: %d", r.status)
	}
	for _, p := range []string{"/api/v1/tickets/05", "/api/v1/tickets/+5", "/api/v1/tickets/x"} {
		if r := ada.get(p); r.status != 404 {
			t.Errorf("GET %s = %d", p, r.status)
		}
	}

	// Own tickets only: oscar sees his ticket; off, all of Initech's.
	oscar := e.client("acme.localhost").mustLogin("oscar@initech.test", "demo-pass-1")
	if got := titles(items(t, oscar.get("/api/v1/tickets"))); !slices.Equal(got, []string{"Printer offline"}) {
		t.Errorf("oscar sees %v", got)
	}
	oscarURL := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "oscar@initech.test"), 10)
	if r := ada.api("PATCH", oscarURL, map[string]any{"own_tickets_only": false}); r.status != 200 {
		t.Fatalf("own tickets off: %d %s", r.status, r.body)
	}
	if got := items(t, oscar.get("/api/v1/tickets")); len(got) != 4 {
		t.Errorf("oscar, own tickets off, sees %v", titles(got))
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestTicketsAPIWrites: who may create, change, add notes and watchers,
// field by field, and what bad input gets.
func TestTicketsAPIWrites(t *testing.T) {
	e := newEnv(t, nil)
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	victor := e.client("acme.localhost").mustLogin("victor@globex.test", "demo-pass-1")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	vpn := ticketID(t, e, "VPN drops every hour")
	desk := boardID(t, e, "acme", "Service Desk")
	ops := boardID(t, e, "acme", "Internal Ops")
	globex := companyID(t, e, "acme", "Globex Corporation")
	initech := companyID(t, e, "acme", "Initech")

	for _, sc := range []struct {
		name   string
		c      *client
		method string
		path   string
		body   any
		status int
		field  string
	}{
		{"a viewer changes nothing", victor, "PATCH", ticketPath(vpn), map[string]any{"title": "x"}, 403, ""},
		{"a viewer opens nothing", victor, "POST", "/api/v1/tickets", map[string]any{"title": "x", "board_id": desk, "company_id": globex}, 403, ""},
		{"a viewer adds no note", victor, "POST", ticketPath(vpn, "/notes"), map[string]any{"type": "Discussion", "body": "x"}, 403, ""},
		{"priority is read-only for erin", erin, "PATCH", ticketPath(vpn), map[string]any{"priority": "urgent"}, 403, "priority"},
		{"time spent is hidden from erin", erin, "PATCH", ticketPath(vpn), map[string]any{"time_spent": 5}, 403, "time_spent"},
		{"erin moves nothing", erin, "PATCH", ticketPath(vpn), map[string]any{"board_id": ops}, 403, "board_id"},
		{"erin adds no internal note", erin, "POST", ticketPath(vpn, "/notes"), map[string]any{"type": "Internal", "body": "x"}, 403, "type"},
		{"erin adds no resolution", erin, "POST", ticketPath(vpn, "/notes"), map[string]any{"type_id": noteTypeID(t, e, "Resolution"), "body": "x"}, 403, "type"},
		{"an unknown note type", erin, "POST", ticketPath(vpn, "/notes"), map[string]any{"type": "Gossip", "body": "x"}, 400, "type"},
		{"an empty note", erin, "POST", ticketPath(vpn, "/notes"), map[string]any{"type": "Discussion", "body": "  "}, 400, "body"},
		{"erin opens for another company", erin, "POST", "/api/v1/tickets", map[string]any{"title": "x", "board_id": desk, "company_id": initech}, 403, "board_id"},
		{"erin opens on a board she does not see", erin, "POST", "/api/v1/tickets", map[string]any{"title": "x", "board_id": ops, "company_id": globex}, 403, "board_id"},
		{"erin sets a hidden field", erin, "POST", "/api/v1/tickets", map[string]any{"title": "x", "board_id": desk, "company_id": globex, "billing_code": "X"}, 403, "billing_code"},
		{"no board", ada, "POST", "/api/v1/tickets", map[string]any{"title": "x"}, 400, "board_id"},
		{"no title", ada, "POST", "/api/v1/tickets", map[string]any{"board_id": desk}, 400, "title"},
		{"a title too long", ada, "PATCH", ticketPath(vpn), map[string]any{"title": strings.Repeat("x", 201)}, 400, "title"},
		{"a null title", ada, "PATCH", ticketPath(vpn), map[string]any{"title": nil}, 400, "title"},
		{"a bad status", ada, "PATCH", ticketPath(vpn), map[string]any{"status": "done"}, 400, "status"},
		{"a bad date", ada, "PATCH", ticketPath(vpn), map[string]any{"due_on": "tomorrow"}, 400, "due_on"},
		{"a contact of another company", ada, "PATCH", ticketPath(vpn), map[string]any{"contact_id": userID(t, e, "acme", "oscar@initech.test")}, 400, "contact_id"},
		{"a client as assignee", ada, "PATCH", ticketPath(vpn), map[string]any{"assignee_id": userID(t, e, "acme", "erin@globex.test")}, 400, "assignee_id"},
		{"a custom field that does not exist", ada, "PATCH", ticketPath(vpn), map[string]any{"custom_fields": map[string]any{"999": "x"}}, 400, "custom_fields.999"},
		{"a custom field by name", ada, "PATCH", ticketPath(vpn), map[string]any{"custom_fields": map[string]any{"Site": "x"}}, 400, "custom_fields.Site"},
		{"an unknown key", ada, "PATCH", ticketPath(vpn), map[string]any{"titel": "x"}, 400, "titel"},
		{"an unknown key on create", ada, "POST", "/api/v1/tickets", map[string]any{"title": "x", "board_id": desk, "secret": 1}, 400, "secret"},
		{"a member as watcher", ada, "POST", ticketPath(vpn, "/watchers"), map[string]any{"user_id": userID(t, e, "acme", "ken@acme.test")}, 400, "user_id"},
		{"erin takes a watcher off a ticket she cannot see", erin, "DELETE", ticketPath(ticketID(t, e, "Printer offline"), "/watchers/1"), nil, 404, ""},
	} {
		t.Run(sc.name, func(t *testing.T) {
			r := sc.c.api(sc.method, sc.path, sc.body)
			if r.status != sc.status || (sc.field != "" && errorFields(t, r)[sc.field] == nil) {
				t.Errorf("%s %s = %d %s", sc.method, sc.path, r.status, r.body)
			}
		})
	}
	if r := ada.get(ticketPath(vpn)).json(t); r["title"] != "VPN drops every hour" || r["priority"] != "high" {
		t.Errorf("a refused change changed the ticket: %v", r)
	}

	// What erin may do, she does.
	r := erin.api("PATCH", ticketPath(vpn), map[string]any{"title": "VPN drops every hour, again", "due_on": "2030-01-31"})
	if r.status != 200 || r.json(t)["title"] != "VPN drops every hour, again" || r.json(t)["due_on"] != "2030-01-31" || strings.Contains(r.body, "time_spent") {
		t.Errorf("erin changes the title: %d %s", r.status, r.body)
	}
	r = erin.api("POST", ticketPath(vpn, "/notes"), map[string]any{"type": "discussion", "body": "Still dropping today."})
	if r.status != 201 || r.json(t)["type"] != "Discussion" || r.json(t)["body"] != "Still dropping today." {
		t.Errorf("erin adds a discussion note: %d %s", r.status, r.body)
	}
	r = erin.api("POST", "/api/v1/tickets", map[string]any{"title": "Printer jam", "description": "Third floor.", "board_id": desk, "company_id": globex, "priority": nil})
	if r.status != 400 {
		t.Errorf("a null priority: %d %s", r.status, r.body)
	}
	r = erin.api("POST", "/api/v1/tickets", map[string]any{"title": "Printer jam", "description": "Third floor.", "board_id": desk, "company_id": globex, "type": "incident"})
	created := r.json(t)
	if c, _ := created["contact"].(map[string]any); r.status != 201 || c == nil || c["id"] != float64(userID(t, e, "acme", "erin@globex.test")) || created["type"] != "incident" || created["status"] != "new" {
		t.Fatalf("erin opens a ticket: %d %s", r.status, r.body)
	}
	// On behalf of a colleague: victor becomes the contact.
	r = erin.api("POST", "/api/v1/tickets", map[string]any{"title": "Victor's screen", "board_id": desk, "company_id": globex, "contact_id": userID(t, e, "acme", "victor@globex.test")})
	if c, _ := r.json(t)["contact"].(map[string]any); r.status != 201 || c["name"] == nil || c["id"] != float64(userID(t, e, "acme", "victor@globex.test")) {
		t.Errorf("on behalf of victor: %d %s", r.status, r.body)
	}

	// Null clears; a member assigns and moves.
	ken := userID(t, e, "acme", "ken@acme.test")
	r = ada.api("PATCH", ticketPath(vpn), map[string]any{"assignee_id": nil, "due_on": nil, "contact_id": nil})
	if d := r.json(t); r.status != 200 || d["assignee"] != nil || d["due_on"] != nil || d["contact"] != nil {
		t.Errorf("null clears: %d %s", r.status, r.body)
	} else if _, ok := d["assignee"]; !ok {
		t.Errorf("a cleared assignee is absent, want null: %s", r.body)
	}
	r = ada.api("PATCH", ticketPath(vpn), map[string]any{"assignee_id": ken, "time_spent": 100, "billing_code": "GLX-2"})
	if d := r.json(t); r.status != 200 || d["time_spent"] != float64(100) || d["billing_code"] != "GLX-2" {
		t.Errorf("ada sets internal fields: %d %s", r.status, r.body)
	}
	if a, _ := r.json(t)["assignee"].(map[string]any); a["id"] != float64(ken) {
		t.Errorf("assignee: %v", r.json(t)["assignee"])
	}
	internalID := int64(created["id"].(float64))
	r = ada.api("PATCH", ticketPath(internalID), map[string]any{"board_id": ops, "company_id": nil})
	if r.status != 200 || !strings.Contains(r.body, `"company":null`) || r.json(t)["board"].(map[string]any)["name"] != "Internal Ops" {
		t.Errorf("ada moves a ticket to Internal Ops: %d %s", r.status, r.body)
	}
	if r := erin.get(ticketPath(internalID)); r.status != 404 {
		t.Errorf("erin still sees a ticket moved to Internal Ops: %d", r.status)
	}

	// Watchers: a colleague who sees the board; erin adds victor, he sees it.
	vid := userID(t, e, "acme", "victor@globex.test")
	laptop := ticketID(t, e, "New laptop for CFO")
	r = erin.api("POST", ticketPath(laptop, "/watchers"), map[string]any{"user_id": vid})
	if r.status != 201 || r.json(t)["id"] != float64(vid) || r.json(t)["name"] == nil {
		t.Errorf("erin adds victor: %d %s", r.status, r.body)
	}
	if r := ada.get(ticketPath(laptop)); !strings.Contains(jsonOf(r.json(t)["watchers"]), `"id":`+strconv.FormatInt(vid, 10)) {
		t.Errorf("watchers: %s", r.body)
	}
	if r := victor.api("DELETE", ticketPath(laptop, "/watchers/", strconv.FormatInt(vid, 10)), nil); r.status != 403 {
		t.Errorf("a viewer uses the edit route: %d", r.status)
	}
	if r := erin.api("DELETE", ticketPath(laptop, "/watchers/", strconv.FormatInt(vid, 10)), nil); r.status != 204 {
		t.Errorf("erin removes victor: %d %s", r.status, r.body)
	}
	if r := ada.get(ticketPath(laptop)); strings.Contains(jsonOf(r.json(t)["watchers"]), `"id":`+strconv.FormatInt(vid, 10)) {
		t.Errorf("victor still watches: %s", r.body)
	}

	// Sizes: the body limit answers before the handler.
	huge := map[string]any{"title": "x", "description": strings.Repeat("y", 1<<20+10)}
	if r := ada.api("PATCH", ticketPath(vpn), huge); r.status != 413 || r.errorCode() != "too_large" {
		t.Errorf("a body over 1 MB = %d %s", r.status, r.body)
	}
	if r := ada.do("PATCH", ticketPath(vpn), strings.NewReader(`{"title":"x"}`), "text/plain", map[string]string{"X-CSRF-Token": ada.csrf}); r.status != 415 {
		t.Errorf("not JSON = %d", r.status)
	}
	// Cookie writes need the CSRF token.
	csrf := ada.csrf
	ada.csrf = ""
	if r := ada.api("PATCH", ticketPath(vpn), map[string]any{"title": "x"}); r.status != 403 || r.errorCode() != "csrf" {
		t.Errorf("PATCH without CSRF = %d", r.status)
	}
	ada.csrf = csrf
}

func noteTypeID(t *testing.T, e *env, name string) int64 {
	return lookupID(t, e, "note_type", "acme", name)
}

// TestTicketsAPICanary: a billing code and an Internal note that erin may
// not read never reach any of her answers, by list, detail, notes or search.
func TestTicketsAPICanary(t *testing.T) {
	const canary = "CANARY-TK-7f3a"
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	r := ada.api("POST", "/api/v1/tickets", map[string]any{
		"title": "Canary ticket", "board_id": boardID(t, e, "acme", "Service Desk"),
		"company_id": companyID(t, e, "acme", "Globex Corporation"), "contact_id": userID(t, e, "acme", "erin@globex.test"),
		"billing_code": canary, "time_spent": 7,
	})
	if r.status != 201 || !strings.Contains(r.body, canary) {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := int64(r.json(t)["id"].(float64))
	if r := ada.api("POST", ticketPath(id, "/notes"), map[string]any{"type": "Internal", "body": "Internal: " + canary}); r.status != 201 {
		t.Fatalf("internal note: %d %s", r.status, r.body)
	}
	if r := ada.api("POST", ticketPath(id, "/notes"), map[string]any{"type": "Discussion", "body": "We are on it."}); r.status != 201 {
		t.Fatalf("discussion note: %d %s", r.status, r.body)
	}
	if got := titles(items(t, ada.get("/api/v1/tickets?q="+canary))); !slices.Equal(got, []string{"Canary ticket"}) {
		t.Errorf("ada searches the canary: %v", got)
	}
	for _, path := range []string{
		"/api/v1/tickets", ticketPath(id), ticketPath(id, "/notes"),
		"/api/v1/tickets?q=" + canary, "/api/v1/tickets?q=CANARY", "/api/v1/tickets?q=Canary",
	} {
		r := erin.get(path)
		if r.status != 200 || strings.Contains(r.body, canary) || strings.Contains(r.body, "time_spent") || strings.Contains(r.body, "billing_code") {
			t.Errorf("erin GET %s = %d %s", path, r.status, r.body)
		}
	}
	if got := items(t, erin.get("/api/v1/tickets?q="+canary)); len(got) != 0 {
		t.Errorf("erin finds the canary: %v", titles(got))
	}
	if notes := items(t, erin.get(ticketPath(id, "/notes"))); len(notes) != 1 {
		t.Errorf("erin reads %d notes", len(notes))
	}
}

func auditCount(t *testing.T, e *env, id int64) int {
	t.Helper()
	var n int
	if err := e.db.R.QueryRowContext(context.Background(),
		"SELECT COUNT(*) FROM audit_log WHERE object_type = 'ticket' AND object_id = ? AND action LIKE 'ticket.%'", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTicketsUpsert: a PSA's sync by external ID creates once (201), then
// answers 200; the same body again changes nothing and records nothing.
func TestTicketsUpsert(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	body := map[string]any{
		"title": "Synced from the PSA", "description": "From ConnectWise.", "board_id": boardID(t, e, "acme", "Service Desk"),
		"company_id": companyID(t, e, "acme", "Globex Corporation"), "priority": "high", "status": "open",
		"assignee_id": userID(t, e, "acme", "ken@acme.test"), "due_on": "2030-05-01", "time_spent": 30, "billing_code": "CW-1",
	}
	path := "/api/v1/tickets/by-external-id/CW%2F4711"
	first := ada.api("PUT", path, body)
	if first.status != 201 || first.json(t)["external_id"] != "CW/4711" {
		t.Fatalf("first upsert: %d %s", first.status, first.body)
	}
	id := int64(first.json(t)["id"].(float64))
	records := auditCount(t, e, id)
	second := ada.api("PUT", path, body)
	if second.status != 200 || second.json(t)["id"] != first.json(t)["id"] || second.json(t)["updated_at"] != first.json(t)["updated_at"] {
		t.Errorf("second upsert: %d %s\nfirst: %s", second.status, second.body, first.body)
	}
	if n := auditCount(t, e, id); n != records {
		t.Errorf("the same body again recorded %d more", n-records)
	}
	body["title"] = "Synced from the PSA, renamed"
	third := ada.api("PUT", path, body)
	if third.status != 200 || third.json(t)["title"] != "Synced from the PSA, renamed" || third.json(t)["updated_at"] == first.json(t)["updated_at"] {
		t.Errorf("a changed body: %d %s", third.status, third.body)
	}
	if n := auditCount(t, e, id); n != records+1 {
		t.Errorf("a change recorded %d", n-records)
	}
	// The body may repeat the address's external ID, not contradict it.
	body["external_id"] = "CW/4711"
	if r := ada.api("PUT", path, body); r.status != 200 {
		t.Errorf("the same external ID in the body: %d %s", r.status, r.body)
	}
	body["external_id"] = "CW/4712"
	if r := ada.api("PUT", path, body); r.status != 400 || errorFields(t, r)["external_id"] == nil {
		t.Errorf("another external ID in the body: %d %s", r.status, r.body)
	}
	delete(body, "external_id")
	// Another ticket cannot take the same external ID.
	if r := ada.api("PATCH", ticketPath(ticketID(t, e, "VPN drops every hour")), map[string]any{"external_id": "CW/4711"}); r.status != 409 {
		t.Errorf("a second ticket with the external ID: %d %s", r.status, r.body)
	}
	// External users have no upsert: the external ID is the sync's.
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	if r := erin.api("PUT", "/api/v1/tickets/by-external-id/erin-1", map[string]any{"title": "x", "board_id": body["board_id"], "company_id": body["company_id"]}); r.status != 403 {
		t.Errorf("erin upserts: %d %s", r.status, r.body)
	}
	if r := ada.api("PUT", "/api/v1/tickets/by-external-id/"+strings.Repeat("x", 121), body); r.status != 400 {
		t.Errorf("an overlong external ID: %d %s", r.status, r.body)
	}
}

// TestTicketsAPITokens: an integration token with tickets:write reads and
// writes tickets; one without is refused by scope; a personal token sees
// what its user sees and dies with its user.
func TestTicketsAPITokens(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	withTickets := e.bearer("acme.localhost", makeToken(t, alan, "/settings/integrations", url.Values{"name": {"PSA"}, "scopes": {"tickets:write"}}))
	withoutTickets := e.bearer("acme.localhost", makeToken(t, alan, "/settings/integrations", url.Values{"name": {"CRM"}, "scopes": {"companies:write"}}))
	desk := boardID(t, e, "acme", "Service Desk")
	globex := companyID(t, e, "acme", "Globex Corporation")
	vpn := ticketID(t, e, "VPN drops every hour")
	newTicket := map[string]any{"title": "From the PSA", "board_id": desk, "company_id": globex}

	if got := items(t, withTickets.get("/api/v1/tickets")); len(got) != 14 {
		t.Errorf("the tickets token lists %d", len(got))
	}
	if r := withTickets.api("POST", "/api/v1/tickets", newTicket); r.status != 201 {
		t.Errorf("the tickets token creates: %d %s", r.status, r.body)
	}
	if r := withTickets.api("PUT", "/api/v1/tickets/by-external-id/AT-1", newTicket); r.status != 201 {
		t.Errorf("the tickets token upserts: %d %s", r.status, r.body)
	}
	for _, sc := range []struct{ method, path string }{
		{"PATCH", ticketPath(vpn)}, {"POST", ticketPath(vpn, "/notes")}, {"GET", ticketPath(vpn, "/notes")}, {"GET", "/api/v1/boards"},
	} {
		var body any
		switch sc.method {
		case "PATCH":
			body = map[string]any{"status": "waiting"}
		case "POST":
			body = map[string]any{"type": "Discussion", "body": "From the PSA."}
		}
		if r := withTickets.api(sc.method, sc.path, body); r.status/100 != 2 {
			t.Errorf("the tickets token %s %s = %d %s", sc.method, sc.path, r.status, r.body)
		}
	}
	for _, sc := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/tickets", nil},
		{"GET", ticketPath(vpn), nil},
		{"POST", "/api/v1/tickets", newTicket},
		{"PUT", "/api/v1/tickets/by-external-id/AT-2", newTicket},
		{"GET", "/api/v1/boards", nil},
	} {
		if r := withoutTickets.api(sc.method, sc.path, sc.body); r.status != 403 || r.errorCode() != "token_scope" {
			t.Errorf("the companies token %s %s = %d %s", sc.method, sc.path, r.status, r.body)
		}
	}

	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	tok := e.bearer("acme.localhost", makeToken(t, erin, "/account/tokens", url.Values{"name": {"my script"}}))
	list := items(t, tok.get("/api/v1/tickets"))
	// The 6 Globex tickets of the demo and the 2 the PSA just opened.
	if len(list) != 8 || strings.Contains(jsonOf(list), "time_spent") || strings.Contains(jsonOf(list), "Initech") {
		t.Errorf("erin's token sees %v", titles(list))
	}
	if r := tok.api("PATCH", ticketPath(vpn), map[string]any{"priority": "low"}); r.status != 403 {
		t.Errorf("erin's token changes the priority: %d", r.status)
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	if r := ada.api("PATCH", "/api/v1/users/"+strconv.FormatInt(userID(t, e, "acme", "erin@globex.test"), 10), map[string]any{"status": "deactivated"}); r.status != 200 {
		t.Fatalf("deactivate erin: %d %s", r.status, r.body)
	}
	if r := tok.get("/api/v1/tickets"); r.status != 401 {
		t.Errorf("a deactivated user's token lists tickets: %d", r.status)
	}
}

// TestBoardsAPI: each caller gets the boards it may see; who may see a
// board only those who manage ticket settings.
func TestBoardsAPI(t *testing.T) {
	e := newEnv(t, nil)
	names := func(list []map[string]any) []string {
		var out []string
		for _, it := range list {
			out = append(out, it["name"].(string))
		}
		return out
	}
	ops := boardID(t, e, "acme", "Internal Ops")
	projects := boardID(t, e, "acme", "Projects")
	for _, sc := range []struct {
		who    string
		boards []string
		rules  bool
	}{
		{"ada@acme.test", []string{"Service Desk", "Projects", "Internal Ops"}, true},
		{"ken@acme.test", []string{"Service Desk", "Projects", "Internal Ops"}, false},
		{"erin@globex.test", []string{"Service Desk", "Projects"}, false},
		{"victor@globex.test", []string{"Service Desk", "Projects"}, false},
		{"oscar@initech.test", []string{"Service Desk"}, false},
	} {
		c := e.client("acme.localhost").mustLogin(sc.who, "demo-pass-1")
		r := c.get("/api/v1/boards")
		list := items(t, r)
		if got := names(list); !slices.Equal(got, sc.boards) {
			t.Errorf("%s sees boards %v", sc.who, got)
		}
		if strings.Contains(r.body, `"kinds"`) != sc.rules || strings.Contains(r.body, `"company_ids"`) != sc.rules {
			t.Errorf("%s: %s", sc.who, r.body)
		}
		one := c.get("/api/v1/boards/" + strconv.FormatInt(projects, 10))
		if want := slices.Contains(sc.boards, "Projects"); (one.status == 200) != want {
			t.Errorf("%s GET Projects = %d", sc.who, one.status)
		}
		if r := c.get("/api/v1/boards/" + strconv.FormatInt(ops, 10)); (r.status == 200) != slices.Contains(sc.boards, "Internal Ops") || (r.status != 200 && r.status != 404) {
			t.Errorf("%s GET Internal Ops = %d", sc.who, r.status)
		}
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	r := ada.get("/api/v1/boards/" + strconv.FormatInt(projects, 10)).json(t)
	if r["all_companies"] != false || jsonOf(r["company_ids"]) != "["+strconv.FormatInt(companyID(t, e, "acme", "Globex Corporation"), 10)+"]" ||
		!strings.Contains(jsonOf(r["kinds"]), "external_editor") {
		t.Errorf("Projects for ada: %v", r)
	}
	if r := ada.get("/api/v1/boards/" + strconv.FormatInt(ops, 10)).json(t); jsonOf(r["kinds"]) != "[]" {
		t.Errorf("Internal Ops kinds: %v", r["kinds"])
	}
	if r := ada.get("/api/v1/boards/" + strconv.FormatInt(boardID(t, e, "northwind", "Service Desk"), 10)); r.status != 404 {
		t.Errorf("a Northwind board on acme: %d", r.status)
	}
}

// TestTicketsAPICustomFields: custom fields by ID, each shown and changed
// as its access says; a hidden one is absent from the answer and from search.
func TestTicketsAPICustomFields(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	acme := e.db.Tenant(tenantID(t, e, "acme"))
	by := tickets.By{Actor: policy.Operator(acme.TenantID())}
	site, err := tickets.AddCustomField(ctx, acme, by, tickets.CustomFieldInput{Name: "Site", Kind: tickets.FieldText})
	if err != nil {
		t.Fatal(err)
	}
	contract, err := tickets.AddCustomField(ctx, acme, by, tickets.CustomFieldInput{Name: "Contract", Kind: tickets.FieldChoice, Choices: []string{"Gold", "Silver"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tickets.SaveFieldAccess(ctx, acme, by, map[policy.TicketField]map[policy.Kind]policy.Access{site.Key(): {policy.ExternalEditor: policy.Read}}); err != nil {
		t.Fatal(err)
	}
	siteKey, contractKey := strconv.FormatInt(site.ID, 10), strconv.FormatInt(contract.ID, 10)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	vpn := ticketPath(ticketID(t, e, "VPN drops every hour"))

	r := ada.api("PATCH", vpn, map[string]any{"custom_fields": map[string]any{siteKey: "Berlin office", contractKey: "Gold"}})
	if r.status != 200 || !strings.Contains(r.body, `"name":"Site","kind":"text","value":"Berlin office"`) || !strings.Contains(r.body, `"value":"Gold"`) {
		t.Fatalf("ada sets custom fields: %d %s", r.status, r.body)
	}
	if r := ada.api("PATCH", vpn, map[string]any{"custom_fields": map[string]any{contractKey: "Bronze"}}); r.status != 400 || errorFields(t, r)["custom_fields."+contractKey] == nil {
		t.Errorf("a choice not offered: %d %s", r.status, r.body)
	}
	d := erin.get(vpn)
	if d.status != 200 || !strings.Contains(d.body, "Berlin office") || strings.Contains(d.body, "Gold") || strings.Contains(d.body, "Contract") {
		t.Errorf("erin's custom fields: %d %s", d.status, d.body)
	}
	if can := jsonOf(d.json(t)["can"]); !strings.Contains(can, `"edit_custom_fields":[]`) {
		t.Errorf("erin may edit custom fields: %s", can)
	}
	if r := erin.api("PATCH", vpn, map[string]any{"custom_fields": map[string]any{siteKey: "Paris"}}); r.status != 403 || errorFields(t, r)["custom_fields."+siteKey] == nil {
		t.Errorf("erin changes a read-only custom field: %d %s", r.status, r.body)
	}
	if got := items(t, erin.get("/api/v1/tickets?q=Gold")); len(got) != 0 {
		t.Errorf("erin finds by a hidden custom field: %v", titles(got))
	}
	if got := titles(items(t, erin.get("/api/v1/tickets?q=Berlin"))); !slices.Equal(got, []string{"VPN drops every hour"}) {
		t.Errorf("erin searches a custom field she reads: %v", got)
	}
	if got := titles(items(t, ada.get("/api/v1/tickets?q=Gold"))); !slices.Equal(got, []string{"VPN drops every hour"}) {
		t.Errorf("ada searches a custom field: %v", got)
	}
	if r := ada.api("PATCH", vpn, map[string]any{"custom_fields": map[string]any{siteKey: nil}}); r.status != 200 || !strings.Contains(r.body, `"name":"Site","kind":"text","value":null`) {
		t.Errorf("null clears a custom field: %d %s", r.status, r.body)
	}
}

// TestTicketsAPILongestText: the longest description a ticket takes is
// accepted even when every character is sent as a \uXXXX escape.
func TestTicketsAPILongestText(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	body := fmt.Sprintf(`{"title":"Long","board_id":%d,"company_id":%d,"description":"%s"}`,
		boardID(t, e, "acme", "Service Desk"), lookupID(t, e, "company", "acme", "Globex Corporation"), strings.Repeat(`\u00e9`, 20000))
	r := ada.api("POST", "/api/v1/tickets", json.RawMessage(body))
	if r.status != 201 {
		t.Fatalf("20,000 escaped characters: %d %.200s", r.status, r.body)
	}
	if d, _ := r.json(t)["description"].(string); utf8.RuneCountInString(d) != 20000 {
		t.Errorf("description kept %d characters", utf8.RuneCountInString(d))
	}
}
