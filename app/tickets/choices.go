package tickets

import (
	"github.com/uptrace/bun"

	"context"
	"fmt"
	"slices"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// The choices pages offer next to the tickets: which boards a reader may
// filter by, whom a ticket may be assigned to, who is assigned in the
// reader's tickets. Each is derived from the same scope and rules as the
// tickets themselves, so a choice never names what the list would not show.

// MembersOnly reports whether only members read notes of type n: the
// timeline marks them as internal.
func (n NoteType) MembersOnly() bool {
	return !slices.ContainsFunc(n.ReadKinds, policy.Kind.External)
}

// Assignees are the users a ticket may be assigned to: the tenant's active
// members, by name (the rule apply checks). Only those who edit the
// assignee field ask for them.
func Assignees(ctx context.Context, db *store.Scoped) ([]Ref, error) {
	var us []people.User
	err := db.Select(&us).Column("u.id", "u.name").
		Where("u.status = ? AND u.kind IN (?)", people.Active, bun.In(policy.KindsWhere(policy.MayBeAssigned))).
		OrderExpr("u.name, u.id").Limit(maxCandidates).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("tickets: load assignees: %w", err)
	}
	out := make([]Ref, 0, len(us))
	for _, u := range us {
		out = append(out, Ref{ID: u.ID, Name: displayName(u.Name)})
	}
	return out, nil
}

// AssignedIn are the users assigned to tickets in actor a's scope, by
// name: the choices of a list's assignee filter, which name nobody the
// reader could not already see on a ticket. Nil when a may not see the
// assignee field.
func AssignedIn(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config) ([]Ref, error) {
	if policy.FieldAccess(a, cfg.Rules, policy.FieldAssignee) == policy.Hidden {
		return nil, nil
	}
	// Each user, then whether one ticket in scope is theirs: a seek per
	// user on tickets_assignee. "DISTINCT assignee_id over the scope"
	// walked that index over every ticket of the tenant: 430 ms for erin
	// over 200,000 tickets, against 2 ms this way (docs/performance.md).
	// SQLite is told the index: left to itself it walked the company's
	// tickets for each of the tenant's 331 users, 20 s. Only the kinds a
	// ticket can be assigned to are asked about: 23 of those 331 users,
	// 2.3 ms of erin's list page down to 0.3 ms.
	var out []Ref
	inScope := selectScoped(db, (*Ticket)(nil), policy.TicketsScope(a, cfg.Rules)).
		ModelTableExpr(db.IndexedBy("tickets AS t", "tickets_assignee")).
		ColumnExpr("1").Where("t.assignee_id = un.id")
	var rows []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	if err := db.Select((*userName)(nil)).Column("un.id", "un.name").
		Where("un.kind IN (?)", bun.In(policy.KindsWhere(policy.MayBeAssigned))).Where("EXISTS (?)", inScope).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("tickets: load assignees in scope: %w", err)
	}
	for _, r := range rows {
		out = append(out, userRef(r.ID, r.Name))
	}
	slices.SortFunc(out, func(x, y Ref) int {
		if x.Name != y.Name {
			if x.Name < y.Name {
				return -1
			}
			return 1
		}
		return int(x.ID - y.ID)
	})
	return out, nil
}
