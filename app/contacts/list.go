package contacts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// cursorContacts tags the cursors of the contacts list.
const cursorContacts = "contacts"

// Sorts are the orders of the contacts list: by name (the default) or by
// the date they were added, which is the order of their IDs.
var Sorts = store.Sorts{
	{Name: "name", Label: "Name A–Z", Expr: "con.name", ID: "con.id"},
	{Name: "-name", Label: "Name Z–A", Expr: "con.name", ID: "con.id", Desc: true},
	{Name: "-created", Label: "Newest first", ID: "con.id", Desc: true},
	{Name: "created", Label: "Oldest first", ID: "con.id"},
}

// Query is what a contacts list asks for: one company (0 for every company
// in scope), a search in name and email, and a sort of Sorts ("" for the
// default).
type Query struct {
	CompanyID int64
	Q         string
	Sort      string
}

// likeEscaper escapes LIKE's wildcards and its escape character, so a search
// for "50%" means those three characters.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// containsPattern is a LIKE pattern (with ESCAPE '\') matching s anywhere.
func containsPattern(s string) string { return "%" + likeEscaper.Replace(s) + "%" }

func (q Query) check() (store.Sort, error) {
	errs := valid.Errors{}
	if utf8.RuneCountInString(q.Q) > MaxSearch || !valid.Text(q.Q) {
		errs.Add("q", fmt.Sprintf("Search for at most %d characters.", MaxSearch))
	}
	if q.CompanyID < 0 {
		errs.Add("company_id", "Choose a company from the list.")
	}
	o, ok := Sorts.Find(q.Sort)
	if !ok {
		errs.Add("sort", "Sort by one of: "+Sorts.Names()+".")
	}
	return o, errs.Err()
}

// query is the select of the contacts in a's scope matching q, without
// order or limit: List and Count share it. A company outside the scope
// simply matches nothing.
func query(db *store.Scoped, model any, a policy.Actor, q Query) *bun.SelectQuery {
	sq := scoped(db, model, a)
	if q.CompanyID != 0 {
		sq = sq.Where("con.company_id = ?", q.CompanyID)
	}
	if s := strings.ToLower(strings.TrimSpace(q.Q)); s != "" {
		like := containsPattern(s)
		sq = sq.Where(`(LOWER(con.name) LIKE ? ESCAPE '\' OR LOWER(con.email) LIKE ? ESCAPE '\')`, like, like)
	}
	return sq
}

// List returns one page of the contacts in actor a's scope matching q, in
// its sort, and the cursor of the next page ("" on the last). Invalid
// filters or sort are valid.Errors; a cursor of another list or sort is
// store.ErrBadCursor.
func List(ctx context.Context, db *store.Scoped, a policy.Actor, q Query, p store.Page) ([]Contact, string, error) {
	o, err := q.check()
	if err != nil {
		return nil, "", err
	}
	after, ok, err := o.Decode(cursorContacts, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.Size()
	var rows []Row
	if err := o.Apply(query(db, &rows, a, q), after, ok, limit).Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("contacts: list: %w", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		next = o.Encode(cursorContacts, last.Name, last.ID)
	}
	out, err := views(ctx, db, a, rows)
	return out, next, err
}

// Count is how many contacts in a's scope match q, through the list's own query.
func Count(ctx context.Context, db *store.Scoped, a policy.Actor, q Query) (int, error) {
	if _, err := q.check(); err != nil {
		return 0, err
	}
	n, err := query(db, (*Row)(nil), a, q).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("contacts: count: %w", err)
	}
	return int(n), nil
}

