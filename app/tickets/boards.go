package tickets

import (
	"context"
	"slices"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// BoardsFor are the boards actor a may see, in their order: every board
// for members, the boards of a's ticket scope for external users (the
// boards their kind sees for one of their companies), none for someone
// without the tickets page. It is the scope of TicketsScope, board by board.
func (c *Config) BoardsFor(a policy.Actor) []Board {
	sc := policy.TicketsScope(a, c.Rules)
	out := []Board{}
	if sc.None() {
		return out
	}
	for _, b := range c.Boards {
		if sc.All || slices.ContainsFunc(sc.Grants, func(g policy.BoardGrant) bool { return g.BoardID == b.ID }) {
			out = append(out, b)
		}
	}
	return out
}

// BoardFor returns board id if actor a may see it (BoardsFor).
func (c *Config) BoardFor(a policy.Actor, id int64) (Board, bool) {
	for _, b := range c.BoardsFor(a) {
		if b.ID == id {
			return b, true
		}
	}
	return Board{}, false
}

// WatcherNames names the watchers of tickets vs, by ticket ID, in the
// order they were added. Whoever sees a ticket sees who watches it (the
// ticket's page lists them): names only, never addresses.
func WatcherNames(ctx context.Context, db *store.Scoped, vs []View) (map[int64][]Ref, error) {
	out := map[int64][]Ref{}
	var ids []int64
	for _, v := range vs {
		ids = append(ids, v.facts.Watchers...)
	}
	if len(ids) == 0 {
		return out, nil
	}
	n, err := loadNames(ctx, db, nil, ids...)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		for _, id := range v.facts.Watchers {
			out[v.ID] = append(out[v.ID], *n.user(&id))
		}
	}
	return out, nil
}
