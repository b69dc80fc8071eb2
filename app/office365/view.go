package office365

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Company is a company whose data the reader may see, and whether it has any.
type Company struct {
	ID      int64
	Name    string
	HasData bool
}

// Companies lists the companies whose Microsoft 365 data a may read, by
// name, each saying whether it holds any data yet.
func Companies(ctx context.Context, db *store.Scoped, a policy.Actor) ([]Company, error) {
	var cs []people.Company
	if err := selectScoped(db, &cs, a).OrderExpr("c.name, c.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("office365: companies: %w", err)
	}
	var withData []int64
	if err := selectScoped(db, (*Licence)(nil), a).ColumnExpr("DISTINCT ml.company_id").Scan(ctx, &withData); err != nil {
		return nil, fmt.Errorf("office365: companies with licences: %w", err)
	}
	var withUsers []int64
	if err := selectScoped(db, (*User)(nil), a).ColumnExpr("DISTINCT mu.company_id").Scan(ctx, &withUsers); err != nil {
		return nil, fmt.Errorf("office365: companies with users: %w", err)
	}
	withData = append(withData, withUsers...)
	out := make([]Company, 0, len(cs))
	for _, c := range cs {
		out = append(out, Company{ID: c.ID, Name: c.Name, HasData: slices.Contains(withData, c.ID)})
	}
	return out, nil
}

// company loads company id through a's scope.
func company(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (Company, error) {
	var c people.Company
	err := selectScoped(db, &c, a).Where("c.id = ?", id).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || id <= 0 {
		return Company{}, ErrNotFound
	}
	if err != nil {
		return Company{}, fmt.Errorf("office365: company %d: %w", id, err)
	}
	return Company{ID: c.ID, Name: c.Name}, nil
}

// LicenceView is one SKU of a company with how many of it are assigned.
type LicenceView struct {
	ID        int64
	SKU       string
	Name      string
	Total     int
	Assigned  int
	UpdatedAt time.Time
}

// Unassigned is how many licences of the SKU nobody holds: paid for, unused.
func (l LicenceView) Unassigned() int { return max(l.Total-l.Assigned, 0) }

// Over reports more assignments than licences: Microsoft's count and the
// import disagree, or the total is out of date.
func (l LicenceView) Over() bool { return l.Assigned > l.Total }

// Overview is a company's licences and the totals of its waste.
type Overview struct {
	Company  Company
	Licences []LicenceView
	// Total, Assigned and Unassigned add up every SKU.
	Total, Assigned, Unassigned int
	// Users is how many users the company has; Unused how many of them
	// hold a licence but have not signed in for UnusedAfter.
	Users, Unused int
}

// Summary is company companyID's licences with their assigned counts and
// waste, as a may read them; ErrNotFound outside a's scope.
func Summary(ctx context.Context, db *store.Scoped, a policy.Actor, companyID int64) (*Overview, error) {
	c, err := company(ctx, db, a, companyID)
	if err != nil {
		return nil, err
	}
	c.HasData = true
	ls, err := licences(ctx, db, a, companyID)
	if err != nil {
		return nil, err
	}
	o := &Overview{Company: c, Licences: ls}
	for _, l := range ls {
		o.Total += l.Total
		o.Assigned += l.Assigned
		o.Unassigned += l.Unassigned()
	}
	n, err := selectScoped(db, (*User)(nil), a).Where("mu.company_id = ?", companyID).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("office365: count users: %w", err)
	}
	o.Users = int(n)
	o.Unused, err = CountUsers(ctx, db, a, UserQuery{CompanyID: companyID, Unused: true})
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 && n == 0 {
		o.Company.HasData = false
	}
	return o, nil
}

