package plan_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/plan"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/valid"
)

// fixture: two companies, a member, an external editor and viewer of
// Globex with the plan module, an external editor of Initech without it.
type fixture struct {
	ctx                              context.Context
	db                               *store.Scoped
	globex, initech                  int64
	ada, erin, victor, oscar         policy.Actor
	byAda, byErin, byVictor, byOscar plan.By
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	sdb := storetest.New(t)
	f := &fixture{ctx: context.Background(), db: sdb.Acme}
	company := func(name string) int64 {
		c := &people.Company{Name: name, CreatedAt: time.Now()}
		if _, err := f.db.Insert(c).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	f.globex, f.initech = company("Globex"), company("Initech")
	user := func(email string, kind policy.Kind, companyID int64, page policy.Page) policy.Actor {
		u, err := people.CreateUser(f.ctx, f.db, people.NewUser{Email: email, Name: strings.Split(email, "@")[0], Kind: kind, Status: people.Active})
		if err != nil {
			t.Fatal(err)
		}
		if companyID != 0 {
			if _, err := f.db.Insert(&people.UserCompany{UserID: u.ID, CompanyID: companyID}).Exec(f.ctx); err != nil {
				t.Fatal(err)
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
	f.ada = user("ada@acme.test", policy.Member, 0, "")
	f.erin = user("erin@globex.test", policy.ExternalEditor, f.globex, policy.PagePlan)
	f.victor = user("victor@globex.test", policy.ExternalViewer, f.globex, policy.PagePlan)
	f.oscar = user("oscar@initech.test", policy.ExternalEditor, f.initech, policy.PageTickets)
	by := func(a policy.Actor) plan.By { return plan.By{Actor: a, Who: audit.Who{ActorID: a.UserID}} }
	f.byAda, f.byErin, f.byVictor, f.byOscar = by(f.ada), by(f.erin), by(f.victor), by(f.oscar)
	return f
}

func str(s string) *string { return &s }
func num(i int64) *int64   { return &i }
func kind(k plan.Kind) *plan.Kind {
	return &k
}

func (f *fixture) audits(t *testing.T) int {
	t.Helper()
	n, err := f.db.Select((*audit.Entry)(nil)).Where("action = ?", audit.PlanChange).Count(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func (f *fixture) mustCreate(t *testing.T, in plan.Input) *plan.Item {
	t.Helper()
	it, err := plan.Create(f.ctx, f.db, f.byAda, in)
	if err != nil {
		t.Fatalf("create %s: %v", *in.Title, err)
	}
	return it
}

func isForbidden(err error) bool {
	var ff *policy.ErrFieldForbidden
	return errors.As(err, &ff)
}

// TestPlan: members write; the plan lists goals then initiatives by
// quarter; external readers see their companies' plans only; editors
// comment and set the status, nothing else; viewers and users without the
// module write nothing.
func TestPlan(t *testing.T) {
	f := newFixture(t)
	goal := f.mustCreate(t, plan.Input{CompanyID: &f.globex, Kind: kind(plan.Goal), Title: str("Everyone on MFA")})
	late := f.mustCreate(t, plan.Input{CompanyID: &f.globex, Kind: kind(plan.Initiative), Title: str("SharePoint"), Quarter: str("2027-q1"),
		BudgetEstimate: num(1250000), OwnerID: num(f.ada.UserID)})
	early := f.mustCreate(t, plan.Input{CompanyID: &f.globex, Kind: kind(plan.Initiative), Title: str("Roll out MFA"), Quarter: str("2026-Q4")})
	canary := f.mustCreate(t, plan.Input{CompanyID: &f.initech, Kind: kind(plan.Goal), Title: str("CANARY-PLAN-7")})
	if n := f.audits(t); n != 4 {
		t.Fatalf("audits = %d, want 4", n)
	}
	if late.Quarter != "2027-Q1" || late.Budget() != "$12,500" || late.Owner == nil || late.Owner.Name != "ada" {
		t.Errorf("late = %+v", late)
	}

	p, err := plan.List(f.ctx, f.db, f.erin, f.globex)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Goals) != 1 || p.Goals[0].ID != goal.ID || len(p.Initiatives) != 2 || p.Initiatives[0].ID != early.ID || p.Initiatives[1].ID != late.ID {
		t.Errorf("plan = %+v", p)
	}
	if r := p.Roadmap(); len(r) != 2 || r[0].Quarter != "2026-Q4" {
		t.Errorf("roadmap = %+v", r)
	}
	if p.Initiatives[1].BudgetEstimate == nil {
		t.Error("budget hidden from the external editor")
	}
	for _, a := range []policy.Actor{f.erin, f.victor} {
		if _, err := plan.List(f.ctx, f.db, a, f.initech); !errors.Is(err, plan.ErrNotFound) {
			t.Errorf("%d lists Initech: %v", a.UserID, err)
		}
		if _, err := plan.Get(f.ctx, f.db, a, canary.ID); !errors.Is(err, plan.ErrNotFound) {
			t.Errorf("%d opens the canary: %v", a.UserID, err)
		}
		cs, _ := plan.Companies(f.ctx, f.db, a)
		if len(cs) != 1 || cs[0].ID != f.globex || cs[0].Items != 3 {
			t.Errorf("companies = %+v", cs)
		}
	}
	if cs, _ := plan.Companies(f.ctx, f.db, f.ada); len(cs) != 2 {
		t.Errorf("ada's companies = %+v", cs)
	}
	if cs, _ := plan.Companies(f.ctx, f.db, f.oscar); len(cs) != 0 {
		t.Errorf("oscar's companies = %+v", cs)
	}
	if _, err := plan.Get(f.ctx, f.db, f.oscar, canary.ID); !errors.Is(err, plan.ErrNotFound) {
		t.Errorf("oscar without the module opens his company's item: %v", err)
	}

	// Erin: status and comments yes, anything else no.
	done := plan.Done
	it, err := plan.Update(f.ctx, f.db, f.byErin, early.ID, plan.Input{Status: &done})
	if err != nil || it.Status != plan.Done {
		t.Fatalf("erin sets status: %v %+v", err, it)
	}
	for _, in := range []plan.Input{{Title: str("Mine")}, {BudgetEstimate: num(1)}, {OwnerID: num(0)}, {Status: &done, Quarter: str("2026-Q1")}} {
		if _, err := plan.Update(f.ctx, f.db, f.byErin, early.ID, in); !isForbidden(err) {
			t.Errorf("erin changes %+v: %v", in, err)
		}
	}
	if _, err := plan.Create(f.ctx, f.db, f.byErin, plan.Input{CompanyID: &f.globex, Kind: kind(plan.Goal), Title: str("x")}); !isForbidden(err) {
		t.Errorf("erin creates: %v", err)
	}
	if err := plan.Delete(f.ctx, f.db, f.byErin, early.ID); !isForbidden(err) {
		t.Errorf("erin deletes: %v", err)
	}
	c, err := plan.AddComment(f.ctx, f.db, f.byErin, early.ID, "  Finance approved it.  ")
	if err != nil || c.Body != "Finance approved it." || c.Author.Name != "erin" {
		t.Fatalf("erin comments: %v %+v", err, c)
	}
	if _, err := plan.AddComment(f.ctx, f.db, f.byErin, canary.ID, "hi"); !errors.Is(err, plan.ErrNotFound) {
		t.Errorf("erin comments on the canary: %v", err)
	}
	if _, err := plan.AddComment(f.ctx, f.db, f.byErin, early.ID, strings.Repeat("x", plan.MaxComment+1)); !errors.As(err, new(valid.Errors)) {
		t.Errorf("long comment: %v", err)
	}
	// Victor reads only.
	if _, err := plan.Update(f.ctx, f.db, f.byVictor, early.ID, plan.Input{Status: &done}); !isForbidden(err) {
		t.Errorf("victor sets status: %v", err)
	}
	if _, err := plan.AddComment(f.ctx, f.db, f.byVictor, early.ID, "hi"); !isForbidden(err) {
		t.Errorf("victor comments: %v", err)
	}
	before := f.audits(t)
	// The same status again changes nothing and records nothing.
	if _, err := plan.SetStatus(f.ctx, f.db, f.byErin, early.ID, plan.Done); err != nil || f.audits(t) != before {
		t.Errorf("unchanged status: %v, audits %d → %d", err, before, f.audits(t))
	}

	// Validation.
	for _, in := range []plan.Input{
		{CompanyID: &f.globex, Kind: kind(plan.Initiative), Title: str("No quarter")},
		{CompanyID: &f.globex, Kind: kind(plan.Goal), Title: str(strings.Repeat("t", plan.MaxTitle+1))},
		{CompanyID: &f.globex, Kind: kind(plan.Goal), Title: str("Bad quarter"), Quarter: str("Q4 2026")},
		{CompanyID: &f.globex, Kind: kind(plan.Goal), Title: str("")},
		{CompanyID: &f.globex, Kind: kind("rock"), Title: str("x")},
		{CompanyID: num(9999), Kind: kind(plan.Goal), Title: str("x")},
		{CompanyID: &f.globex, Kind: kind(plan.Goal), Title: str("x"), OwnerID: num(f.erin.UserID)},
		{CompanyID: &f.globex, Kind: kind(plan.Goal), Title: str("x"), BudgetEstimate: num(-5)},
	} {
		if _, err := plan.Create(f.ctx, f.db, f.byAda, in); !errors.As(err, new(valid.Errors)) {
			t.Errorf("create %+v: %v", in, err)
		}
	}

	// Deleting an item deletes its comments.
	if err := plan.Delete(f.ctx, f.db, f.byAda, early.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.db.Select((*plan.CommentRow)(nil)).Count(f.ctx); n != 0 {
		t.Errorf("%d comments left", n)
	}
}

// TestLimit: a company's plan holds at most MaxItems items.
func TestLimit(t *testing.T) {
	f := newFixture(t)
	now := time.Now().UTC()
	for i := 0; i < plan.MaxItems; i++ {
		if _, err := f.db.Insert(&plan.Row{CompanyID: f.globex, Kind: plan.Goal, Title: "g", Status: plan.Planned, CreatedAt: now, UpdatedAt: now}).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
	}
	_, err := plan.Create(f.ctx, f.db, f.byAda, plan.Input{CompanyID: &f.globex, Kind: kind(plan.Goal), Title: str("one more")})
	var ve valid.Errors
	if !errors.As(err, &ve) || ve["title"] == "" {
		t.Errorf("201st item: %v", err)
	}
}

func TestMoney(t *testing.T) {
	for in, want := range map[int64]string{0: "$0", 400000: "$4,000", 1250050: "$12,500.50", 99: "$0.99", 100000000000: "$1,000,000,000"} {
		if got := plan.Money(in); got != want {
			t.Errorf("Money(%d) = %q, want %q", in, got, want)
		}
	}
}
