package office365

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// By is who changes the data: the actor, whose rights decide, and the
// audit record's who.
type By struct {
	Actor policy.Actor
	Who   audit.Who
}

// Import is one change to a company's data: a CSV file's rows or an API
// request's items, of one kind. Rows that match nothing are added, rows
// that match (users by email, licences by SKU) change what differs, and
// with RemoveMissing what the rows do not name is removed.
type Import struct {
	Kind          Kind
	CompanyID     int64
	Licences      []LicenceInput
	Users         []UserInput
	RemoveMissing bool
	// FromFile says the rows came from a CSV file (the audit record's words).
	FromFile bool
}

// Action is what an import does to one row.
type Action string

// The actions.
const (
	Add    Action = "add"
	Update Action = "change"
	Same   Action = "same"
	Remove Action = "remove"
)

// Change is one row of a plan: what the row is, what happens to it, what
// changes and, when it is wrong, why.
type Change struct {
	Row    int
	Key    string // the email or SKU
	Name   string // the display name or licence name
	Action Action
	// Fields are the columns that change; Details say how ("total: 30 → 32").
	Fields  []string
	Details []string
	Errors  []RowError

	licence *Licence
	user    *User
	skus    []string
	// old is the matching row, for Update, Same and Remove.
	oldID int64
}

// Plan is what an import will do, or did: every row with its action, the
// errors of the rows (an import with any imports nothing) and the counts.
type Plan struct {
	Kind          Kind
	Company       Company
	RemoveMissing bool
	Changes       []Change
	Errors        []RowError

	// The rows added, changed, left as they were and removed.
	Added, Changed, Unchanged, Removed int
}

// OK reports a plan without errors: it can be applied.
func (p *Plan) OK() bool { return len(p.Errors) == 0 }

// Empty reports a plan that changes nothing.
func (p *Plan) Empty() bool { return p.Added+p.Changed+p.Removed == 0 }

// RowsError refuses an import with bad rows; nothing of it was imported.
type RowsError struct{ Plan *Plan }

func (e *RowsError) Error() string {
	return fmt.Sprintf("office365: %d rows need attention", len(e.Plan.Errors))
}

var skuRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:+-]*$`)

func goodSKU(s string) bool {
	return len(s) <= MaxSKU && skuRE.MatchString(s) && !strings.EqualFold(s, NoLicence)
}

var emailRE = regexp.MustCompile(`^[^@\s"<>()\[\],;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`)

// parseTime reads a last sign-in: a date (YYYY-MM-DD) or a date and time,
// taken as UTC without a zone; "" is never or unknown.
func parseTime(s string) (*time.Time, bool) {
	if s == "" {
		return nil, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC().Truncate(time.Second)
			return &t, true
		}
	}
	return nil, false
}

// Preview is what applying in would do to the company's data, as a may
// read it, without changing anything. A company outside a's scope is
// ErrNotFound.
func Preview(ctx context.Context, db *store.Scoped, a policy.Actor, in Import) (*Plan, error) {
	return plan(ctx, db, a, in, time.Now().UTC())
}

// Apply imports in for by.Actor in one transaction with one audit record,
// or nothing: a plan with row errors is *RowsError and changes nothing,
// and a plan that changes nothing writes nothing and records nothing (the
// same request twice is one change). Only those who may edit
// (policy.EditOffice365) apply: ErrForbidden.
func Apply(ctx context.Context, db *store.Scoped, by By, in Import) (*Plan, error) {
	if !policy.Allows(by.Actor, policy.Settings{}, policy.EditOffice365) {
		if !policy.CanSeePage(by.Actor, policy.Settings{}, policy.PageOffice365) {
			return nil, ErrNotFound
		}
		return nil, ErrForbidden
	}
	var out *Plan
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		now := time.Now().UTC()
		p, err := plan(ctx, tx, by.Actor, in, now)
		if err != nil {
			return err
		}
		out = p
		if !p.OK() {
			return &RowsError{Plan: p}
		}
		if p.Empty() {
			return nil
		}
		if in.Kind == KindLicences {
			err = writeLicences(ctx, tx, p)
		} else {
			err = writeUsers(ctx, tx, p)
		}
		if err != nil {
			return err
		}
		action, how := audit.Office365Sync, "through the API"
		if in.FromFile {
			action, how = audit.Office365Import, "from a CSV file"
		}
		summary := fmt.Sprintf("%s: %s %s — %d added, %d changed, %d removed",
			p.Company.Name, in.Kind, how, p.Added, p.Changed, p.Removed)
		return audit.Record(ctx, tx, by.Who, action, "company", p.Company.ID, summary)
	})
	return out, err
}