// licences are a company's SKUs by name, with their assigned counts.
func licences(ctx context.Context, db *store.Scoped, a policy.Actor, companyID int64) ([]LicenceView, error) {
	var ls []Licence
	if err := selectScoped(db, &ls, a).Where("ml.company_id = ?", companyID).OrderExpr("lower(ml.name), ml.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("office365: licences: %w", err)
	}
	var counts []struct {
		LicenceID int64 `bun:"licence_id"`
		N         int   `bun:"n"`
	}
	err := db.Select((*Assignment)(nil)).ColumnExpr("ma.licence_id, COUNT(*) AS n").
		Where("ma.company_id = ?", companyID).GroupExpr("ma.licence_id").Scan(ctx, &counts)
	if err != nil {
		return nil, fmt.Errorf("office365: assigned counts: %w", err)
	}
	out := make([]LicenceView, 0, len(ls))
	for _, l := range ls {
		v := LicenceView{ID: l.ID, SKU: l.SKU, Name: l.Name, Total: l.Total, UpdatedAt: l.UpdatedAt}
		for _, c := range counts {
			if c.LicenceID == l.ID {
				v.Assigned = c.N
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// Licences is company companyID's SKUs with their assigned counts;
// ErrNotFound outside a's scope.
func Licences(ctx context.Context, db *store.Scoped, a policy.Actor, companyID int64) ([]LicenceView, error) {
	if _, err := company(ctx, db, a, companyID); err != nil {
		return nil, err
	}
	return licences(ctx, db, a, companyID)
}

// cursorUsers tags the cursors of the users list.
const cursorUsers = "office365_users"

// Sorts are the orders of the users list: by name (the default), or by
// the last sign-in, longest ago first, which puts the waste on top.
var Sorts = store.Sorts{
	{Name: "name", Label: "Name A–Z", Expr: "lower(mu.display_name)", ID: "mu.id"},
	{Name: "-name", Label: "Name Z–A", Expr: "lower(mu.display_name)", ID: "mu.id", Desc: true},
	{Name: "last_sign_in", Label: "Longest since sign-in", Expr: "COALESCE(CAST(mu.last_sign_in AS TEXT), '')", ID: "mu.id"},
	{Name: "-last_sign_in", Label: "Most recent sign-in", Expr: "COALESCE(CAST(mu.last_sign_in AS TEXT), '')", ID: "mu.id", Desc: true},
}

// NoLicence is the Licence filter of users who hold none.
const NoLicence = "none"

// UserQuery is what a users list asks for: the company (required), a
// search in name and address, filters ("" for any) and a sort of Sorts.
type UserQuery struct {
	CompanyID int64
	Q         string
	// Licence is a SKU the users hold, or NoLicence.
	Licence string
	MFA     MFA
	// Unused narrows to users with a licence and no sign-in for UnusedAfter.
	Unused bool
	Sort   string
	// Now is the time "possibly unused" is counted from; zero is now.
	Now time.Time
}

func (q UserQuery) check() (store.Sort, error) {
	errs := valid.Errors{}
	if utf8.RuneCountInString(q.Q) > MaxSearch {
		errs.Add("q", fmt.Sprintf("Search for at most %d characters.", MaxSearch))
	}
	if q.MFA != "" && !q.MFA.Valid() {
		errs.Add("mfa", "Choose an MFA state from the list.")
	}
	if q.Licence != "" && q.Licence != NoLicence && !goodSKU(q.Licence) {
		errs.Add("licence", "Choose a licence from the list.")
	}
	o, ok := Sorts.Find(q.Sort)
	if !ok {
		errs.Add("sort", "Sort by one of: "+Sorts.Names()+".")
	}
	return o, errs.Err()
}

func (q UserQuery) now() time.Time {
	if q.Now.IsZero() {
		return time.Now().UTC()
	}
	return q.Now.UTC()
}

// filtered is the select of the users of q's company in a's scope
// matching q, without order or limit.
func filtered(db *store.Scoped, model any, a policy.Actor, q UserQuery) *bun.SelectQuery {
	sq := selectScoped(db, model, a).Where("mu.company_id = ?", q.CompanyID)
	if s := strings.TrimSpace(q.Q); s != "" {
		like := "%" + escapeLike(strings.ToLower(s)) + "%"
		sq = sq.Where("(lower(mu.display_name) LIKE ? ESCAPE '\\' OR lower(mu.email) LIKE ? ESCAPE '\\')", like, like)
	}
	if q.MFA != "" {
		sq = sq.Where("mu.mfa = ?", q.MFA)
	}
	held := "SELECT 1 FROM m365_assignments AS xa JOIN m365_licences AS xl ON xl.id = xa.licence_id WHERE xa.tenant_id = mu.tenant_id AND xa.user_id = mu.id"
	switch {
	case q.Licence == NoLicence:
		sq = sq.Where("NOT EXISTS (" + held + ")")
	case q.Licence != "":
		sq = sq.Where("EXISTS ("+held+" AND xl.sku = ?)", q.Licence)
	}
	if q.Unused {
		sq = sq.Where("EXISTS ("+held+")").Where("(mu.last_sign_in IS NULL OR mu.last_sign_in < ?)", q.now().Add(-UnusedAfter))
	}
	return sq
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// UserView is one user as the page and the API show them.
type UserView struct {
	ID          int64
	Email       string
	DisplayName string
	MFA         MFA
	LastSignIn  *time.Time
	// Licences are the SKUs the user holds, by name.
	Licences []LicenceRef
	// PossiblyUnused: the user holds a licence and has not signed in for
	// UnusedAfter, or never.
	PossiblyUnused bool
	UpdatedAt      time.Time
}

// LicenceRef names a licence a user holds.
type LicenceRef struct {
	SKU  string
	Name string
}

// Users returns one page of the users of q's company that a may see,
// matching q, and the cursor of the next page ("" on the last). A
// company outside a's scope is ErrNotFound; bad filters valid.Errors.
func Users(ctx context.Context, db *store.Scoped, a policy.Actor, q UserQuery, p store.Page) ([]UserView, string, error) {
	o, err := q.check()
	if err != nil {
		return nil, "", err
	}
	if _, err := company(ctx, db, a, q.CompanyID); err != nil {
		return nil, "", err
	}
	after, ok, err := o.Decode(cursorUsers, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.Size()
	var us []User
	sq := filtered(db, &us, a, q).ColumnExpr("mu.*").ColumnExpr("CAST(" + o.Expr + " AS TEXT) AS sort_key")
	if err := o.Apply(sq, after, ok, limit).Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("office365: users: %w", err)
	}
	next := ""
	if len(us) > limit {
		us = us[:limit]
		last := us[len(us)-1]
		next = o.Encode(cursorUsers, last.SortKey, last.ID)
	}
	views, err := userViews(ctx, db, us, q.now())
	return views, next, err
}

// CountUsers is how many users of q's company that a may see match q.
func CountUsers(ctx context.Context, db *store.Scoped, a policy.Actor, q UserQuery) (int, error) {
	if _, err := q.check(); err != nil {
		return 0, err
	}
	n, err := filtered(db, (*User)(nil), a, q).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("office365: count users: %w", err)
	}
	return int(n), nil
}

// userViews adds their licences to users us, in one query.
func userViews(ctx context.Context, db *store.Scoped, us []User, now time.Time) ([]UserView, error) {
	out := make([]UserView, 0, len(us))
	if len(us) == 0 {
		return out, nil
	}
	ids := make([]int64, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	var held []struct {
		UserID int64  `bun:"user_id"`
		SKU    string `bun:"sku"`
		Name   string `bun:"name"`
	}
	err := db.Select((*Assignment)(nil)).ColumnExpr("ma.user_id, ml.sku, ml.name").
		Join("JOIN m365_licences AS ml ON ml.tenant_id = ma.tenant_id AND ml.id = ma.licence_id").
		Where("ma.user_id IN (?)", bun.In(ids)).OrderExpr("lower(ml.name), ml.id").Scan(ctx, &held)
	if err != nil {
		return nil, fmt.Errorf("office365: licences of users: %w", err)
	}
	for _, u := range us {
		v := UserView{ID: u.ID, Email: u.Email, DisplayName: u.DisplayName, MFA: u.MFA, LastSignIn: u.LastSignIn, UpdatedAt: u.UpdatedAt, Licences: []LicenceRef{}}
		for _, h := range held {
			if h.UserID == u.ID {
				v.Licences = append(v.Licences, LicenceRef{SKU: h.SKU, Name: h.Name})
			}
		}
		v.PossiblyUnused = len(v.Licences) > 0 && (u.LastSignIn == nil || u.LastSignIn.Before(now.Add(-UnusedAfter)))
		out = append(out, v)
	}
	return out, nil
}

// UnassignedLicences is how many licences of company companyID nobody
// holds, for a scorecard metric fed by Office 365 data: a number, shown
// in a team's scorecard to people who may not read the licences
// themselves.
func UnassignedLicences(ctx context.Context, db *store.Scoped, companyID int64) (int, error) {
	ls, err := licences(ctx, db, policy.Operator(db.TenantID()), companyID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, l := range ls {
		n += l.Unassigned()
	}
	return n, nil
}
