package office365_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/office365"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
)

type world struct {
	db             *store.Scoped
	member, viewer policy.Actor
	globex, init   int64
	by             office365.By
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	d := storetest.New(t)
	db := d.Acme
	w := &world{db: db}
	for _, name := range []string{"Globex", "Initech"} {
		c := &people.Company{Name: name, CreatedAt: time.Now().UTC()}
		if _, err := db.Insert(c).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if name == "Globex" {
			w.globex = c.ID
		} else {
			w.init = c.ID
		}
	}
	m, err := people.CreateUser(ctx, db, people.NewUser{Email: "ada@acme.test", Name: "Ada", Kind: policy.Member, Status: people.Active})
	if err != nil {
		t.Fatal(err)
	}
	v, err := people.CreateUser(ctx, db, people.NewUser{Email: "victor@globex.test", Name: "Victor", Kind: policy.ExternalViewer, Status: people.Active})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Insert(&people.UserCompany{UserID: v.ID, CompanyID: w.globex}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	w.member = policy.Actor{UserID: m.ID, TenantID: db.TenantID(), Kind: policy.Member}
	w.viewer = policy.Actor{UserID: v.ID, TenantID: db.TenantID(), Kind: policy.ExternalViewer, Companies: []int64{w.globex},
		Modules: map[policy.Page]policy.Module{policy.PageOffice365: {Show: true, Label: "M365"}}}
	w.by = office365.By{Actor: w.member, Who: audit.Who{ActorID: m.ID}}
	return w
}

func (w *world) audits(t *testing.T) int {
	t.Helper()
	n, err := w.db.Select((*audit.Entry)(nil)).Where("al.action LIKE 'office365.%'").Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

const licencesCSV = "sku,name,total\nO365_BUSINESS_PREMIUM,Microsoft 365 Business Premium,5\nO365_BUSINESS_ESSENTIALS,Microsoft 365 Business Basic,3\n"

const usersCSV = "display_name,email,licences,mfa,last_sign_in\n" +
	"Ann Able,ann@globex.example,O365_BUSINESS_PREMIUM,enforced,2030-01-01\n" +
	"Bob Baker,Bob@Globex.example,O365_BUSINESS_PREMIUM;O365_BUSINESS_ESSENTIALS,disabled,2020-01-01\n" +
	"Cy Cole,cy@globex.example,,unknown,\n"

func (w *world) importCSV(t *testing.T, kind office365.Kind, data string, remove bool) (*office365.Plan, error) {
	t.Helper()
	in := office365.Import{Kind: kind, CompanyID: w.globex, RemoveMissing: remove, FromFile: true}
	var err error
	if kind == office365.KindUsers {
		in.Users, err = office365.ParseUsers([]byte(data))
	} else {
		in.Licences, err = office365.ParseLicences([]byte(data))
	}
	if err != nil {
		return nil, err
	}
	return office365.Apply(context.Background(), w.db, w.by, in)
}

func TestImportGoodFiles(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	// The future date is refused: the test's "now" is real time.
	good := strings.Replace(usersCSV, "2030-01-01", time.Now().UTC().Format("2006-01-02"), 1)
	if _, err := w.importCSV(t, office365.KindLicences, licencesCSV, false); err != nil {
		t.Fatal(err)
	}
	p, err := w.importCSV(t, office365.KindUsers, good, false)
	if err != nil {
		t.Fatal(err)
	}
	if p.Added != 3 || p.Changed != 0 {
		t.Errorf("plan: %+v", p)
	}
	o, err := office365.Summary(ctx, w.db, w.member, w.globex)
	if err != nil {
		t.Fatal(err)
	}
	if o.Total != 8 || o.Assigned != 3 || o.Unassigned != 5 || o.Users != 3 || o.Unused != 1 {
		t.Errorf("overview: total %d assigned %d unassigned %d users %d unused %d", o.Total, o.Assigned, o.Unassigned, o.Users, o.Unused)
	}
	for _, l := range o.Licences {
		if l.SKU == "O365_BUSINESS_PREMIUM" && (l.Assigned != 2 || l.Unassigned() != 3) {
			t.Errorf("premium: %+v", l)
		}
	}
	us, next, err := office365.Users(ctx, w.db, w.member, office365.UserQuery{CompanyID: w.globex, Unused: true}, store.Page{})
	if err != nil || next != "" || len(us) != 1 || us[0].Email != "bob@globex.example" || !us[0].PossiblyUnused {
		t.Errorf("unused users: %+v %q %v", us, next, err)
	}
	us, _, err = office365.Users(ctx, w.db, w.member, office365.UserQuery{CompanyID: w.globex, Licence: office365.NoLicence}, store.Page{})
	if err != nil || len(us) != 1 || us[0].Email != "cy@globex.example" || us[0].PossiblyUnused {
		t.Errorf("users without a licence: %+v %v", us, err)
	}
	us, _, err = office365.Users(ctx, w.db, w.member, office365.UserQuery{CompanyID: w.globex, Q: "BAK", MFA: office365.MFADisabled}, store.Page{})
	if err != nil || len(us) != 1 || len(us[0].Licences) != 2 {
		t.Errorf("search: %+v %v", us, err)
	}
	if n := w.audits(t); n != 2 {
		t.Errorf("audit records: %d, want one per import", n)
	}
	// Paging by name walks every user once.
	var seen []string
	page := store.Page{Limit: 2}
	for {
		us, next, err := office365.Users(ctx, w.db, w.member, office365.UserQuery{CompanyID: w.globex, Sort: "-name"}, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range us {
			seen = append(seen, u.DisplayName)
		}
		if next == "" {
			break
		}
		page.Cursor = next
	}
	if strings.Join(seen, ",") != "Cy Cole,Bob Baker,Ann Able" {
		t.Errorf("paged: %v", seen)
	}
}

func TestImportBadRowsImportNothing(t *testing.T) {
	w := newWorld(t)
	if _, err := w.importCSV(t, office365.KindLicences, licencesCSV, false); err != nil {
		t.Fatal(err)
	}
	bad := "display_name,email,licences,mfa,last_sign_in\n" +
		"Ann Able,ann@globex.example,O365_BUSINESS_PREMIUM,enforced,2024-01-01\n" +
		"Bob Baker,not-an-address,E5_SECURITY,sometimes,yesterday\n" +
		"Ann Again,ANN@globex.example,,,\n"
	p, err := w.importCSV(t, office365.KindUsers, bad, false)
	plan, ok := office365.IsRowsError(err)
	if !ok {
		t.Fatalf("bad rows: %v", err)
	}
	if p != plan {
		t.Error("the plan returned is not the refused one")
	}
	want := map[string]string{
		"3 email":        "Enter an address like name@example.com.",
		"3 licences":     `Unknown licence "E5_SECURITY"`,
		"3 mfa":          "Use enforced, enabled, disabled or unknown",
		"3 last_sign_in": "Enter a date as YYYY-MM-DD",
		"4 email":        "Duplicate email: row 2 has it too.",
	}
	got := map[string]string{}
	for _, e := range plan.Errors {
		got[strconv.Itoa(e.Row)+" "+e.Column] = e.Message
	}
	for k, msg := range want {
		if !strings.Contains(got[k], msg) {
			t.Errorf("row %s: %q, want %q", k, got[k], msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("errors: %v", got)
	}
	o, err := office365.Summary(context.Background(), w.db, w.member, w.globex)
	if err != nil || o.Users != 0 {
		t.Errorf("a bad file imported %d users (%v)", o.Users, err)
	}
	if n := w.audits(t); n != 1 {
		t.Errorf("audit records: %d, want the licences' only", n)
	}
	// A file refused whole says why.
	for _, c := range []struct{ data, want string }{
		{"name,total\nX,1\n", "lacks sku"},
		{"sku,name,total\n\"broken,x,1\n", "not valid CSV"},
		{"sku,name,total\n\xff,a,1\n", "not UTF-8"},
	} {
		_, err := w.importCSV(t, office365.KindLicences, c.data, false)
		var fe *office365.FileError
		if !errors.As(err, &fe) || !strings.Contains(fe.Message, c.want) {
			t.Errorf("%q: %v, want %q", c.data, err, c.want)
		}
	}
	_, err = w.importCSV(t, office365.KindLicences, "display_name,email\nA,a@b.c\n", false)
	if err == nil || !strings.Contains(err.Error(), "looks like a users file") {
		t.Errorf("a users file as licences: %v", err)
	}
	big := "sku,name,total\n" + strings.Repeat("A,B,1\n", office365.MaxRows+1)
	_, err = w.importCSV(t, office365.KindLicences, big, false)
	var fe *office365.FileError
	if !errors.As(err, &fe) || !fe.TooLarge {
		t.Errorf("too many rows: %v", err)
	}
}

func TestReimportUpdates(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	if _, err := w.importCSV(t, office365.KindLicences, licencesCSV, false); err != nil {
		t.Fatal(err)
	}
	if _, err := w.importCSV(t, office365.KindUsers, strings.Replace(usersCSV, "2030-01-01", "2024-05-01", 1), false); err != nil {
		t.Fatal(err)
	}
	// Ann moves to Basic and enables MFA; Cy is not in the file.
	again := "display_name,email,licences,mfa,last_sign_in\n" +
		"Ann Able,ann@globex.example,O365_BUSINESS_ESSENTIALS,enabled,2024-05-01\n" +
		"Bob Baker,bob@globex.example,O365_BUSINESS_ESSENTIALS;O365_BUSINESS_PREMIUM,disabled,2020-01-01T00:00:00Z\n"
	p, err := office365.Preview(ctx, w.db, w.member, office365.Import{Kind: office365.KindUsers, CompanyID: w.globex, Users: mustUsers(t, again)})
	if err != nil {
		t.Fatal(err)
	}
	if p.Changed != 1 || p.Unchanged != 1 || p.Removed != 0 || strings.Join(p.Changes[0].Fields, ",") != "mfa,licences" {
		t.Errorf("preview: %+v", p)
	}
	if _, err := w.importCSV(t, office365.KindUsers, again, true); err != nil {
		t.Fatal(err)
	}
	us, _, err := office365.Users(ctx, w.db, w.member, office365.UserQuery{CompanyID: w.globex}, store.Page{})
	if err != nil || len(us) != 2 {
		t.Fatalf("after re-import: %+v %v", us, err)
	}
	ann := us[0]
	if ann.MFA != office365.MFAEnabled || len(ann.Licences) != 1 || ann.Licences[0].SKU != "O365_BUSINESS_ESSENTIALS" {
		t.Errorf("ann: %+v", ann)
	}
	// The same file once more changes nothing and records nothing.
	before := w.audits(t)
	p, err = w.importCSV(t, office365.KindUsers, again, true)
	if err != nil || !p.Empty() || w.audits(t) != before {
		t.Errorf("second import: %+v %v, audits %d → %d", p, err, before, w.audits(t))
	}
}

func mustUsers(t *testing.T, data string) []office365.UserInput {
	t.Helper()
	us, err := office365.ParseUsers([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return us
}

func TestUpsertIdempotentAndScoped(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	in := office365.Import{Kind: office365.KindLicences, CompanyID: w.globex,
		Licences: []office365.LicenceInput{{Row: 1, SKU: "SPE_E5", Name: "Microsoft 365 E5", Total: "4"}}}
	p, err := office365.Apply(ctx, w.db, w.by, in)
	if err != nil || p.Added != 1 {
		t.Fatalf("first: %+v %v", p, err)
	}
	p, err = office365.Apply(ctx, w.db, w.by, in)
	if err != nil || !p.Empty() || p.Unchanged != 1 || w.audits(t) != 1 {
		t.Errorf("second: %+v %v, audits %d", p, err, w.audits(t))
	}
	users := office365.Import{Kind: office365.KindUsers, CompanyID: w.globex,
		Users: []office365.UserInput{{Row: 1, Email: "x@globex.example", DisplayName: "X", Licences: []string{"spe_e5"}}}}
	for i := range 2 {
		if p, err := office365.Apply(ctx, w.db, w.by, users); err != nil || p.Added+p.Unchanged != 1 {
			t.Errorf("users %d: %+v %v", i, p, err)
		}
	}
	if w.audits(t) != 2 {
		t.Errorf("audits: %d", w.audits(t))
	}
	// The viewer reads Globex, not Initech, and changes nothing.
	if _, err := office365.Summary(ctx, w.db, w.viewer, w.globex); err != nil {
		t.Errorf("viewer's own company: %v", err)
	}
	if _, err := office365.Summary(ctx, w.db, w.viewer, w.init); !errors.Is(err, office365.ErrNotFound) {
		t.Errorf("viewer reads Initech: %v", err)
	}
	if _, _, err := office365.Users(ctx, w.db, w.viewer, office365.UserQuery{CompanyID: w.init}, store.Page{}); !errors.Is(err, office365.ErrNotFound) {
		t.Errorf("viewer lists Initech's users: %v", err)
	}
	cs, err := office365.Companies(ctx, w.db, w.viewer)
	if err != nil || len(cs) != 1 || cs[0].ID != w.globex || !cs[0].HasData {
		t.Errorf("viewer's companies: %+v %v", cs, err)
	}
	if _, err := office365.Apply(ctx, w.db, office365.By{Actor: w.viewer}, in); !errors.Is(err, office365.ErrForbidden) {
		t.Errorf("viewer writes: %v", err)
	}
	if _, err := office365.Apply(ctx, w.db, w.by, office365.Import{Kind: office365.KindUsers, CompanyID: 999}); !errors.Is(err, office365.ErrNotFound) {
		t.Errorf("unknown company: %v", err)
	}
}
