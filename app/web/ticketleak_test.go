package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tickets"
)

// TestTicketCanariesInEveryFormat puts a canary string in everything an
// external user must not see — a field hidden from their kind (billing
// code, a custom field, the external ID), an Internal note, a ticket on a
// members-only board and one of another company — and then reads every
// format each demo user can ask for: the list page, its htmx fragment and
// search, the ticket pages, the new-ticket form, the CSV export, the JSON
// list, search, ticket and notes, and the emails they were sent. None may
// hold a canary; ada, who may see them all, must find each, so the test
// cannot pass by reading nothing.
func TestTicketCanariesInEveryFormat(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	acme, err := e.tenants.BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	db := e.db.Tenant(acme.ID)
	field, err := tickets.AddCustomField(ctx, db, tickets.By{Actor: policy.Operator(acme.ID), Who: audit.Who{}},
		tickets.CustomFieldInput{Name: "Contract", Kind: tickets.FieldText})
	if err != nil {
		t.Fatal(err)
	}
	globex := companyID(t, e, "acme", "Globex Corporation")
	initech := companyID(t, e, "acme", "Initech")
	desk := boardID(t, e, "acme", "Service Desk")
	internal := boardID(t, e, "acme", "Internal Ops")
	erinID := userID(t, e, "acme", "erin@globex.test")
	const (
		billing  = "CANARYbill4d1"
		custom   = "CANARYcustom9e2"
		external = "CANARYext7c3"
		note     = "CANARYnote5b8"
		board    = "CANARYboard2a6"
		company  = "CANARYcompany8f0"
	)
	canaries := []string{billing, custom, external, note, board, company}
	// Erin's own ticket, with what she must not see of it.
	r := ada.api("PUT", "/api/v1/tickets/by-external-id/"+external, map[string]any{
		"title": "Canary: shared ticket", "board_id": desk, "company_id": globex, "contact_id": erinID,
		"billing_code": billing, "custom_fields": map[string]any{strconv.FormatInt(field.ID, 10): custom},
	})
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	shared := int64(r.json(t)["id"].(float64))
	if r := ada.api("POST", ticketPath(shared, "/notes"), map[string]any{"type": "Internal", "body": "Internal " + note}); r.status != 201 {
		t.Fatalf("internal note: %d %s", r.status, r.body)
	}
	// A Discussion note emails erin, the contact: the email must not carry the rest.
	if r := ada.api("POST", ticketPath(shared, "/notes"), map[string]any{"type": "Discussion", "body": "We are on it."}); r.status != 201 {
		t.Fatalf("discussion note: %d %s", r.status, r.body)
	}
	// Tickets nobody outside may see at all.
	hidden := map[string]int64{}
	for name, body := range map[string]map[string]any{
		board:   {"title": "Canary " + board, "board_id": internal},
		company: {"title": "Canary " + company, "board_id": desk, "company_id": initech},
	} {
		r := ada.api("POST", "/api/v1/tickets", body)
		if r.status != 201 {
			t.Fatalf("create %s: %d %s", name, r.status, r.body)
		}
		hidden[name] = int64(r.json(t)["id"].(float64))
	}

	// Searches ask for the start of a canary (the last word of a search is
	// a prefix): the page may echo what was asked, but the whole canary
	// appears only if a ticket that holds it was found.
	prefix := func(c string) string { return url.QueryEscape(c[:len(c)-3]) }
	// ada finds each canary: the reads below would see them if they leaked.
	for _, c := range canaries {
		if got := items(t, ada.get("/api/v1/tickets?q="+prefix(c))); len(got) != 1 {
			t.Errorf("ada's search for %s found %d tickets", c, len(got))
		}
	}
	if r := ada.get("/tickets/" + strconv.FormatInt(shared, 10)); !strings.Contains(r.body, billing) || !strings.Contains(r.body, custom) || !strings.Contains(r.body, note) {
		t.Errorf("ada's ticket page lacks what she may see")
	}

	reads := 0
	for _, email := range []string{"erin@globex.test", "victor@globex.test", "oscar@initech.test", "tess@acme.test", "carol@globex.test", "gina@guest.test"} {
		u := e.client("acme.localhost").mustLogin(email, "demo-pass-1")
		paths := []string{"/tickets", "/tickets.csv", "/tickets/new", "/api/v1/tickets", "/api/v1/boards"}
		for _, c := range canaries {
			paths = append(paths, "/tickets?q="+prefix(c), "/api/v1/tickets?q="+prefix(c))
		}
		for _, id := range []int64{shared, hidden[board], hidden[company]} {
			paths = append(paths, "/tickets/"+strconv.FormatInt(id, 10), ticketPath(id), ticketPath(id, "/notes"))
		}
		for _, p := range paths {
			for _, r := range []response{u.get(p), u.htmx("GET", p, nil)} {
				reads++
				for _, c := range canaries {
					if strings.Contains(r.body, c) {
						t.Errorf("%s GET %s (%d) holds %s", email, p, r.status, c)
					}
				}
			}
		}
	}
	var mails []struct {
		To, Subject, Text, HTML string
	}
	rows, err := e.db.R.QueryContext(ctx, "SELECT to_address, subject, text_body, html_body FROM outbox WHERE kind = 'ticket'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m struct{ To, Subject, Text, HTML string }
		if err := rows.Scan(&m.To, &m.Subject, &m.Text, &m.HTML); err != nil {
			t.Fatal(err)
		}
		mails = append(mails, m)
	}
	rows.Close()
	if len(mails) == 0 {
		t.Fatal("no ticket email was sent: the email check would pass by reading nothing")
	}
	for _, m := range mails {
		for _, c := range canaries {
			if strings.Contains(m.Subject+m.Text+m.HTML, c) {
				t.Errorf("email to %s holds %s", m.To, c)
			}
		}
	}
	t.Log(fmt.Sprintf("%d responses and %d emails read", reads, len(mails)))
}
