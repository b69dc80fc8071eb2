package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// ErrNotFoundCompany means no such company (or group) in this tenant, or
// not one the actor may see.
var ErrNotFoundCompany = errors.New("people: company not found")

// CompanyView is a company with the groups it is in and how many users are
// assigned. Notes, groups and the count are internal: for a caller whose
// companies scope is not the whole tenant (external users) they are absent,
// not empty or zero (SPEC §12).
type CompanyView struct {
	ID     int64    `json:"id"`
	Name   string   `json:"name"`
	Domain string   `json:"domain"`
	Notes  string   `json:"notes,omitempty"`
	Groups []string `json:"groups,omitempty"`
	Users  *int     `json:"users,omitempty"`
}

// cursorCompanies tags the cursors of the companies list.
const cursorCompanies = "companies"

// CompanySorts are the orders of the companies list: by name (the
// default) or by the date they were added, which is the order of their IDs.
var CompanySorts = store.Sorts{
	{Name: "name", Label: "Name A–Z", Expr: "c.name", ID: "c.id"},
	{Name: "-name", Label: "Name Z–A", Expr: "c.name", ID: "c.id", Desc: true},
	{Name: "-created", Label: "Newest first", ID: "c.id", Desc: true},
	{Name: "created", Label: "Oldest first", ID: "c.id"},
}

// CompanyQuery is what a companies list asks for: the companies of one
// group (0 for any) and a sort of CompanySorts ("" for the default).
type CompanyQuery struct {
	GroupID int64
	Sort    string
}

// check validates the query for scope: groups are internal, so only a
// scope of the whole tenant filters by them.
func (cq CompanyQuery) check(scope policy.Scope) (store.Sort, error) {
	errs := valid.Errors{}
	if cq.GroupID < 0 || (cq.GroupID != 0 && !scope.All()) {
		errs.Add("group", "Choose a group from the list.")
	}
	o, ok := CompanySorts.Find(cq.Sort)
	if !ok {
		errs.Add("sort", "Sort by one of: "+CompanySorts.Names()+".")
	}
	return o, errs.Err()
}

// companiesQuery is the select of the companies in scope matching cq,
// without order or limit: CompaniesFor and CountCompanies share it.
func companiesQuery(db *store.Scoped, model any, scope policy.Scope, cq CompanyQuery) *bun.SelectQuery {
	q := scoped(db, model, scope)
	if cq.GroupID != 0 {
		q = q.Where("c.id IN (SELECT company_id FROM company_group_members WHERE group_id = ? AND tenant_id = ?)", cq.GroupID, db.TenantID())
	}
	return q
}

// CompaniesFor returns one page of the companies in the actor's scope
// matching cq, in its sort, and the cursor of the next page ("" when this is
// the last). External users see only their assigned companies, and not the
// internal notes or groups.
func CompaniesFor(ctx context.Context, db *store.Scoped, a policy.Actor, cq CompanyQuery, p store.Page) ([]CompanyView, string, error) {
	scope := policy.CompaniesScope(a)
	o, err := cq.check(scope)
	if err != nil {
		return nil, "", err
	}
	after, ok, err := o.Decode(cursorCompanies, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.Size()
	var cs []Company
	if err := o.Apply(companiesQuery(db, &cs, scope, cq), after, ok, limit).Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("people: companies: %w", err)
	}
	next := ""
	if len(cs) > limit {
		cs = cs[:limit]
		last := cs[len(cs)-1]
		next = o.Encode(cursorCompanies, last.Name, last.ID)
	}
	views, err := companyViews(ctx, db, scope, cs)
	return views, next, err
}

// CountCompanies is how many companies in the actor's scope match cq,
// through the same query as CompaniesFor without order, limit or cursor.
func CountCompanies(ctx context.Context, db *store.Scoped, a policy.Actor, cq CompanyQuery) (int, error) {
	scope := policy.CompaniesScope(a)
	if _, err := cq.check(scope); err != nil {
		return 0, err
	}
	n, err := companiesQuery(db, (*Company)(nil), scope, cq).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("people: count companies: %w", err)
	}
	return int(n), nil
}

