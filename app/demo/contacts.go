package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/contacts"
	"github.com/atrium-portal/atrium/app/store"
)

// The demo's company contacts: each company's address book, some of them
// linked to the portal user who is that person. They are seeded as rows,
// without audit records, like the rest of the demo.

type contactSeed struct {
	company, name, title, email, phone, notes, user string
}

var acmeContacts = []contactSeed{
	{company: "Globex Corporation", name: "Erin Editor", title: "Office manager", email: "erin@globex.test", phone: "+1 555 0142", user: "erin@globex.test",
		notes: "Main contact for day-to-day requests."},
	{company: "Globex Corporation", name: "Priya Shah", title: "Chief financial officer", email: "priya.shah@globex.test", phone: "+1 555 0107",
		notes: "Approves hardware purchases above $2,000."},
	{company: "Globex Corporation", name: "Marcus Webb", title: "Facilities lead", phone: "+1 555 0190",
		notes: "Call for building access and the server room key."},
	{company: "Initech", name: "Oscar Own-Tickets", title: "IT coordinator", email: "oscar@initech.test", user: "oscar@initech.test"},
	{company: "Initech", name: "Joanna Park", title: "Operations director", email: "joanna.park@initech.test", phone: "+1 555 0173"},
	{company: "Umbrella Health", name: "Dr. Alice Moreau", title: "Practice manager", email: "alice.moreau@umbrella.test"},
}

// seedContacts adds each missing contact, found by company and name.
func seedContacts(ctx context.Context, tx *store.Scoped, seeds []contactSeed, companies, users map[string]int64) error {
	now := time.Now().UTC()
	for _, s := range seeds {
		companyID, ok := companies[s.company]
		if !ok {
			return fmt.Errorf("contact %s: no company %s", s.name, s.company)
		}
		r := &contacts.Row{CompanyID: companyID, Name: s.name, Title: s.title, Email: s.email, Phone: s.phone, Notes: s.notes,
			CreatedAt: now, UpdatedAt: now}
		if s.user != "" {
			id, ok := users[s.user]
			if !ok {
				return fmt.Errorf("contact %s: no user %s", s.name, s.user)
			}
			r.UserID = &id
		}
		if err := ensure(ctx, tx, r, "company_id = ? AND name = ?", companyID, s.name); err != nil {
			return fmt.Errorf("contact %s: %w", s.name, err)
		}
	}
	return nil
}
