package tickets

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Settings → Tickets. Each operation checks policy.ManageTicketSettings,
// owns its transaction and writes its audit record (SPEC §10: permission
// settings are audited).

// maxBoards, maxNoteTypes and maxCustomFields bound a tenant's settings.
const (
	maxBoards       = 100
	maxNoteTypes    = 30
	maxCustomFields = 50
)

func mayManage(a policy.Actor) error {
	if !policy.Allows(a, policy.Settings{}, policy.ManageTicketSettings) {
		return &policy.ErrFieldForbidden{Field: "ticket settings"}
	}
	return nil
}

// externalKinds keeps the external kinds of ks, once each, in order: the
// only kinds a board's or note type's list can mean (members always see
// every board and read every note; guests and clients have no tickets).
func externalKinds(ks []policy.Kind, withMember bool) []policy.Kind {
	out := []policy.Kind{}
	for _, k := range policy.TicketKinds {
		if (k != policy.Member || withMember) && slices.Contains(ks, k) {
			out = append(out, k)
		}
	}
	return out
}

func checkName(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > max || valid.HasControl(s) || !valid.Text(s) {
		return s, valid.Errors{field: fmt.Sprintf("Enter a name of 1 to %d characters.", max)}
	}
	return s, nil
}

// BoardInput is a board's settings: its name, the external kinds that see
// it, and for them every company or only Companies.
type BoardInput struct {
	Name         string
	Kinds        []policy.Kind
	AllCompanies bool
	Companies    []int64
}

// SaveBoard creates a board (id 0) or changes one.
func SaveBoard(ctx context.Context, db *store.Scoped, by By, id int64, in BoardInput) (*Board, error) {
	if err := mayManage(by.Actor); err != nil {
		return nil, err
	}
	name, err := checkName("name", in.Name, MaxBoardName)
	if err != nil {
		return nil, err
	}
	b := &Board{ID: id, Name: name, Kinds: externalKinds(in.Kinds, false), AllCompanies: in.AllCompanies}
	companies := slices.Compact(slices.Sorted(slices.Values(in.Companies)))
	if b.AllCompanies {
		companies = nil
	}
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if len(companies) > 0 {
			n, err := tx.Select((*companyName)(nil)).Where("cn.id IN (?)", bun.In(companies)).Count(ctx)
			if err != nil {
				return fmt.Errorf("tickets: check companies: %w", err)
			}
			if int(n) != len(companies) {
				return valid.Errors{"companies": "Choose companies from the list."}
			}
		}
		if id == 0 {
			n, err := tx.Select((*Board)(nil)).Count(ctx)
			if err != nil {
				return fmt.Errorf("tickets: count boards: %w", err)
			}
			if n >= maxBoards {
				return valid.Errors{"name": fmt.Sprintf("A portal has at most %d boards.", maxBoards)}
			}
			b.Position, b.CreatedAt = int(n)+1, time.Now().UTC()
			if _, err := tx.Insert(b).Exec(ctx); err != nil {
				return boardErr(err)
			}
		} else {
			res, err := tx.Update(b).Column("name", "kinds", "all_companies").WherePK().Exec(ctx)
			if err != nil {
				return boardErr(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrNotFound
			}
		}
		if _, err := tx.Delete((*BoardCompany)(nil)).Where("bc.board_id = ?", b.ID).Exec(ctx); err != nil {
			return fmt.Errorf("tickets: clear board companies: %w", err)
		}
		if len(companies) > 0 {
			rows := make([]BoardCompany, len(companies))
			for i, c := range companies {
				rows[i] = BoardCompany{BoardID: b.ID, CompanyID: c}
			}
			if _, err := tx.Insert(&rows).Exec(ctx); err != nil {
				return fmt.Errorf("tickets: save board companies: %w", err)
			}
		}
		who := "every company"
		if !b.AllCompanies {
			who = fmt.Sprintf("%d companies", len(companies))
		}
		return audit.Record(ctx, tx, by.Who, audit.TicketSettings, "board", b.ID,
			fmt.Sprintf("Board %q: members and %v of %s", b.Name, b.Kinds, who))
	})
	return b, err
}

func boardErr(err error) error {
	if store.IsUniqueViolation(err) {
		return valid.Errors{"name": "Another board has this name."}
	}
	return fmt.Errorf("tickets: save board: %w", err)
}

// NoteTypeInput is a note type's settings: the external kinds that read
// it and the kinds that add it (members read every type; whether they add
// it is set here).
type NoteTypeInput struct {
	Name string
	Read []policy.Kind
	Add  []policy.Kind
}

