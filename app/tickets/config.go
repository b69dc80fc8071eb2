package tickets

import (
	"context"
	"fmt"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// Config is a tenant's ticket settings: its boards, note types and custom
// fields by name, and the same settings as the policy reads them. Every
// operation loads it once, in its own transaction or read.
type Config struct {
	Boards       []Board
	NoteTypes    []NoteType
	CustomFields []CustomField
	Rules        policy.TicketRules
}

// Board returns the board with id.
func (c *Config) Board(id int64) (Board, bool) {
	for _, b := range c.Boards {
		if b.ID == id {
			return b, true
		}
	}
	return Board{}, false
}

// NoteType returns the note type with id.
func (c *Config) NoteType(id int64) (NoteType, bool) {
	for _, n := range c.NoteTypes {
		if n.ID == id {
			return n, true
		}
	}
	return NoteType{}, false
}

// CustomField returns the custom field with id.
func (c *Config) CustomField(id int64) (CustomField, bool) {
	for _, f := range c.CustomFields {
		if f.ID == id {
			return f, true
		}
	}
	return CustomField{}, false
}

// Fields are the standard fields and then the custom fields, in order.
func (c *Config) Fields() []policy.TicketField {
	out := append([]policy.TicketField{}, policy.TicketFields...)
	for _, f := range c.CustomFields {
		out = append(out, f.Key())
	}
	return out
}

// FieldLabel names field f: a standard field's label or a custom field's name.
func (c *Config) FieldLabel(f policy.TicketField) string {
	if id, ok := f.CustomFieldID(); ok {
		if cf, ok := c.CustomField(id); ok {
			return cf.Name
		}
	}
	return f.Label()
}

// LoadConfig reads the tenant's ticket settings.
func LoadConfig(ctx context.Context, db *store.Scoped) (*Config, error) {
	c := &Config{}
	if err := db.Select(&c.Boards).Relation("Companies").OrderExpr("b.position, b.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tickets: load boards: %w", err)
	}
	if err := db.Select(&c.NoteTypes).OrderExpr("nt.position, nt.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tickets: load note types: %w", err)
	}
	if err := db.Select(&c.CustomFields).OrderExpr("cf.position, cf.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tickets: load custom fields: %w", err)
	}
	var rows []FieldAccessRow
	if err := db.Select(&rows).Scan(ctx); err != nil {
		return nil, fmt.Errorf("tickets: load field access: %w", err)
	}
	c.Rules = rulesOf(c.Boards, c.NoteTypes, rows)
	return c, nil
}

// CachedConfig is LoadConfig through cache, under tenant t's settings
// version: t must have been read before db's reads.
func CachedConfig(ctx context.Context, cache *tenant.Cache, t *tenant.Tenant, db *store.Scoped) (*Config, error) {
	return tenant.Cached(ctx, cache, t, "tickets.Config", func(ctx context.Context) (*Config, error) {
		return LoadConfig(ctx, db)
	})
}

// config is the ticket settings as transaction tx sees them: by.Settings'
// copy when the tenant's settings version, read in tx, is the one it was
// kept under. One statement inside the write transaction instead of five,
// which every other writer waits for (docs/performance.md).
func (by By) config(ctx context.Context, tx *store.Scoped) (*Config, error) {
	if by.Settings == nil {
		return LoadConfig(ctx, tx)
	}
	var version int64
	if err := tx.RawRead("SELECT settings_version FROM tenants WHERE id = ?", tx.TenantID()).Scan(ctx, &version); err != nil {
		return nil, fmt.Errorf("tickets: settings version: %w", err)
	}
	return CachedConfig(ctx, by.Settings, &tenant.Tenant{ID: tx.TenantID(), SettingsVersion: version}, tx)
}

// rulesOf turns stored settings into the policy's rules. A stored access
// that is not one of hidden, read or edit counts as hidden: unreadable
// settings fail closed.
func rulesOf(boards []Board, types []NoteType, rows []FieldAccessRow) policy.TicketRules {
	r := policy.TicketRules{Fields: map[policy.TicketField]map[policy.Kind]policy.Access{}}
	for _, b := range boards {
		br := policy.BoardRule{ID: b.ID, Kinds: b.Kinds, AllCompanies: b.AllCompanies}
		for _, bc := range b.Companies {
			br.Companies = append(br.Companies, bc.CompanyID)
		}
		r.Boards = append(r.Boards, br)
	}
	for _, n := range types {
		r.NoteTypes = append(r.NoteTypes, policy.NoteTypeRule{ID: n.ID, Read: n.ReadKinds, Add: n.AddKinds})
	}
	for _, row := range rows {
		x, _ := policy.ParseAccess(row.Access)
		if r.Fields[row.Field] == nil {
			r.Fields[row.Field] = map[policy.Kind]policy.Access{}
		}
		r.Fields[row.Field][row.Kind] = x
	}
	return r
}
