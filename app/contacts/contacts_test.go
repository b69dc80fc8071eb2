package contacts_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/contacts"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/valid"
)

// fixture: two companies, a member, an external editor and viewer of
// Globex with the contacts module, an external editor of Initech without it.
type fixture struct {
	ctx                       context.Context
	sdb                       *storetest.DB
	db                        *store.Scoped
	globex, initech           int64
	ada, erin, victor, oscar  policy.Actor
	erinID, victorID, oscarID int64
	byAda, byErin, byVictor   contacts.By
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	sdb := storetest.New(t)
	f := &fixture{ctx: context.Background(), db: sdb.Acme, sdb: sdb}
	company := func(name string) int64 {
		c := &people.Company{Name: name, CreatedAt: time.Now()}
		if _, err := f.db.Insert(c).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	f.globex, f.initech = company("Globex"), company("Initech")
	user := func(email string, kind policy.Kind, companyID int64, contactsShown bool) policy.Actor {
		u, err := people.CreateUser(f.ctx, f.db, people.NewUser{Email: email, Name: strings.Split(email, "@")[0], Kind: kind, Status: people.Active})
		if err != nil {
			t.Fatal(err)
		}
		if companyID != 0 {
			if _, err := f.db.Insert(&people.UserCompany{UserID: u.ID, CompanyID: companyID}).Exec(f.ctx); err != nil {
				t.Fatal(err)
			}
			page := policy.PageTickets
			if contactsShown {
				page = policy.PageContacts
			}
			if _, err := f.db.Insert(&people.UserModule{UserID: u.ID, Page: page, Show: true}).Exec(f.ctx); err != nil {
				t.Fatal(err)
			}
		}
		u, err = people.UserByID(f.ctx, f.db, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	f.ada = user("ada@acme.test", policy.Member, 0, false)
	f.erin = user("erin@globex.test", policy.ExternalEditor, f.globex, true)
	f.victor = user("victor@globex.test", policy.ExternalViewer, f.globex, true)
	f.oscar = user("oscar@initech.test", policy.ExternalEditor, f.initech, false)
	f.erinID, f.victorID, f.oscarID = f.erin.UserID, f.victor.UserID, f.oscar.UserID
	f.byAda = contacts.By{Actor: f.ada, Who: audit.Who{ActorID: f.ada.UserID}}
	f.byErin = contacts.By{Actor: f.erin, Who: audit.Who{ActorID: f.erin.UserID}}
	f.byVictor = contacts.By{Actor: f.victor, Who: audit.Who{ActorID: f.victor.UserID}}
	return f
}

func str(s string) *string { return &s }
func id(i int64) *int64    { return &i }

func (f *fixture) audits(t *testing.T) int {
	t.Helper()
	n, err := f.db.Select((*audit.Entry)(nil)).Where("action = ?", audit.ContactChange).Count(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func (f *fixture) mustCreate(t *testing.T, by contacts.By, in contacts.ContactInput) *contacts.Contact {
	t.Helper()
	c, err := contacts.Create(f.ctx, f.db, by, in)
	if err != nil {
		t.Fatalf("create %v: %v", *in.Name, err)
	}
	return c
}

func names(cs []contacts.Contact) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return strings.Join(out, ",")
}

// TestScope: each reader lists and opens exactly the contacts of the
// companies in their scope; a contact outside it is ErrNotFound.
func TestScope(t *testing.T) {
	f := newFixture(t)
	canary := f.mustCreate(t, f.byAda, contacts.ContactInput{CompanyID: &f.initech, Name: str("CANARY-CT-91"), Email: str("canary@initech.test")})
	f.mustCreate(t, f.byAda, contacts.ContactInput{CompanyID: &f.globex, Name: str("Zed"), ExternalID: str("psa-1")})
	f.mustCreate(t, f.byErin, contacts.ContactInput{CompanyID: &f.globex, Name: str("Amy"), Email: str("amy@globex.test")})

	for _, tt := range []struct {
		name string
		a    policy.Actor
		q    contacts.Query
		want string
	}{
		{"member sees all", f.ada, contacts.Query{}, "Amy,CANARY-CT-91,Zed"},
		{"member filters by company", f.ada, contacts.Query{CompanyID: f.initech}, "CANARY-CT-91"},
		{"editor sees her company", f.erin, contacts.Query{}, "Amy,Zed"},
		{"editor asking for another company gets nothing", f.erin, contacts.Query{CompanyID: f.initech}, ""},
		{"editor searching the canary finds nothing", f.erin, contacts.Query{Q: "canary"}, ""},
		{"viewer sees her company", f.victor, contacts.Query{Sort: "-name"}, "Zed,Amy"},
		{"editor without the module sees nothing", f.oscar, contacts.Query{}, ""},
		{"search by email", f.ada, contacts.Query{Q: "AMY@"}, "Amy"},
		{"a LIKE wildcard is a character", f.ada, contacts.Query{Q: "%"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cs, _, err := contacts.List(f.ctx, f.db, tt.a, tt.q, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			if got := names(cs); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			n, err := contacts.Count(f.ctx, f.db, tt.a, tt.q)
			if err != nil || n != len(cs) {
				t.Errorf("count %d, %v; listed %d", n, err, len(cs))
			}
		})
	}
	if _, err := contacts.Get(f.ctx, f.db, f.erin, canary.ID); !errors.Is(err, contacts.ErrNotFound) {
		t.Errorf("erin opens the Initech canary: %v", err)
	}
	if c, err := contacts.Get(f.ctx, f.db, f.ada, canary.ID); err != nil || c.Company.Name != "Initech" {
		t.Errorf("ada opens the canary: %+v, %v", c, err)
	}
	// The external ID is the members' only.
	cs, _, _ := contacts.List(f.ctx, f.db, f.erin, contacts.Query{Q: "Zed"}, store.Page{})
	if len(cs) != 1 || cs[0].ExternalID != nil {
		t.Errorf("erin sees the external ID: %+v", cs)
	}
	cs, _, _ = contacts.List(f.ctx, f.db, f.ada, contacts.Query{Q: "Zed"}, store.Page{})
	if len(cs) != 1 || cs[0].ExternalID == nil || *cs[0].ExternalID != "psa-1" {
		t.Errorf("ada does not see the external ID: %+v", cs)
	}
	// Another tenant's handle finds nothing of this one, even for its IDs.
	tn := f.sdb.NewTenant(t, "northwind")
	if _, err := contacts.Get(f.ctx, f.sdb.DB.Tenant(tn.ID), f.ada, canary.ID); !errors.Is(err, contacts.ErrNotFound) {
		t.Errorf("another tenant's handle opens the canary: %v", err)
	}
}

// TestPaging: cursors walk the whole list once, in order.
func TestPaging(t *testing.T) {
	f := newFixture(t)
	for _, n := range []string{"E", "B", "D", "A", "C"} {
		f.mustCreate(t, f.byAda, contacts.ContactInput{CompanyID: &f.globex, Name: str(n)})
	}
	var got []string
	cursor := ""
	for range 5 {
		cs, next, err := contacts.List(f.ctx, f.db, f.erin, contacts.Query{}, store.Page{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, names(cs))
		if cursor = next; cursor == "" {
			break
		}
	}
	if strings.Join(got, "|") != "A,B|C,D|E" {
		t.Errorf("pages %q", got)
	}
	if _, _, err := contacts.List(f.ctx, f.db, f.erin, contacts.Query{Sort: "-created"}, store.Page{Cursor: "bogus"}); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("bad cursor: %v", err)
	}
	if _, _, err := contacts.List(f.ctx, f.db, f.erin, contacts.Query{Sort: "size"}, store.Page{}); err == nil {
		t.Error("unknown sort accepted")
	}
}

// TestWrites: who may write which company's contacts, validation, the
// user link, and the audit record of each change.
func TestWrites(t *testing.T) {
	f := newFixture(t)
	before := f.audits(t)
	c := f.mustCreate(t, f.byErin, contacts.ContactInput{CompanyID: &f.globex, Name: str("  Erin Editor "), UserID: &f.erinID, Phone: str("+1 555 0100")})
	if c.Name != "Erin Editor" || c.User == nil || c.User.ID != f.erinID || c.Company.ID != f.globex {
		t.Errorf("created %+v", c)
	}
	if f.audits(t) != before+1 {
		t.Errorf("no audit record of the create")
	}

	var ff *policy.ErrFieldForbidden
	if _, err := contacts.Create(f.ctx, f.db, f.byErin, contacts.ContactInput{CompanyID: &f.initech, Name: str("X")}); !errors.As(err, &ff) || ff.Field != "company" {
		t.Errorf("erin adds to Initech: %v", err)
	}
	if _, err := contacts.Create(f.ctx, f.db, f.byErin, contacts.ContactInput{CompanyID: &f.globex, Name: str("X"), ExternalID: str("e1")}); !errors.As(err, &ff) || ff.Field != "external_id" {
		t.Errorf("erin sets an external ID: %v", err)
	}
	if _, err := contacts.Create(f.ctx, f.db, f.byVictor, contacts.ContactInput{CompanyID: &f.globex, Name: str("X")}); !errors.As(err, &ff) {
		t.Errorf("victor adds: %v", err)
	}
	if _, err := contacts.Update(f.ctx, f.db, f.byVictor, c.ID, contacts.ContactInput{Name: str("X")}); !errors.As(err, &ff) {
		t.Errorf("victor changes: %v", err)
	}
	if err := contacts.Delete(f.ctx, f.db, f.byVictor, c.ID); !errors.As(err, &ff) {
		t.Errorf("victor deletes: %v", err)
	}
	if _, err := contacts.Update(f.ctx, f.db, f.byErin, c.ID, contacts.ContactInput{CompanyID: &f.initech}); !errors.As(err, &ff) {
		t.Errorf("erin moves a contact to Initech: %v", err)
	}

	for _, tt := range []struct {
		name  string
		in    contacts.ContactInput
		field string
	}{
		{"no company", contacts.ContactInput{Name: str("X")}, "company"},
		{"no name", contacts.ContactInput{CompanyID: &f.globex}, "name"},
		{"blank name", contacts.ContactInput{CompanyID: &f.globex, Name: str("   ")}, "name"},
		{"long name", contacts.ContactInput{CompanyID: &f.globex, Name: str(strings.Repeat("n", contacts.MaxName+1))}, "name"},
		{"line break in name", contacts.ContactInput{CompanyID: &f.globex, Name: str("a\nb")}, "name"},
		{"bad email", contacts.ContactInput{CompanyID: &f.globex, Name: str("X"), Email: str("not an address")}, "email"},
		{"email with a name", contacts.ContactInput{CompanyID: &f.globex, Name: str("X"), Email: str("X <x@globex.test>")}, "email"},
		{"long phone", contacts.ContactInput{CompanyID: &f.globex, Name: str("X"), Phone: str(strings.Repeat("1", contacts.MaxPhone+1))}, "phone"},
		{"tab in title", contacts.ContactInput{CompanyID: &f.globex, Name: str("X"), Title: str("a\tb")}, "title"},
		{"long notes", contacts.ContactInput{CompanyID: &f.globex, Name: str("X"), Notes: str(strings.Repeat("n", contacts.MaxNotes+1))}, "notes"},
		{"user of another company", contacts.ContactInput{CompanyID: &f.globex, Name: str("X"), UserID: &f.oscarID}, "user"},
		{"a member is no portal user", contacts.ContactInput{CompanyID: &f.globex, Name: str("X"), UserID: id(f.ada.UserID)}, "user"},
		{"no such user", contacts.ContactInput{CompanyID: &f.globex, Name: str("X"), UserID: id(99999)}, "user"},
		{"no such company", contacts.ContactInput{CompanyID: id(99999), Name: str("X")}, "company"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := contacts.Create(f.ctx, f.db, f.byAda, tt.in)
			var ve valid.Errors
			if !errors.As(err, &ve) || ve[tt.field] == "" {
				t.Errorf("got %v, want an error for %s", err, tt.field)
			}
		})
	}
	// Notes keep their lines.
	if _, err := contacts.Update(f.ctx, f.db, f.byErin, c.ID, contacts.ContactInput{Notes: str("line one\r\nline two")}); err != nil {
		t.Errorf("notes with lines: %v", err)
	}

	// A change to nothing records nothing; a change records once.
	n := f.audits(t)
	if _, err := contacts.Update(f.ctx, f.db, f.byErin, c.ID, contacts.ContactInput{Name: str("Erin Editor")}); err != nil {
		t.Fatal(err)
	}
	if f.audits(t) != n {
		t.Errorf("a change to nothing was recorded")
	}
	u, err := contacts.Update(f.ctx, f.db, f.byErin, c.ID, contacts.ContactInput{Title: str("IT lead"), UserID: id(0)})
	if err != nil || u.Title != "IT lead" || u.User != nil {
		t.Errorf("update: %+v %v", u, err)
	}
	if f.audits(t) != n+1 {
		t.Errorf("the change was not recorded once")
	}

	// Moving a contact with a linked user to a company the user is not of is refused.
	linked := f.mustCreate(t, f.byAda, contacts.ContactInput{CompanyID: &f.globex, Name: str("Victor"), UserID: &f.victorID})
	var ve valid.Errors
	if _, err := contacts.Update(f.ctx, f.db, f.byAda, linked.ID, contacts.ContactInput{CompanyID: &f.initech}); !errors.As(err, &ve) || ve["user"] == "" {
		t.Errorf("move with a linked user of another company: %v", err)
	}

	// An ID outside the scope is not found, for changes too.
	canary := f.mustCreate(t, f.byAda, contacts.ContactInput{CompanyID: &f.initech, Name: str("CANARY-CT-91")})
	if _, err := contacts.Update(f.ctx, f.db, f.byErin, canary.ID, contacts.ContactInput{Name: str("mine")}); !errors.Is(err, contacts.ErrNotFound) {
		t.Errorf("erin changes the canary: %v", err)
	}
	if err := contacts.Delete(f.ctx, f.db, f.byErin, canary.ID); !errors.Is(err, contacts.ErrNotFound) {
		t.Errorf("erin deletes the canary: %v", err)
	}
	if err := contacts.Delete(f.ctx, f.db, f.byErin, c.ID); err != nil {
		t.Errorf("erin deletes her contact: %v", err)
	}
	if _, err := contacts.Get(f.ctx, f.db, f.ada, c.ID); !errors.Is(err, contacts.ErrNotFound) {
		t.Errorf("deleted contact still there: %v", err)
	}
}

// TestUpsert: by external ID, idempotent; members only; a taken external
// ID is ErrConflict.
func TestUpsert(t *testing.T) {
	f := newFixture(t)
	in := contacts.ContactInput{CompanyID: &f.globex, Name: str("Pat PSA"), Email: str("pat@globex.test")}
	c, created, err := contacts.Upsert(f.ctx, f.db, f.byAda, "psa-7", in)
	if err != nil || !created || c.ExternalID == nil || *c.ExternalID != "psa-7" {
		t.Fatalf("first upsert: %+v %v %v", c, created, err)
	}
	n := f.audits(t)
	again, created, err := contacts.Upsert(f.ctx, f.db, f.byAda, "psa-7", in)
	if err != nil || created || again.ID != c.ID || !again.UpdatedAt.Equal(c.UpdatedAt) {
		t.Errorf("second upsert: %+v %v %v", again, created, err)
	}
	if f.audits(t) != n {
		t.Errorf("the same body twice was recorded twice")
	}
	in.Phone = str("555")
	if u, created, err := contacts.Upsert(f.ctx, f.db, f.byAda, "psa-7", in); err != nil || created || u.Phone != "555" {
		t.Errorf("changing upsert: %+v %v %v", u, created, err)
	}
	var ff *policy.ErrFieldForbidden
	if _, _, err := contacts.Upsert(f.ctx, f.db, f.byErin, "psa-8", in); !errors.As(err, &ff) {
		t.Errorf("erin upserts: %v", err)
	}
	if _, _, err := contacts.Upsert(f.ctx, f.db, f.byAda, " ", in); err == nil {
		t.Error("blank external ID accepted")
	}
	other := f.mustCreate(t, f.byAda, contacts.ContactInput{CompanyID: &f.globex, Name: str("Other")})
	if _, err := contacts.Update(f.ctx, f.db, f.byAda, other.ID, contacts.ContactInput{ExternalID: str("psa-7")}); !errors.Is(err, contacts.ErrConflict) {
		t.Errorf("a taken external ID: %v", err)
	}
}
