package tickets

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// Ref names a related object: a board, company or user.
type Ref struct {
	ID   int64
	Name string
}

// CustomValue is a custom field of a ticket as one reader sees it.
type CustomValue struct {
	Field  CustomField
	Value  string
	Access policy.Access
}

// View is a ticket as one actor may see it. It is the only value the edges
// build a ticket's HTML, JSON, CSV or email from: every field the reader
// may not see is blank here and Shows reports it hidden, so a hidden value
// cannot reach any of them by mistake.
type View struct {
	ID          int64
	Number      int64
	Title       string
	Description string
	Board       Ref
	Company     Ref
	Contact     *Ref
	Status      Status
	Priority    Priority
	Type        Type
	Assignee    *Ref
	DueOn       string
	TimeSpent   int64
	BillingCode string
	ExternalID  string
	Custom      []CustomValue
	CreatedAt   time.Time
	UpdatedAt   time.Time

	access map[policy.TicketField]policy.Access
	facts  policy.TicketFacts
}

// Shows reports whether the reader sees field f.
func (v *View) Shows(f policy.TicketField) bool { return v.access[f] != policy.Hidden }

// Edits reports whether the reader may change field f.
func (v *View) Edits(f policy.TicketField) bool { return v.access[f] == policy.Edit }

// Facts are the policy's facts of the ticket, for decisions the edges ask
// about it (may I add a watcher here).
func (v *View) Facts() policy.TicketFacts { return v.facts }

// names are the display names of users and the names of companies, loaded
// once for a page of tickets.
type names struct {
	users     map[int64]string
	companies map[int64]string
}

// loadNames reads the names of the users and companies tickets ts name.
// A user's name is shown to anyone who sees a ticket that names them; their
// address never is.
func loadNames(ctx context.Context, db *store.Scoped, ts []Ticket, extraUsers ...int64) (names, error) {
	n := names{users: map[int64]string{}, companies: map[int64]string{}}
	var uids, cids []int64
	for _, t := range ts {
		cids = append(cids, t.CompanyID)
		for _, id := range []*int64{t.ContactID, t.AssigneeID} {
			if id != nil {
				uids = append(uids, *id)
			}
		}
	}
	uids = append(uids, extraUsers...)
	// Each once: a page of one company's tickets named it 50 times.
	slices.Sort(uids)
	uids = slices.Compact(uids)
	slices.Sort(cids)
	cids = slices.Compact(cids)
	if len(uids) > 0 {
		var rows []struct {
			ID   int64  `bun:"id"`
			Name string `bun:"name"`
		}
		if err := db.Select((*userName)(nil)).Column("un.id", "un.name").Where("un.id IN (?)", bun.In(uids)).Scan(ctx, &rows); err != nil {
			return n, fmt.Errorf("tickets: load user names: %w", err)
		}
		for _, r := range rows {
			n.users[r.ID] = r.Name
		}
	}
	if len(cids) > 0 {
		var rows []struct {
			ID   int64  `bun:"id"`
			Name string `bun:"name"`
		}
		if err := db.Select((*companyName)(nil)).Column("cn.id", "cn.name").Where("cn.id IN (?)", bun.In(cids)).Scan(ctx, &rows); err != nil {
			return n, fmt.Errorf("tickets: load company names: %w", err)
		}
		for _, r := range rows {
			n.companies[r.ID] = r.Name
		}
	}
	return n, nil
}

// unnamed is how a user who has not set a name yet is shown in a ticket:
// their address is theirs and their admins' to see.
const unnamed = "Unnamed user"

func (n names) user(id *int64) *Ref {
	if id == nil {
		return nil
	}
	r := userRef(*id, n.users[*id])
	return &r
}

// userRef names user id, "Unnamed user" when name is empty.
func userRef(id int64, name string) Ref {
	if name == "" {
		name = unnamed
	}
	return Ref{ID: id, Name: name}
}

// userName and companyName read the names the views show, and nothing else.
type userName struct {
	bun.BaseModel `bun:"table:users,alias:un"`
	store.TenantOwned
	ID   int64  `bun:"id,pk"`
	Name string `bun:"name"`
}

type companyName struct {
	bun.BaseModel `bun:"table:companies,alias:cn"`
	store.TenantOwned
	ID   int64  `bun:"id,pk"`
	Name string `bun:"name"`
}

// viewFor filters ticket t with its custom values vs and watchers for
// actor a. The caller has loaded t through the actor's scope.
func viewFor(a policy.Actor, cfg *Config, t *Ticket, vs []Value, watchers []int64, n names) View {
	return viewWith(fieldAccess(a, cfg), cfg, t, vs, watchers, n)
}

// fieldAccess is what actor a may do with each field of a ticket: the same
// for every ticket, so a list asks the policy once, not once a ticket (5%
// of erin's list's CPU, docs/performance.md). Views share it read-only.
func fieldAccess(a policy.Actor, cfg *Config) map[policy.TicketField]policy.Access {
	m := map[policy.TicketField]policy.Access{}
	for _, f := range cfg.Fields() {
		m[f] = policy.FieldAccess(a, cfg.Rules, f)
	}
	return m
}

// viewWith is viewFor with the reader's field access.
func viewWith(access map[policy.TicketField]policy.Access, cfg *Config, t *Ticket, vs []Value, watchers []int64, n names) View {
	v := View{
		ID: t.ID, Number: t.Number, Title: t.Title,
		Board: Ref{ID: t.BoardID}, Company: Ref{ID: t.CompanyID, Name: n.companies[t.CompanyID]},
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		access: access,
		facts:  t.facts(watchers),
	}
	if b, ok := cfg.Board(t.BoardID); ok {
		v.Board.Name = b.Name
	}
	if v.Shows(policy.FieldDescription) {
		v.Description = t.Description
	}
	if v.Shows(policy.FieldContact) {
		v.Contact = n.user(t.ContactID)
	}
	if v.Shows(policy.FieldStatus) {
		v.Status = t.Status
	}
	if v.Shows(policy.FieldPriority) {
		v.Priority = t.Priority
	}
	if v.Shows(policy.FieldType) {
		v.Type = t.Type
	}
	if v.Shows(policy.FieldAssignee) {
		v.Assignee = n.user(t.AssigneeID)
	}
	if v.Shows(policy.FieldDueOn) && t.DueOn != nil {
		v.DueOn = *t.DueOn
	}
	if v.Shows(policy.FieldTimeSpent) {
		v.TimeSpent = t.TimeSpent
	}
	if v.Shows(policy.FieldBillingCode) {
		v.BillingCode = t.BillingCode
	}
	if v.Shows(policy.FieldExternalID) && t.ExternalID != nil {
		v.ExternalID = *t.ExternalID
	}
	for _, f := range cfg.CustomFields {
		x := v.access[f.Key()]
		if x == policy.Hidden {
			continue
		}
		cv := CustomValue{Field: f, Access: x}
		for _, val := range vs {
			if val.FieldID == f.ID {
				cv.Value = val.Value
			}
		}
		v.Custom = append(v.Custom, cv)
	}
	return v
}