// Get returns contact id as actor a sees it, else ErrNotFound.
func Get(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Contact, error) {
	r, err := load(ctx, db, a, id)
	if err != nil {
		return nil, err
	}
	vs, err := views(ctx, db, a, []Row{*r})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// load reads contact id through a's scope.
func load(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Row, error) {
	r := new(Row)
	err := scoped(db, r, a).Where("con.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("contacts: load %d: %w", id, err)
	}
	return r, nil
}

// views turns rows into what a sees, with their companies' and users'
// names loaded in two queries.
func views(ctx context.Context, db *store.Scoped, a policy.Actor, rows []Row) ([]Contact, error) {
	out := make([]Contact, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	var companyIDs, userIDs []int64
	for _, r := range rows {
		companyIDs = append(companyIDs, r.CompanyID)
		if r.UserID != nil {
			userIDs = append(userIDs, *r.UserID)
		}
	}
	var cs []people.Company
	if err := db.Select(&cs).Where("c.id IN (?)", bun.In(companyIDs)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("contacts: companies: %w", err)
	}
	companies := map[int64]string{}
	for _, c := range cs {
		companies[c.ID] = c.Name
	}
	users := map[int64]string{}
	if len(userIDs) > 0 {
		us, err := people.UsersByIDs(ctx, db, userIDs)
		if err != nil {
			return nil, err
		}
		for i := range us {
			users[us[i].ID] = us[i].DisplayName()
		}
	}
	for _, r := range rows {
		c := Contact{
			ID: r.ID, Name: r.Name, Email: r.Email, Phone: r.Phone, Title: r.Title, Notes: r.Notes,
			Company:   people.CompanyRef{ID: r.CompanyID, Name: companies[r.CompanyID]},
			CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		}
		if r.UserID != nil {
			c.User = &UserRef{ID: *r.UserID, Name: users[*r.UserID]}
		}
		if policy.SeesContactExternalID(a) {
			c.ExternalID = r.ExternalID
		}
		out = append(out, c)
	}
	return out, nil
}

// Companies are the companies whose contacts a may see, by name: the
// choices of the list's company filter and of the form's company.
func Companies(ctx context.Context, db *store.Scoped, a policy.Actor) ([]people.CompanyRef, error) {
	if policy.ContactsScope(a).None() {
		return nil, nil
	}
	cs, err := people.Companies(ctx, db, a)
	if err != nil {
		return nil, err
	}
	out := make([]people.CompanyRef, 0, len(cs))
	for _, c := range cs {
		out = append(out, people.CompanyRef{ID: c.ID, Name: c.Name})
	}
	return out, nil
}

// maxCandidates bounds the users offered as a contact's portal user.
const maxCandidates = 200

// Candidate is a portal user a contact of Company may be linked to.
type Candidate struct {
	UserRef
	CompanyID int64
}

// Candidates are the users contacts may be linked to, in the companies a
// may edit contacts of: each company's active external users, by name.
func Candidates(ctx context.Context, db *store.Scoped, a policy.Actor) ([]Candidate, error) {
	cs, err := Companies(ctx, db, a)
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	var ids []int64
	for _, c := range cs {
		if policy.CanEditContact(a, c.ID) {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []struct {
		UserID    int64  `bun:"user_id"`
		CompanyID int64  `bun:"company_id"`
		Name      string `bun:"name"`
		Email     string `bun:"email"`
	}
	err = db.Select((*people.User)(nil)).
		ColumnExpr("u.id AS user_id, ucx.company_id, u.name, u.email").
		Join("JOIN user_companies AS ucx ON ucx.user_id = u.id AND ucx.tenant_id = u.tenant_id").
		Where("u.status = ? AND u.kind IN (?) AND ucx.company_id IN (?)", people.Active,
			bun.In([]policy.Kind{policy.ExternalEditor, policy.ExternalViewer}), bun.In(ids)).
		OrderExpr("u.name, u.id").Limit(maxCandidates).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("contacts: candidates: %w", err)
	}
	out := make([]Candidate, 0, len(rows))
	for _, r := range rows {
		out = append(out, Candidate{UserRef: UserRef{ID: r.UserID, Name: (&people.User{Name: r.Name, Email: r.Email}).DisplayName()}, CompanyID: r.CompanyID})
	}
	return out, nil
}