// CompanyFor loads one company in the actor's scope, else ErrNotFoundCompany.
func CompanyFor(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*CompanyView, error) {
	scope := policy.CompaniesScope(a)
	var cs []Company
	if err := scoped(db, &cs, scope).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("people: load company %d: %w", id, err)
	}
	if len(cs) == 0 {
		return nil, ErrNotFoundCompany
	}
	views, err := companyViews(ctx, db, scope, cs)
	if err != nil {
		return nil, err
	}
	return &views[0], nil
}

// companyViews adds groups and user counts to companies, for a scope of the
// whole tenant only: they are internal.
func companyViews(ctx context.Context, db *store.Scoped, scope policy.Scope, cs []Company) ([]CompanyView, error) {
	out := make([]CompanyView, 0, len(cs))
	if len(cs) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	var counts []struct {
		CompanyID int64 `bun:"company_id"`
		N         int   `bun:"n"`
	}
	var groups []struct {
		CompanyID int64  `bun:"company_id"`
		Name      string `bun:"name"`
	}
	if scope.All() {
		if err := db.Select((*UserCompany)(nil)).ColumnExpr("company_id, COUNT(*) AS n").
			Where("company_id IN (?)", bunIn(ids)).Group("company_id").Scan(ctx, &counts); err != nil {
			return nil, fmt.Errorf("people: users of companies: %w", err)
		}
		if err := db.Select((*CompanyGroupMember)(nil)).ColumnExpr("cgm.company_id, cg.name").
			Join("JOIN company_groups AS cg ON cg.id = cgm.group_id AND cg.tenant_id = cgm.tenant_id").
			Where("cgm.company_id IN (?)", bunIn(ids)).OrderExpr("cg.name").Scan(ctx, &groups); err != nil {
			return nil, fmt.Errorf("people: groups of companies: %w", err)
		}
	}
	for _, c := range cs {
		v := CompanyView{ID: c.ID, Name: c.Name, Domain: c.Domain}
		if scope.All() {
			v.Notes = c.Notes
			for _, g := range groups {
				if g.CompanyID == c.ID {
					v.Groups = append(v.Groups, g.Name)
				}
			}
			n := 0
			for _, cn := range counts {
				if cn.CompanyID == c.ID {
					n = cn.N
				}
			}
			v.Users = &n
		}
		out = append(out, v)
	}
	return out, nil
}

// CompanyInput is a new company or a change to one; nil fields stay.
type CompanyInput struct {
	Name   *string `json:"name"`
	Domain *string `json:"domain"`
	Notes  *string `json:"notes"`
}