func plan(ctx context.Context, db *store.Scoped, a policy.Actor, in Import, now time.Time) (*Plan, error) {
	if !in.Kind.Valid() {
		return nil, valid.Errors{"kind": "Choose users or licences."}
	}
	c, err := company(ctx, db, a, in.CompanyID)
	if err != nil {
		return nil, err
	}
	p := &Plan{Kind: in.Kind, Company: c, RemoveMissing: in.RemoveMissing}
	var ls []Licence
	if err := selectScoped(db, &ls, a).Where("ml.company_id = ?", c.ID).OrderExpr("ml.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("office365: licences: %w", err)
	}
	if in.Kind == KindLicences {
		planLicences(p, ls, in.Licences, now)
	} else if err := planUsers(ctx, db, a, p, ls, in.Users, now); err != nil {
		return nil, err
	}
	for i := range p.Changes {
		ch := &p.Changes[i]
		if ch.Action == Update && len(ch.Fields) == 0 {
			ch.Action = Same
		}
		p.Errors = append(p.Errors, ch.Errors...)
		switch ch.Action {
		case Add:
			p.Added++
		case Update:
			p.Changed++
		case Same:
			p.Unchanged++
		case Remove:
			p.Removed++
		}
	}
	return p, nil
}

func planLicences(p *Plan, current []Licence, rows []LicenceInput, now time.Time) {
	bySKU := map[string]*Licence{}
	for i := range current {
		bySKU[strings.ToUpper(current[i].SKU)] = &current[i]
	}
	seen := map[string]int{}
	for _, r := range rows {
		ch := Change{Row: r.Row, Key: strings.TrimSpace(r.SKU), Name: strings.TrimSpace(r.Name)}
		bad := func(col, msg string) { ch.Errors = append(ch.Errors, RowError{Row: r.Row, Column: col, Message: msg}) }
		l := &Licence{CompanyID: p.Company.ID, SKU: ch.Key, Name: ch.Name, UpdatedAt: now}
		switch {
		case ch.Key == "":
			bad("sku", "Enter the licence's SKU, e.g. O365_BUSINESS_PREMIUM.")
		case !goodSKU(ch.Key):
			bad("sku", fmt.Sprintf("Use at most %d letters, digits and _ . : + - for a SKU.", MaxSKU))
		case seen[strings.ToUpper(ch.Key)] != 0:
			bad("sku", fmt.Sprintf("Duplicate SKU: row %d has it too.", seen[strings.ToUpper(ch.Key)]))
		default:
			seen[strings.ToUpper(ch.Key)] = r.Row
		}
		switch {
		case ch.Name == "":
			bad("name", "Enter the licence's name, e.g. Microsoft 365 Business Premium.")
		case valid.Line(ch.Name, MaxLicenceName) != "":
			bad("name", valid.Line(ch.Name, MaxLicenceName))
		}
		total, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(r.Total), ",", ""))
		if err != nil || total < 0 || total > MaxTotal {
			bad("total", "Enter how many licences the company has, a whole number from 0.")
		}
		l.Total = total
		ch.licence = l
		old := bySKU[strings.ToUpper(ch.Key)]
		switch {
		case old == nil:
			ch.Action = Add
		default:
			delete(bySKU, strings.ToUpper(ch.Key))
			ch.oldID, l.ID = old.ID, old.ID
			if old.Name != l.Name {
				ch.changed("name", old.Name, l.Name)
			}
			if old.Total != l.Total {
				ch.changed("total", strconv.Itoa(old.Total), strconv.Itoa(l.Total))
			}
			ch.Action = Update // Same when nothing differs, decided in plan
		}
		p.Changes = append(p.Changes, ch)
	}
	if p.RemoveMissing {
		for _, l := range current {
			if _, left := bySKU[strings.ToUpper(l.SKU)]; left {
				p.Changes = append(p.Changes, Change{Key: l.SKU, Name: l.Name, Action: Remove, oldID: l.ID})
			}
		}
	}
}

