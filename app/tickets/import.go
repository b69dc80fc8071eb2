package tickets

import (
	"context"
	"fmt"

	"github.com/atrium-portal/atrium/app/store"
)

// Imported is one ticket for Import: the ticket as it is to be stored
// (its number and ID are assigned) and its notes (their ticket is set).
type Imported struct {
	Ticket Ticket
	Notes  []Note
}

// importChunk is how many rows one INSERT writes.
const importChunk = 500

// Import stores already complete tickets with their notes in a few
// statements, for bulk loading (the synthetic demo data): each is numbered
// after the tenant's highest number, and its texts go into the search index
// as Create and AddNote write them. Nothing is checked against the policy,
// audited or emailed: the caller made the data. Call it inside Tx.
func Import(ctx context.Context, tx *store.Scoped, cfg *Config, items []Imported) error {
	if len(items) == 0 {
		return nil
	}
	if err := tx.LockTenant(ctx); err != nil {
		return err
	}
	var last int64
	if err := tx.Select((*Ticket)(nil)).ColumnExpr("COALESCE(MAX(t.number), 0)").Scan(ctx, &last); err != nil {
		return fmt.Errorf("tickets: next number: %w", err)
	}
	ts := make([]Ticket, len(items))
	for i := range items {
		ts[i] = items[i].Ticket
		ts[i].ID = 0
		ts[i].Number = last + int64(i) + 1
	}
	if err := insertChunks(ctx, tx, ts); err != nil {
		return fmt.Errorf("tickets: import: %w", err)
	}
	var notes []Note
	var texts []text
	for i := range items {
		t := &ts[i]
		items[i].Ticket = *t
		for _, s := range sourcesOf(cfg, t, nil) {
			texts = append(texts, text{TicketID: t.ID, Source: s.source, RefID: s.refID, Body: s.body})
		}
		for j := range items[i].Notes {
			n := items[i].Notes[j]
			n.ID, n.TicketID = 0, t.ID
			notes = append(notes, n)
			texts = append(texts, text{TicketID: t.ID, Source: "note", RefID: n.NoteTypeID, Body: n.Body})
		}
	}
	if err := insertChunks(ctx, tx, notes); err != nil {
		return fmt.Errorf("tickets: import notes: %w", err)
	}
	if err := insertChunks(ctx, tx, texts); err != nil {
		return fmt.Errorf("tickets: import index: %w", err)
	}
	return nil
}

// insertChunks inserts rows importChunk at a time.
func insertChunks[T any](ctx context.Context, tx *store.Scoped, rows []T) error {
	for start := 0; start < len(rows); start += importChunk {
		chunk := rows[start:min(start+importChunk, len(rows))]
		if _, err := tx.Insert(&chunk).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