// SaveCompany creates a company (id 0) or changes one in the actor's scope,
// with its audit record in the same transaction, and returns the company.
func SaveCompany(ctx context.Context, db *store.Scoped, by By, id int64, in CompanyInput) (*CompanyView, error) {
	var out *CompanyView
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		c := &Company{CreatedAt: time.Now().UTC()}
		errs := valid.Errors{}
		if id != 0 {
			if err := scoped(tx, c, policy.CompaniesScope(by.Actor)).Where("c.id = ?", id).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
				return ErrNotFoundCompany
			} else if err != nil {
				return err
			}
		} else if in.Name == nil {
			errs.Add("name", "Name the company.")
		}
		if in.Name != nil {
			n := strings.TrimSpace(*in.Name)
			if n == "" || valid.Line(n, MaxCompanyName) != "" {
				errs.Add("name", fmt.Sprintf("Name the company in up to %d characters, on one line.", MaxCompanyName))
			}
			c.Name = n
		}
		if in.Domain != nil {
			d := strings.ToLower(strings.TrimSpace(*in.Domain))
			if valid.Line(d, MaxCompanyDomain) != "" || strings.ContainsAny(d, " /@") {
				errs.Add("domain", fmt.Sprintf("Use a domain like globex.com, in up to %d characters.", MaxCompanyDomain))
			}
			c.Domain = d
		}
		if in.Notes != nil {
			// Notes are several lines: line breaks and tabs, no other control characters.
			if msg := valid.MultiLine(*in.Notes, MaxCompanyNotes); msg != "" {
				errs.Add("notes", msg)
			}
			c.Notes = strings.ReplaceAll(*in.Notes, "\r\n", "\n")
		}
		if len(errs) > 0 && in.Name != nil && errs["name"] == "" {
			// Other fields are wrong: say now whether the name is taken too,
			// so the answer lists every problem. Otherwise the insert decides.
			if taken, err := nameTaken(ctx, tx, (*Company)(nil), c.Name, id); err != nil {
				return err
			} else if taken {
				errs.Add("name", "A company with this name already exists.")
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		// The unique index on (tenant_id, lower(name)) decides whether the
		// name is taken, also between concurrent writers.
		var err error
		if id == 0 {
			_, err = tx.Insert(c).Exec(ctx)
		} else {
			_, err = tx.Update(c).Column("name", "domain", "notes").WherePK().Exec(ctx)
		}
		if store.IsUniqueViolation(err) {
			return valid.Errors{"name": "A company with this name already exists."}
		}
		if err != nil {
			return err
		}
		if err := by.record(ctx, tx, audit.CompanyChange, "company", c.ID, "saved company "+c.Name); err != nil {
			return err
		}
		out, err = CompanyFor(ctx, tx, by.Actor, c.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("people: save company %d: %w", id, err)
	}
	return out, nil
}

// DeleteCompany removes a company in the actor's scope that no user is
// assigned to, with its audit record.
func DeleteCompany(ctx context.Context, db *store.Scoped, by By, id int64) error {
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		c := new(Company)
		if err := scoped(tx, c, policy.CompaniesScope(by.Actor)).Where("c.id = ?", id).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
			return ErrNotFoundCompany
		} else if err != nil {
			return err
		}
		n, err := tx.Select((*UserCompany)(nil)).Where("company_id = ?", id).Count(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return valid.Errors{"company": fmt.Sprintf("%d users are assigned to this company. Assign them elsewhere first.", n)}
		}
		// A company's tickets are its history: deleting the company must not
		// take them along or leave them pointing at nothing.
		n, err = tx.Select((*companyTicket)(nil)).Where("ct.company_id = ?", id).Count(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return valid.Errors{"company": fmt.Sprintf("%d tickets belong to this company. Move them to another company first.", n)}
		}
		if _, err := tx.Update((*Team)(nil)).Set("company_id = NULL").Where("company_id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.Delete((*Company)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return err
		}
		return by.record(ctx, tx, audit.CompanyChange, "company", id, "deleted company "+c.Name)
	})
	if err != nil {
		return fmt.Errorf("people: delete company %d: %w", id, err)
	}
	return nil
}

// companyTicket reads which company a ticket belongs to, to keep a company
// with tickets from being deleted.
type companyTicket struct {
	bun.BaseModel `bun:"table:tickets,alias:ct"`
	store.TenantOwned
	CompanyID int64 `bun:"company_id"`
}

// GroupView is a company group with its companies.
type GroupView struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	Companies []CompanyRef `json:"companies"`
}

// cursorGroups tags the cursors of the company groups list.
const cursorGroups = "company_groups"