func planUsers(ctx context.Context, db *store.Scoped, a policy.Actor, p *Plan, ls []Licence, rows []UserInput, now time.Time) error {
	var current []User
	if err := selectScoped(db, &current, a).Where("mu.company_id = ?", p.Company.ID).OrderExpr("mu.id").Scan(ctx); err != nil {
		return fmt.Errorf("office365: users: %w", err)
	}
	held, err := heldSKUs(ctx, db, p.Company.ID)
	if err != nil {
		return err
	}
	skus := map[string]string{} // upper → as stored
	var known []string
	for _, l := range ls {
		skus[strings.ToUpper(l.SKU)] = l.SKU
		known = append(known, l.SKU)
	}
	byEmail := map[string]*User{}
	for i := range current {
		byEmail[strings.ToLower(current[i].Email)] = &current[i]
	}
	seen := map[string]int{}
	for _, r := range rows {
		email := strings.ToLower(strings.TrimSpace(r.Email))
		ch := Change{Row: r.Row, Key: email, Name: strings.TrimSpace(r.DisplayName)}
		bad := func(col, msg string) { ch.Errors = append(ch.Errors, RowError{Row: r.Row, Column: col, Message: msg}) }
		switch {
		case email == "":
			bad("email", "Enter the user's email address (their sign-in name).")
		case len(email) > valid.MaxEmail || !emailRE.MatchString(email):
			bad("email", "Enter an address like name@example.com.")
		case seen[email] != 0:
			bad("email", fmt.Sprintf("Duplicate email: row %d has it too.", seen[email]))
		default:
			seen[email] = r.Row
		}
		switch {
		case ch.Name == "":
			bad("display_name", "Enter the user's name.")
		case valid.Line(ch.Name, MaxDisplayName) != "":
			bad("display_name", valid.Line(ch.Name, MaxDisplayName))
		}
		mfa := MFA(strings.ToLower(strings.TrimSpace(r.MFA)))
		if mfa == "" {
			mfa = MFAUnknown
		}
		if !mfa.Valid() {
			bad("mfa", "Use enforced, enabled, disabled or unknown (or leave it empty).")
		}
		last, ok := parseTime(strings.TrimSpace(r.LastSignIn))
		switch {
		case !ok:
			bad("last_sign_in", "Enter a date as YYYY-MM-DD (a time may follow), or leave it empty for never.")
		case last != nil && last.After(now.Add(24*time.Hour)):
			bad("last_sign_in", "This date is in the future.")
		}
		var want []string
		for _, s := range r.Licences {
			stored, ok := skus[strings.ToUpper(strings.TrimSpace(s))]
			switch {
			case !ok && len(known) == 0:
				bad("licences", fmt.Sprintf("Unknown licence %q: this company has no licences yet. Import its licences first.", s))
			case !ok:
				bad("licences", fmt.Sprintf("Unknown licence %q. This company has: %s. Import new licences first.", s, strings.Join(known, ", ")))
			case !slices.Contains(want, stored):
				want = append(want, stored)
			}
		}
		slices.Sort(want)
		ch.skus = want
		u := &User{CompanyID: p.Company.ID, Email: email, DisplayName: ch.Name, MFA: mfa, LastSignIn: last, UpdatedAt: now}
		ch.user = u
		if old := byEmail[email]; old == nil {
			ch.Action = Add
		} else {
			delete(byEmail, email)
			ch.oldID, u.ID = old.ID, old.ID
			if old.DisplayName != u.DisplayName {
				ch.changed("display_name", old.DisplayName, u.DisplayName)
			}
			if old.MFA != u.MFA {
				ch.changed("mfa", string(old.MFA), string(u.MFA))
			}
			if !sameTime(old.LastSignIn, u.LastSignIn) {
				ch.changed("last_sign_in", dateOf(old.LastSignIn), dateOf(u.LastSignIn))
			}
			if !slices.Equal(held[old.ID], want) {
				ch.changed("licences", strings.Join(held[old.ID], "; "), strings.Join(want, "; "))
			}
			ch.Action = Update // Same when nothing differs, decided in plan
		}
		p.Changes = append(p.Changes, ch)
	}
	if p.RemoveMissing {
		for _, u := range current {
			if _, left := byEmail[strings.ToLower(u.Email)]; left {
				p.Changes = append(p.Changes, Change{Key: u.Email, Name: u.DisplayName, Action: Remove, oldID: u.ID})
			}
		}
	}
	return nil
}

// changed notes that column changes from before to after.
func (ch *Change) changed(column, before, after string) {
	if before == "" {
		before = "none"
	}
	if after == "" {
		after = "none"
	}
	ch.Fields = append(ch.Fields, column)
	ch.Details = append(ch.Details, column+": "+before+" → "+after)
}

func dateOf(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Truncate(time.Second).Equal(b.Truncate(time.Second))
}

