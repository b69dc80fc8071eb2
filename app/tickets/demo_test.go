package tickets_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/tickets"
)

// The visibility matrix of SPEC §15: every demo user's ticket list, the
// fields and notes of what they see, and their search results.

var globex = []string{
	"Migrate file shares to SharePoint", "New laptop for CFO", "Onboard two sales hires",
	"Phishing test results", "Quarterly firewall review", "VPN drops every hour",
}

var initech = []string{"Guest Wi-Fi for the lobby", "Printer offline", "Renew the initech.example domain", "Replace the UPS battery"}

func seedDemo(t *testing.T) (*store.Scoped, func(email string) (*people.User, policy.Actor)) {
	t.Helper()
	ctx := context.Background()
	d := storetest.New(t)
	if err := demo.Seed(ctx, d.DB, tenant.NewStore(d.DB)); err != nil {
		t.Fatal(err)
	}
	acme, err := tenant.NewStore(d.DB).BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	db := d.DB.Tenant(acme.ID)
	return db, func(email string) (*people.User, policy.Actor) {
		u, err := people.UserByEmail(ctx, db, email)
		if err != nil {
			t.Fatal(err)
		}
		return u, u.Actor()
	}
}

// globexOf is the demo's Globex company, found as ada finds its VPN ticket.
func globexOf(t *testing.T, db *store.Scoped, cfg *tickets.Config, ada policy.Actor) int64 {
	t.Helper()
	vs, _, err := tickets.List(context.Background(), db, ada, cfg, tickets.Query{Q: "VPN drops"}, store.Page{})
	if err != nil || len(vs) == 0 {
		t.Fatalf("the demo's VPN ticket: %v", err)
	}
	return vs[0].Company.ID
}

