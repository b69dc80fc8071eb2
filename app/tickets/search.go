package tickets

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// Search. Each searchable text of a ticket is one row of ticket_search,
// named by its source, so a search can be limited to the sources the
// reader may see: a word that exists only in an Internal note, or only in
// a hidden field, finds nothing for someone who may not read it.
//
// Sources: "title", "description", "field:billing_code",
// "field:external_id", "custom" (ref_id: the custom field) and "note"
// (ref_id: the note type).

// searchSource is one row of the index.
type searchSource struct {
	source string
	refID  int64
	body   string
}

// sourcesOf lists the searchable texts of ticket t with custom values vs.
func sourcesOf(cfg *Config, t *Ticket, vs []Value) []searchSource {
	out := []searchSource{{"title", 0, t.Title}}
	if t.Description != "" {
		out = append(out, searchSource{"description", 0, t.Description})
	}
	if t.BillingCode != "" {
		out = append(out, searchSource{"field:" + string(policy.FieldBillingCode), 0, t.BillingCode})
	}
	if t.ExternalID != nil && *t.ExternalID != "" {
		out = append(out, searchSource{"field:" + string(policy.FieldExternalID), 0, *t.ExternalID})
	}
	for _, v := range vs {
		if f, ok := cfg.CustomField(v.FieldID); ok && (f.Kind == FieldText || f.Kind == FieldChoice) && v.Value != "" {
			out = append(out, searchSource{"custom", f.ID, v.Value})
		}
	}
	return out
}

// text is one row of the search index.
type text struct {
	bun.BaseModel `bun:"table:ticket_texts,alias:tt"`
	store.TenantOwned

	ID       int64  `bun:"id,pk,autoincrement"`
	TicketID int64  `bun:"ticket_id,notnull"`
	Source   string `bun:"source,notnull"`
	RefID    int64  `bun:"ref_id,notnull"`
	Body     string `bun:"body,notnull"`
}

// reindex replaces the index rows of ticket t's own fields (its notes keep theirs).
func reindex(ctx context.Context, tx *store.Scoped, cfg *Config, t *Ticket, vs []Value) error {
	if _, err := tx.Delete((*text)(nil)).Where("tt.ticket_id = ? AND tt.source <> 'note'", t.ID).Exec(ctx); err != nil {
		return fmt.Errorf("tickets: unindex #%d: %w", t.Number, err)
	}
	var rows []text
	for _, s := range sourcesOf(cfg, t, vs) {
		rows = append(rows, text{TicketID: t.ID, Source: s.source, RefID: s.refID, Body: s.body})
	}
	if _, err := tx.Insert(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("tickets: index #%d: %w", t.Number, err)
	}
	return nil
}

// indexNote adds note n to the index.
func indexNote(ctx context.Context, tx *store.Scoped, n *Note) error {
	if _, err := tx.Insert(&text{TicketID: n.TicketID, Source: "note", RefID: n.NoteTypeID, Body: n.Body}).Exec(ctx); err != nil {
		return fmt.Errorf("tickets: index note %d: %w", n.ID, err)
	}
	return nil
}

// textIndex is the full-text index of ticket_texts.
var textIndex = store.TextIndex{FTS5: "ticket_search", Column: "search"}

// searchWhere narrows q to tickets matching text in a source actor a may
// see under rules r, or whose number is the text ("42" or "#42").
func searchWhere(q *bun.SelectQuery, tenantID int64, a policy.Actor, r policy.TicketRules, cfg *Config, text string) *bun.SelectQuery {
	text = strings.TrimSpace(text)
	var number int64
	if n, err := strconv.ParseInt(strings.TrimPrefix(text, "#"), 10, 64); err == nil && n > 0 {
		number = n
	}
	cond, match, matching := textIndex.Match(q, "x", text)
	if !matching && number == 0 {
		return q.Where("1 = 0")
	}
	sources := []string{"title"}
	if policy.FieldAccess(a, r, policy.FieldDescription) != policy.Hidden {
		sources = append(sources, "description")
	}
	for _, f := range []policy.TicketField{policy.FieldBillingCode, policy.FieldExternalID} {
		if policy.FieldAccess(a, r, f) != policy.Hidden {
			sources = append(sources, "field:"+string(f))
		}
	}
	customs := []int64{0}
	for _, f := range cfg.CustomFields {
		if policy.FieldAccess(a, r, f.Key()) != policy.Hidden {
			customs = append(customs, f.ID)
		}
	}
	notes := []int64{0}
	for _, n := range cfg.NoteTypes {
		if policy.CanReadNote(a, r, n.ID) {
			notes = append(notes, n.ID)
		}
	}
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		if number != 0 {
			q = q.WhereOr("t.number = ?", number)
		}
		if matching {
			q = q.WhereOr(`t.id IN (SELECT x.ticket_id FROM ticket_texts AS x
				WHERE `+cond+` AND x.tenant_id + 0 = ?
				AND (x.source IN (?) OR (x.source = 'custom' AND x.ref_id IN (?)) OR (x.source = 'note' AND x.ref_id IN (?))))`,
				match, tenantID, bun.In(sources), bun.In(customs), bun.In(notes))
		}
		return q
	})
}