// heldSKUs are the SKUs each user of company holds, sorted.
func heldSKUs(ctx context.Context, db *store.Scoped, companyID int64) (map[int64][]string, error) {
	var rows []struct {
		UserID int64  `bun:"user_id"`
		SKU    string `bun:"sku"`
	}
	err := db.Select((*Assignment)(nil)).ColumnExpr("ma.user_id, ml.sku").
		Join("JOIN m365_licences AS ml ON ml.tenant_id = ma.tenant_id AND ml.id = ma.licence_id").
		Where("ma.company_id = ?", companyID).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("office365: assignments: %w", err)
	}
	out := map[int64][]string{}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.SKU)
	}
	for _, s := range out {
		slices.Sort(s)
	}
	return out, nil
}

// chunk is how many rows one INSERT carries.
const chunk = 400

func insertChunks[T any](ctx context.Context, tx *store.Scoped, rows []T) error {
	for len(rows) > 0 {
		n := min(chunk, len(rows))
		part := rows[:n]
		if _, err := tx.Insert(&part).Exec(ctx); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func writeLicences(ctx context.Context, tx *store.Scoped, p *Plan) error {
	var add []Licence
	var gone []int64
	for _, ch := range p.Changes {
		switch ch.Action {
		case Add:
			add = append(add, *ch.licence)
		case Update:
			if _, err := tx.Update(ch.licence).Column("name", "total", "updated_at").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("office365: change licence %s: %w", ch.Key, err)
			}
		case Remove:
			gone = append(gone, ch.oldID)
		}
	}
	if err := insertChunks(ctx, tx, add); err != nil {
		return fmt.Errorf("office365: add licences: %w", err)
	}
	if len(gone) > 0 {
		if _, err := tx.Delete((*Licence)(nil)).Where("ml.id IN (?)", bun.In(gone)).Exec(ctx); err != nil {
			return fmt.Errorf("office365: remove licences: %w", err)
		}
	}
	return nil
}

func writeUsers(ctx context.Context, tx *store.Scoped, p *Plan) error {
	var add []User
	var gone, reassign []int64
	for _, ch := range p.Changes {
		switch ch.Action {
		case Add:
			add = append(add, *ch.user)
		case Update:
			if _, err := tx.Update(ch.user).Column("display_name", "mfa", "last_sign_in", "updated_at").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("office365: change user %s: %w", ch.Key, err)
			}
			if slices.Contains(ch.Fields, "licences") {
				reassign = append(reassign, ch.oldID)
			}
		case Remove:
			gone = append(gone, ch.oldID)
		}
	}
	if err := insertChunks(ctx, tx, add); err != nil {
		return fmt.Errorf("office365: add users: %w", err)
	}
	for i := 0; i < len(gone); i += chunk {
		part := gone[i:min(i+chunk, len(gone))]
		if _, err := tx.Delete((*User)(nil)).Where("mu.id IN (?)", bun.In(part)).Exec(ctx); err != nil {
			return fmt.Errorf("office365: remove users: %w", err)
		}
	}
	for i := 0; i < len(reassign); i += chunk {
		part := reassign[i:min(i+chunk, len(reassign))]
		if _, err := tx.Delete((*Assignment)(nil)).Where("ma.user_id IN (?)", bun.In(part)).Exec(ctx); err != nil {
			return fmt.Errorf("office365: clear licences: %w", err)
		}
	}
	// The IDs of the users just added, and of the licences, by key.
	var us []User
	if err := tx.Select(&us).Column("id", "email").Where("mu.company_id = ?", p.Company.ID).Scan(ctx); err != nil {
		return fmt.Errorf("office365: reload users: %w", err)
	}
	userID := map[string]int64{}
	for _, u := range us {
		userID[strings.ToLower(u.Email)] = u.ID
	}
	var ls []Licence
	if err := tx.Select(&ls).Column("id", "sku").Where("ml.company_id = ?", p.Company.ID).Scan(ctx); err != nil {
		return fmt.Errorf("office365: reload licences: %w", err)
	}
	licenceID := map[string]int64{}
	for _, l := range ls {
		licenceID[l.SKU] = l.ID
	}
	var as []Assignment
	for _, ch := range p.Changes {
		if ch.Action != Add && !(ch.Action == Update && slices.Contains(ch.Fields, "licences")) {
			continue
		}
		for _, sku := range ch.skus {
			as = append(as, Assignment{CompanyID: p.Company.ID, UserID: userID[ch.Key], LicenceID: licenceID[sku]})
		}
	}
	if err := insertChunks(ctx, tx, as); err != nil {
		return fmt.Errorf("office365: assign licences: %w", err)
	}
	return nil
}

// IsRowsError returns the plan of a refused import.
func IsRowsError(err error) (*Plan, bool) {
	var re *RowsError
	if errors.As(err, &re) {
		return re.Plan, true
	}
	return nil, false
}