// SaveNoteType creates a note type (id 0) or changes one. A kind that adds
// a type also reads it; external viewers never add.
func SaveNoteType(ctx context.Context, db *store.Scoped, by By, id int64, in NoteTypeInput) (*NoteType, error) {
	if err := mayManage(by.Actor); err != nil {
		return nil, err
	}
	name, err := checkName("name", in.Name, MaxNoteTypeName)
	if err != nil {
		return nil, err
	}
	read := append(externalKinds(in.Read, false), policy.Member)
	add := slices.DeleteFunc(externalKinds(in.Add, true), func(k policy.Kind) bool { return k == policy.ExternalViewer })
	for _, k := range add {
		if !slices.Contains(read, k) {
			read = append(read, k)
		}
	}
	nt := &NoteType{ID: id, Name: name, ReadKinds: externalKinds(read, true), AddKinds: add}
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if id == 0 {
			n, err := tx.Select((*NoteType)(nil)).Count(ctx)
			if err != nil {
				return fmt.Errorf("tickets: count note types: %w", err)
			}
			if n >= maxNoteTypes {
				return valid.Errors{"name": fmt.Sprintf("A portal has at most %d kinds of note.", maxNoteTypes)}
			}
			nt.Position = int(n) + 1
			if _, err := tx.Insert(nt).Exec(ctx); err != nil {
				return noteTypeErr(err)
			}
		} else {
			res, err := tx.Update(nt).Column("name", "read_kinds", "add_kinds").WherePK().Exec(ctx)
			if err != nil {
				return noteTypeErr(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrNotFound
			}
		}
		return audit.Record(ctx, tx, by.Who, audit.TicketSettings, "note_type", nt.ID,
			fmt.Sprintf("Note type %q: read by %v, added by %v", nt.Name, nt.ReadKinds, nt.AddKinds))
	})
	return nt, err
}

func noteTypeErr(err error) error {
	if store.IsUniqueViolation(err) {
		return valid.Errors{"name": "Another kind of note has this name."}
	}
	return fmt.Errorf("tickets: save note type: %w", err)
}

// SaveFieldAccess sets the access of each field for each kind of the
// matrix m. Settings outside a field's floor and ceiling are refused with
// a message rather than silently changed, so the admin sees what applies.
func SaveFieldAccess(ctx context.Context, db *store.Scoped, by By, m map[policy.TicketField]map[policy.Kind]policy.Access) error {
	if err := mayManage(by.Actor); err != nil {
		return err
	}
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		cfg, err := LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		errs := valid.Errors{}
		var rows []FieldAccessRow
		var summary []string
		for _, f := range cfg.Fields() {
			for _, k := range policy.TicketKinds {
				x, ok := m[f][k]
				if !ok {
					continue
				}
				key := "access_" + strings.ReplaceAll(string(f), ":", "_") + "_" + string(k)
				switch {
				case x > policy.CeilingAccess(f, k):
					errs.Add(key, fmt.Sprintf("%s can at most %s %s.", k.Label(), verb(policy.CeilingAccess(f, k)), cfg.FieldLabel(f)))
				case x < policy.FloorAccess(f, k):
					errs.Add(key, fmt.Sprintf("%s cannot be hidden.", cfg.FieldLabel(f)))
				}
				rows = append(rows, FieldAccessRow{Field: f, Kind: k, Access: x.String()})
				summary = append(summary, fmt.Sprintf("%s/%s=%s", f, k, x))
			}
		}
		for f := range m {
			if !slices.Contains(cfg.Fields(), f) {
				errs.Add("field", "Set access only for the fields of the list.")
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		if _, err := tx.Insert(&rows).On("CONFLICT (tenant_id, field, kind) DO UPDATE").Set("access = EXCLUDED.access").Exec(ctx); err != nil {
			return fmt.Errorf("tickets: save field access: %w", err)
		}
		return audit.Record(ctx, tx, by.Who, audit.TicketSettings, "field_access", 0, "Field access: "+strings.Join(summary, " "))
	})
}

func verb(x policy.Access) string {
	switch x {
	case policy.Edit:
		return "edit"
	case policy.Read:
		return "read"
	}
	return "not see"
}

// CustomFieldInput is a new custom field.
type CustomFieldInput struct {
	Name    string
	Kind    FieldKind
	Choices []string
}