func titles(t *testing.T, db *store.Scoped, a policy.Actor, q tickets.Query) ([]string, []tickets.View) {
	t.Helper()
	cfg, err := tickets.LoadConfig(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	vs, next, err := tickets.List(context.Background(), db, a, cfg, q, store.Page{Limit: 200})
	if err != nil || next != "" {
		t.Fatalf("list: %v %q", err, next)
	}
	var out []string
	for _, v := range vs {
		out = append(out, v.Title)
	}
	slices.Sort(out)
	return out, vs
}

func TestDemoVisibility(t *testing.T) {
	ctx := context.Background()
	db, user := seedDemo(t)
	cfg, err := tickets.LoadConfig(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	all := append(append(append([]string{}, globex...), initech...),
		"Badge reader firmware update", "Clinic workstations are slow", "Renew wildcard certificate", "Rotate backup keys")
	slices.Sort(all)
	for _, tc := range []struct {
		email string
		want  []string
		// hidden fields: never in a view; notes: the types read on the VPN ticket.
		hidden []policy.TicketField
		notes  []string
		isp    bool // a search for "ISP" finds the VPN ticket
	}{
		{"ada@acme.test", all, nil, []string{"Discussion", "Internal", "Discussion", "Resolution"}, true},
		{"ken@acme.test", all, nil, []string{"Discussion", "Internal", "Discussion", "Resolution"}, true},
		{"erin@globex.test", globex, []policy.TicketField{policy.FieldTimeSpent, policy.FieldBillingCode, policy.FieldExternalID}, []string{"Discussion", "Discussion", "Resolution"}, false},
		{"victor@globex.test", globex, []policy.TicketField{policy.FieldTimeSpent, policy.FieldBillingCode, policy.FieldExternalID}, []string{"Discussion", "Discussion", "Resolution"}, false},
		{"oscar@initech.test", []string{"Printer offline"}, []policy.TicketField{policy.FieldTimeSpent, policy.FieldBillingCode}, nil, false},
		{"tess@acme.test", nil, nil, nil, false},
		{"carol@globex.test", nil, nil, nil, false},
		{"gina@guest.test", nil, nil, nil, false},
	} {
		t.Run(tc.email, func(t *testing.T) {
			_, a := user(tc.email)
			got, vs := titles(t, db, a, tickets.Query{})
			if !slices.Equal(got, tc.want) {
				t.Errorf("tickets:\n got %q\nwant %q", got, tc.want)
			}
			for _, v := range vs {
				for _, f := range tc.hidden {
					if v.Shows(f) {
						t.Errorf("%s shows %s", v.Title, f)
					}
				}
				if v.TimeSpent != 0 && slices.Contains(tc.hidden, policy.FieldTimeSpent) || v.BillingCode != "" && slices.Contains(tc.hidden, policy.FieldBillingCode) {
					t.Errorf("%s carries a hidden value: %+v", v.Title, v)
				}
				if a.Kind == policy.ExternalEditor && v.Edits(policy.FieldPriority) {
					t.Errorf("%s: priority is read-only for external editors", v.Title)
				}
				if a.Kind == policy.ExternalViewer {
					for _, f := range cfg.Fields() {
						if v.Edits(f) {
							t.Errorf("%s: a viewer edits %s", v.Title, f)
						}
					}
				}
				if v.Title != "VPN drops every hour" {
					continue
				}
				d, err := tickets.GetDetail(ctx, db, a, cfg, v.ID)
				if err != nil {
					t.Fatal(err)
				}
				var types []string
				for _, n := range d.Notes {
					types = append(types, n.Type.Name)
				}
				if !slices.Equal(types, tc.notes) {
					t.Errorf("VPN notes: %q, want %q", types, tc.notes)
				}
				if text := fmt.Sprintf("%+v", *d); strings.Contains(text, "Suspect ISP") != (tc.isp) {
					t.Errorf("VPN ticket page holds the Internal note: %v", !tc.isp)
				}
				if a.Kind == policy.ExternalViewer && (len(d.NoteTypes) > 0 || d.CanAddWatchers || d.Editable() || d.CanMove) {
					t.Errorf("victor may change something: %+v", d.NoteTypes)
				}
				if a.Kind == policy.ExternalEditor {
					var names []string
					for _, nt := range d.NoteTypes {
						names = append(names, nt.Name)
					}
					if !slices.Equal(names, []string{"Discussion"}) {
						t.Errorf("erin may add %q", names)
					}
				}
			}
			found, _ := titles(t, db, a, tickets.Query{Q: "ISP"})
			if want := tc.isp; (len(found) == 1 && found[0] == "VPN drops every hour") != want || (!want && len(found) > 0) {
				t.Errorf("search ISP found %q", found)
			}
		})
	}
}

// TestOwnTicketsOnly: oscar sees his own ticket; with own-tickets-only off,
// all four Initech tickets; as a watcher, the watched one too.
func TestOwnTicketsOnly(t *testing.T) {
	ctx := context.Background()
	db, user := seedDemo(t)
	u, a := user("oscar@initech.test")
	if got, _ := titles(t, db, a, tickets.Query{}); !slices.Equal(got, []string{"Printer offline"}) {
		t.Fatalf("own only: %q", got)
	}
	_, ken := user("ken@acme.test")
	_, vs := titles(t, db, ken, tickets.Query{Q: "UPS battery"})
	if len(vs) != 1 {
		t.Fatalf("ken's search for the UPS ticket: %d", len(vs))
	}
	if err := tickets.AddWatcher(ctx, db, tickets.By{Actor: ken}, vs[0].ID, u.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := titles(t, db, a, tickets.Query{}); !slices.Equal(got, []string{"Printer offline", "Replace the UPS battery"}) {
		t.Errorf("as a watcher: %q", got)
	}
	a.OwnTicketsOnly = false
	if got, _ := titles(t, db, a, tickets.Query{}); !slices.Equal(got, initech) {
		t.Errorf("own only off: %q", got)
	}
	// erin is not of Initech: she may not watch its tickets.
	erin, _ := user("erin@globex.test")
	if err := tickets.AddWatcher(ctx, db, tickets.By{Actor: ken}, vs[0].ID, erin.ID); err == nil {
		t.Error("erin added as a watcher of an Initech ticket")
	}
}

// TestDemoEmails: ken's Internal note on erin's VPN ticket emails nobody;
// his Discussion note emails erin, under her name for the module, with a
// link on the tenant's primary host; a status change reaches her too, and
// nothing once she turns ticket emails off.
func TestDemoEmails(t *testing.T) {
	ctx := context.Background()
	db, user := seedDemo(t)
	_, ken := user("ken@acme.test")
	erin, _ := user("erin@globex.test")
	cfg, err := tickets.LoadConfig(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	_, vs := titles(t, db, ken, tickets.Query{Q: "VPN drops"})
	if len(vs) != 1 {
		t.Fatalf("VPN ticket: %d", len(vs))
	}
	vpn := vs[0].ID
	tn := &tenant.Tenant{ID: db.TenantID(), AppName: "Acme Portal", PrimaryColor: "#0F766E"}
	by := tickets.By{Actor: ken, Mail: &tickets.Mail{Tenant: tn, Base: "https://acme.example"}}
	types := map[string]int64{}
	for _, nt := range cfg.NoteTypes {
		types[nt.Name] = nt.ID
	}
	outbox := func() []mail.Message {
		var ms []mail.Message
		if err := db.Select(&ms).Where("ob.kind = ?", mail.KindTicket).OrderExpr("ob.id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		return ms
	}
	if _, err := tickets.AddNote(ctx, db, by, vpn, types["Internal"], "Still the ISP, CANARY-INT-1"); err != nil {
		t.Fatal(err)
	}
	if ms := outbox(); len(ms) != 0 {
		t.Fatalf("an Internal note was emailed: %+v", ms)
	}
	if _, err := tickets.AddNote(ctx, db, by, vpn, types["Discussion"], "We replaced the router."); err != nil {
		t.Fatal(err)
	}
	ms := outbox()
	if len(ms) != 1 || ms[0].ToAddress != erin.Email {
		t.Fatalf("discussion note emails: %+v", ms)
	}
	m := ms[0]
	link := fmt.Sprintf("https://acme.example/tickets/%d", vpn)
	if !strings.HasPrefix(m.Subject, "Support #1: new Discussion note") || !strings.Contains(m.TextBody, "We replaced the router.") ||
		!strings.Contains(m.TextBody, link) || !strings.Contains(m.HTMLBody, link) || strings.Contains(m.TextBody+m.HTMLBody, "CANARY-INT-1") {
		t.Errorf("email: %q\n%s", m.Subject, m.TextBody)
	}
	resolved := tickets.StatusResolved
	if _, err := tickets.Update(ctx, db, by, vpn, tickets.Fields{Status: &resolved}); err != nil {
		t.Fatal(err)
	}
	if ms := outbox(); len(ms) != 2 || !strings.Contains(ms[1].Subject, "is now Resolved") {
		t.Fatalf("status email: %+v", ms[len(ms)-1].Subject)
	}
	if _, err := db.Update((*people.User)(nil)).Set("ticket_emails = ?", false).Where("id = ?", erin.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := tickets.AddNote(ctx, db, by, vpn, types["Discussion"], "One more thing."); err != nil {
		t.Fatal(err)
	}
	if ms := outbox(); len(ms) != 2 {
		t.Errorf("emails after turning them off: %d", len(ms))
	}
}