// Groups returns one page of the company groups in the actor's scope with
// their companies, by name, and the cursor of the next page ("" when none).
func Groups(ctx context.Context, db *store.Scoped, a policy.Actor, p store.Page) ([]GroupView, string, error) {
	after, ok, err := store.DecodeCursor(cursorGroups, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.Size()
	var gs []CompanyGroup
	q := scoped(db, &gs, policy.CompanyGroupsScope(a)).OrderExpr("cg.name, cg.id").Limit(int64(limit + 1))
	if ok {
		q = q.Where("(cg.name > ? OR (cg.name = ? AND cg.id > ?))", after.Key, after.Key, after.ID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("people: groups: %w", err)
	}
	next := ""
	if len(gs) > limit {
		gs = gs[:limit]
		last := gs[len(gs)-1]
		next = store.EncodeCursor(cursorGroups, store.Cursor{Key: last.Name, ID: last.ID})
	}
	views, err := groupViews(ctx, db, gs)
	return views, next, err
}

// AllGroups returns every company group in the actor's scope, for Settings → Companies.
func AllGroups(ctx context.Context, db *store.Scoped, a policy.Actor) ([]GroupView, error) {
	var gs []CompanyGroup
	if err := scoped(db, &gs, policy.CompanyGroupsScope(a)).OrderExpr("cg.name, cg.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("people: groups: %w", err)
	}
	return groupViews(ctx, db, gs)
}

// GroupFor loads one company group in the actor's scope, else ErrNotFoundCompany.
func GroupFor(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*GroupView, error) {
	var gs []CompanyGroup
	if err := scoped(db, &gs, policy.CompanyGroupsScope(a)).Where("cg.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("people: load group %d: %w", id, err)
	}
	if len(gs) == 0 {
		return nil, ErrNotFoundCompany
	}
	views, err := groupViews(ctx, db, gs)
	if err != nil {
		return nil, err
	}
	return &views[0], nil
}

func groupViews(ctx context.Context, db *store.Scoped, gs []CompanyGroup) ([]GroupView, error) {
	out := make([]GroupView, 0, len(gs))
	if len(gs) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(gs))
	for _, g := range gs {
		ids = append(ids, g.ID)
	}
	var rows []struct {
		GroupID int64  `bun:"group_id"`
		ID      int64  `bun:"id"`
		Name    string `bun:"name"`
	}
	if err := db.Select((*CompanyGroupMember)(nil)).ColumnExpr("cgm.group_id, c.id, c.name").
		Join("JOIN companies AS c ON c.id = cgm.company_id AND c.tenant_id = cgm.tenant_id").
		Where("cgm.group_id IN (?)", bunIn(ids)).OrderExpr("c.name").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("people: companies of groups: %w", err)
	}
	for _, g := range gs {
		v := GroupView{ID: g.ID, Name: g.Name, Companies: []CompanyRef{}}
		for _, r := range rows {
			if r.GroupID == g.ID {
				v.Companies = append(v.Companies, CompanyRef{ID: r.ID, Name: r.Name})
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// SaveGroup creates a group (id 0) or renames one in the actor's scope and
// sets its companies, with its audit record, and returns the group.
func SaveGroup(ctx context.Context, db *store.Scoped, by By, id int64, name string, companyIDs []int64) (*GroupView, error) {
	var out *GroupView
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		g := &CompanyGroup{}
		if id != 0 {
			if err := scoped(tx, g, policy.CompanyGroupsScope(by.Actor)).Where("cg.id = ?", id).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
				return ErrNotFoundCompany
			} else if err != nil {
				return err
			}
		}
		name = strings.TrimSpace(name)
		if name == "" || valid.Line(name, MaxGroupName) != "" {
			return valid.Errors{"name": fmt.Sprintf("Name the group in up to %d characters, on one line.", MaxGroupName)}
		}
		ids := uniq(companyIDs)
		if len(ids) > 0 {
			n, err := scoped(tx, (*Company)(nil), policy.CompaniesScope(by.Actor)).Where("c.id IN (?)", bunIn(ids)).Count(ctx)
			if err != nil {
				return err
			}
			if int(n) != len(ids) {
				return valid.Errors{"company_ids": "Some of these companies do not exist."}
			}
		}
		g.Name = name
		// The unique index on (tenant_id, lower(name)) decides whether the
		// name is taken, also between concurrent writers.
		var err error
		if id == 0 {
			_, err = tx.Insert(g).Exec(ctx)
		} else {
			_, err = tx.Update(g).Column("name").WherePK().Exec(ctx)
		}
		if store.IsUniqueViolation(err) {
			return valid.Errors{"name": "A group with this name already exists."}
		}
		if err != nil {
			return err
		}
		if _, err := tx.Delete((*CompanyGroupMember)(nil)).Where("group_id = ?", g.ID).Exec(ctx); err != nil {
			return err
		}
		for _, cid := range ids {
			if _, err := tx.Insert(&CompanyGroupMember{GroupID: g.ID, CompanyID: cid}).Exec(ctx); err != nil {
				return err
			}
		}
		if err := by.record(ctx, tx, audit.CompanyChange, "company_group", g.ID, "saved company group "+g.Name); err != nil {
			return err
		}
		out, err = GroupFor(ctx, tx, by.Actor, g.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("people: save group %d: %w", id, err)
	}
	return out, nil
}