// AddCustomField adds a custom field. It starts hidden from external users
// (policy.DefaultAccess) until an admin opens it in the field matrix.
func AddCustomField(ctx context.Context, db *store.Scoped, by By, in CustomFieldInput) (*CustomField, error) {
	if err := mayManage(by.Actor); err != nil {
		return nil, err
	}
	name, err := checkName("name", in.Name, MaxFieldName)
	if err != nil {
		return nil, err
	}
	// A field named like a standard one would be two rows of one name in
	// the field permissions and on every ticket.
	for _, std := range append([]string{"Number", "Board", "Company"}, standardLabels()...) {
		if strings.EqualFold(std, name) {
			return nil, valid.Errors{"name": "A standard field has this name: choose another."}
		}
	}
	if !slices.Contains(FieldKinds, in.Kind) {
		return nil, valid.Errors{"kind": "Choose text, number, date or choice."}
	}
	f := &CustomField{Name: name, Kind: in.Kind, Choices: []string{}}
	if in.Kind == FieldChoice {
		for _, c := range in.Choices {
			c = strings.TrimSpace(c)
			if c == "" || slices.Contains(f.Choices, c) {
				continue
			}
			if utf8.RuneCountInString(c) > MaxFieldName || valid.HasControl(c) || !valid.Text(c) {
				return nil, valid.Errors{"choices": fmt.Sprintf("Each option takes at most %d characters.", MaxFieldName)}
			}
			f.Choices = append(f.Choices, c)
		}
		if len(f.Choices) == 0 || len(f.Choices) > MaxChoices {
			return nil, valid.Errors{"choices": fmt.Sprintf("Give 1 to %d options, one per line.", MaxChoices)}
		}
	}
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		n, err := tx.Select((*CustomField)(nil)).Count(ctx)
		if err != nil {
			return fmt.Errorf("tickets: count custom fields: %w", err)
		}
		if n >= maxCustomFields {
			return valid.Errors{"name": fmt.Sprintf("A portal has at most %d custom fields.", maxCustomFields)}
		}
		f.Position = int(n) + 1
		if _, err := tx.Insert(f).Exec(ctx); err != nil {
			if store.IsUniqueViolation(err) {
				return valid.Errors{"name": "Another field has this name."}
			}
			return fmt.Errorf("tickets: add custom field: %w", err)
		}
		return audit.Record(ctx, tx, by.Who, audit.TicketSettings, "custom_field", f.ID, fmt.Sprintf("Custom field %q (%s)", f.Name, f.Kind))
	})
	return f, err
}

func standardLabels() []string {
	out := make([]string, 0, len(policy.TicketFields))
	for _, f := range policy.TicketFields {
		out = append(out, f.Label())
	}
	return out
}

// SeedDefaults gives a new tenant the note types of the help center
// (Discussion, Resolution, Internal) and a Service Desk board for external
// users of every company, when it has none. Migrations did the same for
// the tenants that existed before tickets.
func SeedDefaults(ctx context.Context, db *store.Scoped) error {
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		n, err := tx.Select((*NoteType)(nil)).Count(ctx)
		if err != nil {
			return fmt.Errorf("tickets: count note types: %w", err)
		}
		ext := []policy.Kind{policy.ExternalEditor, policy.ExternalViewer}
		everyone := []policy.Kind{policy.Member, policy.ExternalEditor, policy.ExternalViewer}
		if n == 0 {
			types := []NoteType{
				{Name: "Discussion", Position: 1, ReadKinds: everyone, AddKinds: []policy.Kind{policy.Member, policy.ExternalEditor}},
				{Name: "Resolution", Position: 2, ReadKinds: everyone, AddKinds: []policy.Kind{policy.Member}},
				{Name: "Internal", Position: 3, ReadKinds: []policy.Kind{policy.Member}, AddKinds: []policy.Kind{policy.Member}},
			}
			if _, err := tx.Insert(&types).Exec(ctx); err != nil {
				return fmt.Errorf("tickets: seed note types: %w", err)
			}
		}
		n, err = tx.Select((*Board)(nil)).Count(ctx)
		if err != nil {
			return fmt.Errorf("tickets: count boards: %w", err)
		}
		if n == 0 {
			b := &Board{Name: "Service Desk", Position: 1, Kinds: ext, AllCompanies: true, CreatedAt: time.Now().UTC()}
			if _, err := tx.Insert(b).Exec(ctx); err != nil {
				return fmt.Errorf("tickets: seed board: %w", err)
			}
		}
		return nil
	})
}

// Backdate sets when a ticket ("ticket": opened at, updated at) or a note
// ("note": written at) happened. Only the demo's seeding uses it, to give
// its tickets a history; nothing a user does reaches it.
func Backdate(ctx context.Context, db *store.Scoped, what string, id int64, at, updated time.Time) error {
	var err error
	switch what {
	case "ticket":
		_, err = db.Update((*Ticket)(nil)).Set("created_at = ?", at).Set("updated_at = ?", updated).Where("t.id = ?", id).Exec(ctx)
	case "note":
		_, err = db.Update((*Note)(nil)).Set("created_at = ?", at).Where("n.id = ?", id).Exec(ctx)
	default:
		err = fmt.Errorf("unknown object %q", what)
	}
	if err != nil {
		return fmt.Errorf("tickets: backdate %s %d: %w", what, id, err)
	}
	return nil
}
