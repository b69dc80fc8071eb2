package tickets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
)

// ErrConflict means another ticket of the tenant already has the external ID.
var ErrConflict = errors.New("tickets: another ticket has this external ID")

// By is who performs a change: the actor, whose scope and rights decide,
// the audit record's who, and where emails about the change come from.
type By struct {
	Actor policy.Actor
	Who   audit.Who
	// Mail, when set, emails the ticket's contact, watchers and assignee
	// about the change. The demo's seeding leaves it nil.
	Mail *Mail
	// Settings, when set, keeps the ticket settings between changes
	// (tenant.Cache); without it each change loads them.
	Settings *tenant.Cache
}

// Mail is what the emails of a change need: the tenant, its root URL on
// its primary host (links never come from the request's Host) and its
// logo's version.
type Mail struct {
	Tenant   *tenant.Tenant
	Base     string
	LogoETag string
}

// Fields are the fields a create or change sets; nil leaves a field as it
// is (on create: its default). Each field set must be one the actor may
// edit, else the whole change is refused with *policy.ErrFieldForbidden.
type Fields struct {
	Title       *string
	Description *string
	Status      *Status
	Priority    *Priority
	Type        *Type
	// ContactID 0 means no contact.
	ContactID *int64
	// AssigneeID 0 means unassigned.
	AssigneeID *int64
	// DueOn is YYYY-MM-DD, or "" for none.
	DueOn       *string
	TimeSpent   *int64
	BillingCode *string
	ExternalID  *string
	// Custom sets custom fields by ID; "" clears one.
	Custom map[int64]string
	// BoardID and CompanyID move a ticket (members only, CanMoveTicket).
	BoardID   *int64
	CompanyID *int64
}

// set lists the fields f sets, in the policy's words.
func (f Fields) set() []policy.TicketField {
	var out []policy.TicketField
	add := func(ok bool, k policy.TicketField) {
		if ok {
			out = append(out, k)
		}
	}
	add(f.Title != nil, policy.FieldTitle)
	add(f.Description != nil, policy.FieldDescription)
	add(f.Status != nil, policy.FieldStatus)
	add(f.Priority != nil, policy.FieldPriority)
	add(f.Type != nil, policy.FieldType)
	add(f.ContactID != nil, policy.FieldContact)
	add(f.AssigneeID != nil, policy.FieldAssignee)
	add(f.DueOn != nil, policy.FieldDueOn)
	add(f.TimeSpent != nil, policy.FieldTimeSpent)
	add(f.BillingCode != nil, policy.FieldBillingCode)
	add(f.ExternalID != nil, policy.FieldExternalID)
	ids := make([]int64, 0, len(f.Custom))
	for id := range f.Custom {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		out = append(out, policy.CustomField(id))
	}
	return out
}

// NewTicket is what opening a ticket takes: where it goes and its fields.
// Title is required. For external users the contact defaults to themselves.
type NewTicket struct {
	BoardID   int64
	CompanyID int64
	Fields
}

// Create opens a ticket for by.Actor: on a board and for a company the
// actor may (policy.CanCreateTicket), with only fields the actor may edit,
// and a contact the actor may choose (policy.ContactChoiceOf). It numbers
// the ticket, indexes it, records it and emails a contact who is not the
// actor. Bad values are valid.Errors; a refused board, company or field is
// *policy.ErrFieldForbidden.
func Create(ctx context.Context, db *store.Scoped, by By, in NewTicket) (*View, error) {
	var out *View
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		cfg, err := by.config(ctx, tx)
		if err != nil {
			return err
		}
		t, err := create(ctx, tx, by, cfg, in, nil)
		if err != nil {
			return err
		}
		out, err = reload(ctx, tx, by.Actor, cfg, t.ID)
		return err
	})
	return out, err
}

// create is Create inside a transaction; externalID, when set, is the
// ticket's external ID whoever the actor is (the upsert's key).
func create(ctx context.Context, tx *store.Scoped, by By, cfg *Config, in NewTicket, externalID *string) (*Ticket, error) {
	a, r := by.Actor, cfg.Rules
	errs := valid.Errors{}
	if _, ok := cfg.Board(in.BoardID); !ok {
		errs.Add("board", "Choose a board from the list.")
	}
	if in.CompanyID < 0 || (in.CompanyID == 0 && by.Actor.Kind != policy.Member) {
		errs.Add("company", "Choose a company from the list.")
	}
	if in.Title == nil || strings.TrimSpace(*in.Title) == "" {
		errs.Add("title", "Say in a few words what you need.")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !policy.CanCreateTicket(a, r, in.BoardID, in.CompanyID) {
		return nil, &policy.ErrFieldForbidden{Field: "board"}
	}
	if in.CompanyID != 0 {
		if err := checkCompany(ctx, tx, in.CompanyID); err != nil {
			return nil, err
		}
	}
	f := in.Fields
	if externalID != nil {
		f.ExternalID = nil
	}
	// The contact is chosen by its own rule, not by the contact field's access.
	contact := f.ContactID
	f.ContactID = nil
	for _, k := range f.set() {
		if policy.FieldAccess(a, r, k) != policy.Edit {
			return nil, &policy.ErrFieldForbidden{Field: string(k)}
		}
	}
	now := time.Now().UTC()
	t := &Ticket{
		BoardID: in.BoardID, CompanyID: in.CompanyID, Status: StatusNew, Priority: PriorityNormal, Type: TypeQuestion,
		CreatedAt: now, UpdatedAt: now, CreatedBy: nonZero(a.UserID), ExternalID: externalID,
	}
	if err := chooseContact(ctx, tx, a, cfg, t, contact); err != nil {
		return nil, err
	}
	vs, err := apply(ctx, tx, cfg, t, f, nil)
	if err != nil {
		return nil, err
	}
	if err := tx.LockTenant(ctx); err != nil {
		return nil, err
	}
	var last int64
	if err := tx.Select((*Ticket)(nil)).ColumnExpr("COALESCE(MAX(t.number), 0)").Scan(ctx, &last); err != nil {
		return nil, fmt.Errorf("tickets: next number: %w", err)
	}
	t.Number = last + 1
	if _, err := tx.Insert(t).Exec(ctx); err != nil {
		if store.IsUniqueViolation(err) {
			return nil, ErrConflict
		}
		return nil, fmt.Errorf("tickets: create: %w", err)
	}
	if err := saveValues(ctx, tx, t.ID, vs); err != nil {
		return nil, err
	}
	if err := reindex(ctx, tx, cfg, t, vs); err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, tx, by.Who, audit.TicketCreate, "ticket", t.ID, fmt.Sprintf("#%d %s", t.Number, t.Title)); err != nil {
		return nil, err
	}
	if t.ContactID != nil && *t.ContactID != a.UserID {
		if err := notify(ctx, tx, by, cfg, t, nil, event{opened: true}); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// chooseContact sets the contact of a new ticket t as actor a may choose
// it: external users are the contact themselves unless they may open the
// ticket on behalf of a colleague; members name any candidate, or nobody.
func chooseContact(ctx context.Context, tx *store.Scoped, a policy.Actor, cfg *Config, t *Ticket, want *int64) error {
	choice := policy.ContactChoiceOf(a)
	if want == nil || *want == 0 {
		if choice != policy.ContactAnyone {
			t.ContactID = nonZero(a.UserID)
		}
		return nil
	}
	if *want == a.UserID && choice != policy.ContactAnyone {
		t.ContactID = nonZero(a.UserID)
		return nil
	}
	if choice == policy.ContactSelf {
		return &policy.ErrFieldForbidden{Field: string(policy.FieldContact)}
	}
	ok, err := isCandidate(ctx, tx, cfg, t.BoardID, t.CompanyID, *want)
	if err != nil {
		return err
	}
	if !ok {
		return valid.Errors{"contact": "Choose someone of the ticket's company who can see its board."}
	}
	t.ContactID = want
	return nil
}

func isCandidate(ctx context.Context, tx *store.Scoped, cfg *Config, boardID, companyID, userID int64) (bool, error) {
	u, err := people.UserByID(ctx, tx, userID)
	if errors.Is(err, people.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return u.Status == people.Active && policy.MayBeContactOrWatcher(u.Actor(), cfg.Rules, policy.TicketFacts{BoardID: boardID, CompanyID: companyID}), nil
}

func checkCompany(ctx context.Context, tx *store.Scoped, id int64) error {
	n, err := tx.Select((*companyName)(nil)).Where("cn.id = ?", id).Count(ctx)
	if err != nil {
		return fmt.Errorf("tickets: check company %d: %w", id, err)
	}
	if n == 0 {
		return valid.Errors{"company": "Choose a company from the list."}
	}
	return nil
}

// apply validates the fields f sets and writes them to t; it returns the
// custom values t has afterwards (old ones from vs, changed by f).
func apply(ctx context.Context, tx *store.Scoped, cfg *Config, t *Ticket, f Fields, vs []Value) ([]Value, error) {
	errs := valid.Errors{}
	if f.Title != nil {
		s := strings.TrimSpace(*f.Title)
		switch {
		case s == "":
			errs.Add("title", "Say in a few words what you need.")
		case utf8.RuneCountInString(s) > MaxTitle || !valid.Text(s) || valid.HasControl(s):
			errs.Add("title", fmt.Sprintf("Use at most %d characters on one line.", MaxTitle))
		}
		t.Title = s
	}
	if f.Description != nil {
		s := strings.TrimSpace(*f.Description)
		if utf8.RuneCountInString(s) > MaxDescription || !valid.Text(s) {
			errs.Add("description", fmt.Sprintf("Use at most %d characters.", MaxDescription))
		}
		t.Description = s
	}
	if f.Status != nil {
		if !slices.Contains(Statuses, *f.Status) {
			errs.Add("status", "Choose a status from the list.")
		}
		t.Status = *f.Status
	}
	if f.Priority != nil {
		if !slices.Contains(Priorities, *f.Priority) {
			errs.Add("priority", "Choose a priority from the list.")
		}
		t.Priority = *f.Priority
	}
	if f.Type != nil {
		if !slices.Contains(Types, *f.Type) {
			errs.Add("type", "Choose a type from the list.")
		}
		t.Type = *f.Type
	}
	if f.DueOn != nil {
		switch s := strings.TrimSpace(*f.DueOn); {
		case s == "":
			t.DueOn = nil
		case !isDate(s):
			errs.Add("due_on", "Enter a date as YYYY-MM-DD.")
		default:
			t.DueOn = &s
		}
	}
	if f.TimeSpent != nil {
		if *f.TimeSpent < 0 || *f.TimeSpent > MaxTimeSpent {
			errs.Add("time_spent", "Enter the minutes spent, 0 or more.")
		}
		t.TimeSpent = *f.TimeSpent
	}
	if f.BillingCode != nil {
		s := strings.TrimSpace(*f.BillingCode)
		if utf8.RuneCountInString(s) > MaxBillingCode || valid.HasControl(s) || !valid.Text(s) {
			errs.Add("billing_code", fmt.Sprintf("Use at most %d characters on one line.", MaxBillingCode))
		}
		t.BillingCode = s
	}
	if f.ExternalID != nil {
		s := strings.TrimSpace(*f.ExternalID)
		switch {
		case s == "":
			t.ExternalID = nil
		case utf8.RuneCountInString(s) > MaxExternalID || valid.HasControl(s) || !valid.Text(s):
			errs.Add("external_id", fmt.Sprintf("Use at most %d characters on one line.", MaxExternalID))
		default:
			t.ExternalID = &s
		}
	}
	if f.AssigneeID != nil {
		if *f.AssigneeID == 0 {
			t.AssigneeID = nil
		} else {
			u, err := people.UserByID(ctx, tx, *f.AssigneeID)
			switch {
			case errors.Is(err, people.ErrNotFound):
				errs.Add("assignee", "Choose a member of staff from the list.")
			case err != nil:
				return nil, err
			case u.Kind != policy.Member || u.Status != people.Active:
				errs.Add("assignee", "Choose a member of staff from the list.")
			default:
				t.AssigneeID = f.AssigneeID
			}
		}
	}
	out := slices.Clone(vs)
	for id, raw := range f.Custom {
		cf, ok := cfg.CustomField(id)
		key := "custom_" + strconv.FormatInt(id, 10)
		if !ok {
			errs.Add(key, "This field does not exist.")
			continue
		}
		val, msg := checkCustom(cf, raw)
		if msg != "" {
			errs.Add(key, msg)
			continue
		}
		out = slices.DeleteFunc(out, func(v Value) bool { return v.FieldID == id })
		if val != "" {
			out = append(out, Value{TicketID: t.ID, FieldID: id, Value: val})
		}
	}
	return out, errs.Err()
}

// checkCustom validates a custom field's value; "" clears it.
func checkCustom(f CustomField, raw string) (string, string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", ""
	}
	switch f.Kind {
	case FieldNumber:
		if _, err := strconv.ParseFloat(s, 64); err != nil || len(s) > 40 {
			return "", "Enter a number."
		}
	case FieldDate:
		if !isDate(s) {
			return "", "Enter a date as YYYY-MM-DD."
		}
	case FieldChoice:
		if !slices.Contains(f.Choices, s) {
			return "", "Choose one of the options."
		}
	default:
		if utf8.RuneCountInString(s) > MaxFieldValue || valid.HasControl(s) || !valid.Text(s) {
			return "", fmt.Sprintf("Use at most %d characters on one line.", MaxFieldValue)
		}
	}
	return s, ""
}

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func saveValues(ctx context.Context, tx *store.Scoped, ticketID int64, vs []Value) error {
	if _, err := tx.Delete((*Value)(nil)).Where("tv.ticket_id = ?", ticketID).Exec(ctx); err != nil {
		return fmt.Errorf("tickets: clear values of %d: %w", ticketID, err)
	}
	if len(vs) == 0 {
		return nil
	}
	for i := range vs {
		vs[i].TicketID = ticketID
	}
	if _, err := tx.Insert(&vs).Exec(ctx); err != nil {
		return fmt.Errorf("tickets: save values of %d: %w", ticketID, err)
	}
	return nil
}

// reload reads ticket id back as a sees it, after a change.
func reload(ctx context.Context, tx *store.Scoped, a policy.Actor, cfg *Config, id int64) (*View, error) {
	v, err := Get(ctx, tx, a, cfg, id)
	if errors.Is(err, ErrNotFound) {
		// The change took the ticket out of the actor's sight (a member
		// cannot lose it; an external user's change cannot move it).
		return nil, fmt.Errorf("tickets: ticket %d left the actor's scope: %w", id, ErrNotFound)
	}
	return v, err
}

// Update changes the fields f sets on ticket id, each one the actor may
// edit; moving the ticket to another board or company is for members
// (policy.CanMoveTicket). A status change emails those who may see it.
func Update(ctx context.Context, db *store.Scoped, by By, id int64, f Fields) (*View, error) {
	var out *View
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		cfg, err := by.config(ctx, tx)
		if err != nil {
			return err
		}
		t, watchers, err := load(ctx, tx, by.Actor, cfg, id)
		if err != nil {
			return err
		}
		if err := update(ctx, tx, by, cfg, t, watchers, f); err != nil {
			return err
		}
		out, err = reload(ctx, tx, by.Actor, cfg, id)
		return err
	})
	return out, err
}

// update is Update of a loaded ticket inside a transaction.
func update(ctx context.Context, tx *store.Scoped, by By, cfg *Config, t *Ticket, watchers []int64, f Fields) error {
	a, r := by.Actor, cfg.Rules
	facts := t.facts(watchers)
	if f.BoardID != nil || f.CompanyID != nil {
		if !policy.CanMoveTicket(a, r, facts) {
			return &policy.ErrFieldForbidden{Field: "board"}
		}
	}
	for _, k := range f.set() {
		if !policy.CanEditTicketField(a, r, facts, k) {
			return &policy.ErrFieldForbidden{Field: string(k)}
		}
	}
	before := *t
	errs := valid.Errors{}
	if f.BoardID != nil {
		if _, ok := cfg.Board(*f.BoardID); !ok {
			errs.Add("board", "Choose a board from the list.")
		}
		t.BoardID = *f.BoardID
	}
	if f.CompanyID != nil {
		if *f.CompanyID != 0 {
			if err := checkCompany(ctx, tx, *f.CompanyID); err != nil {
				return err
			}
		}
		t.CompanyID = *f.CompanyID
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if f.ContactID != nil {
		if *f.ContactID == 0 {
			t.ContactID = nil
		} else {
			ok, err := isCandidate(ctx, tx, cfg, t.BoardID, t.CompanyID, *f.ContactID)
			if err != nil {
				return err
			}
			if !ok {
				return valid.Errors{"contact": "Choose someone of the ticket's company who can see its board."}
			}
			t.ContactID = f.ContactID
		}
	}
	old, err := values(ctx, tx, cfg, t.ID)
	if err != nil {
		return err
	}
	vs, err := apply(ctx, tx, cfg, t, f, old)
	if err != nil {
		return err
	}
	changes := changed(cfg, &before, t, old, vs)
	if len(changes) == 0 {
		return nil
	}
	t.UpdatedAt = time.Now().UTC()
	if _, err := tx.Update(t).WherePK().Exec(ctx); err != nil {
		if store.IsUniqueViolation(err) {
			return ErrConflict
		}
		return fmt.Errorf("tickets: update #%d: %w", t.Number, err)
	}
	if err := saveValues(ctx, tx, t.ID, vs); err != nil {
		return err
	}
	if err := reindex(ctx, tx, cfg, t, vs); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, by.Who, audit.TicketChange, "ticket", t.ID,
		fmt.Sprintf("#%d: %s", t.Number, strings.Join(changes, ", "))); err != nil {
		return err
	}
	if before.Status != t.Status {
		return notify(ctx, tx, by, cfg, t, watchers, event{oldStatus: before.Status})
	}
	return nil
}

// changed names the fields that differ between before and after.
func changed(cfg *Config, before, after *Ticket, oldVals, newVals []Value) []string {
	var out []string
	add := func(diff bool, f policy.TicketField) {
		if diff {
			out = append(out, cfg.FieldLabel(f))
		}
	}
	add(before.Title != after.Title, policy.FieldTitle)
	add(before.Description != after.Description, policy.FieldDescription)
	add(before.Status != after.Status, policy.FieldStatus)
	add(before.Priority != after.Priority, policy.FieldPriority)
	add(before.Type != after.Type, policy.FieldType)
	add(!samePtr(before.ContactID, after.ContactID), policy.FieldContact)
	add(!samePtr(before.AssigneeID, after.AssigneeID), policy.FieldAssignee)
	add(!samePtr(before.DueOn, after.DueOn), policy.FieldDueOn)
	add(before.TimeSpent != after.TimeSpent, policy.FieldTimeSpent)
	add(before.BillingCode != after.BillingCode, policy.FieldBillingCode)
	add(!samePtr(before.ExternalID, after.ExternalID), policy.FieldExternalID)
	if before.BoardID != after.BoardID {
		out = append(out, "Board")
	}
	if before.CompanyID != after.CompanyID {
		out = append(out, "Company")
	}
	for _, f := range cfg.CustomFields {
		add(valueOf(oldVals, f.ID) != valueOf(newVals, f.ID), f.Key())
	}
	return out
}

func valueOf(vs []Value, id int64) string {
	for _, v := range vs {
		if v.FieldID == id {
			return v.Value
		}
	}
	return ""
}

func samePtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// AddNote adds a note of type typeID to ticket id: a type the actor may
// add (policy.CanAddNote), on a ticket they can see. Those of the contact,
// watchers and assignee who may read the type are emailed.
func AddNote(ctx context.Context, db *store.Scoped, by By, id, typeID int64, body string) (*NoteView, error) {
	var out *NoteView
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		cfg, err := by.config(ctx, tx)
		if err != nil {
			return err
		}
		t, watchers, err := load(ctx, tx, by.Actor, cfg, id)
		if err != nil {
			return err
		}
		if _, ok := cfg.NoteType(typeID); !ok {
			return valid.Errors{"type": "Choose a kind of note from the list."}
		}
		if !policy.CanAddNote(by.Actor, cfg.Rules, typeID) {
			return &policy.ErrFieldForbidden{Field: "type"}
		}
		body = strings.TrimSpace(body)
		switch {
		case body == "":
			return valid.Errors{"body": "Write something first."}
		case utf8.RuneCountInString(body) > MaxNote || !valid.Text(body):
			return valid.Errors{"body": fmt.Sprintf("Use at most %d characters.", MaxNote)}
		}
		now := time.Now().UTC()
		n := &Note{TicketID: t.ID, NoteTypeID: typeID, Body: body, AuthorID: nonZero(by.Actor.UserID), CreatedAt: now}
		if _, err := tx.Insert(n).Exec(ctx); err != nil {
			return fmt.Errorf("tickets: add note to #%d: %w", t.Number, err)
		}
		if err := indexNote(ctx, tx, n); err != nil {
			return err
		}
		t.UpdatedAt = now
		if _, err := tx.Update(t).Column("updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("tickets: touch #%d: %w", t.Number, err)
		}
		nt, _ := cfg.NoteType(typeID)
		if err := audit.Record(ctx, tx, by.Who, audit.TicketNote, "ticket", t.ID, fmt.Sprintf("#%d: %s note", t.Number, nt.Name)); err != nil {
			return err
		}
		names, err := loadNames(ctx, tx, nil, by.Actor.UserID)
		if err != nil {
			return err
		}
		nv := noteView(cfg, n, names)
		out = &nv
		return notify(ctx, tx, by, cfg, t, watchers, event{note: n})
	})
	return out, err
}

// AddWatcher adds user userID to ticket id's watchers: the actor may add
// watchers there (policy.CanAddWatchers) and the user is one of the
// ticket's company who can see its board (policy.MayBeContactOrWatcher).
func AddWatcher(ctx context.Context, db *store.Scoped, by By, id, userID int64) error {
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		cfg, err := by.config(ctx, tx)
		if err != nil {
			return err
		}
		t, watchers, err := load(ctx, tx, by.Actor, cfg, id)
		if err != nil {
			return err
		}
		if !policy.CanAddWatchers(by.Actor, cfg.Rules, t.facts(watchers)) {
			return &policy.ErrFieldForbidden{Field: "watchers"}
		}
		if slices.Contains(watchers, userID) {
			return nil
		}
		if len(watchers) >= MaxWatchers {
			return valid.Errors{"user": fmt.Sprintf("A ticket has at most %d watchers.", MaxWatchers)}
		}
		ok, err := isCandidate(ctx, tx, cfg, t.BoardID, t.CompanyID, userID)
		if err != nil {
			return err
		}
		if !ok {
			return valid.Errors{"user": "Choose someone of the ticket's company who can see its board."}
		}
		w := &Watcher{TicketID: t.ID, UserID: userID, AddedBy: nonZero(by.Actor.UserID), CreatedAt: time.Now().UTC()}
		if _, err := tx.Insert(w).Exec(ctx); err != nil {
			return fmt.Errorf("tickets: add watcher to #%d: %w", t.Number, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.TicketWatchers, "ticket", t.ID, fmt.Sprintf("#%d: added watcher %d", t.Number, userID))
	})
}

// RemoveWatcher takes user userID off ticket id's watchers: those who may
// add watchers, or the watcher themselves (policy.CanRemoveWatcher).
func RemoveWatcher(ctx context.Context, db *store.Scoped, by By, id, userID int64) error {
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		cfg, err := by.config(ctx, tx)
		if err != nil {
			return err
		}
		t, watchers, err := load(ctx, tx, by.Actor, cfg, id)
		if err != nil {
			return err
		}
		if !policy.CanRemoveWatcher(by.Actor, cfg.Rules, t.facts(watchers), userID) {
			return &policy.ErrFieldForbidden{Field: "watchers"}
		}
		if !slices.Contains(watchers, userID) {
			return nil
		}
		if _, err := tx.Delete((*Watcher)(nil)).Where("tw.ticket_id = ? AND tw.user_id = ?", t.ID, userID).Exec(ctx); err != nil {
			return fmt.Errorf("tickets: remove watcher from #%d: %w", t.Number, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.TicketWatchers, "ticket", t.ID, fmt.Sprintf("#%d: removed watcher %d", t.Number, userID))
	})
}

// Upsert creates or changes the ticket with external ID externalID, for a
// PSA's sync: the first call creates it, a repeat with the same fields
// changes nothing (idempotent), a call with other fields changes them. The
// actor needs the rights of both create and change. It reports whether
// the ticket was created.
func Upsert(ctx context.Context, db *store.Scoped, by By, externalID string, in NewTicket) (*View, bool, error) {
	externalID = strings.TrimSpace(externalID)
	if externalID == "" || utf8.RuneCountInString(externalID) > MaxExternalID || valid.HasControl(externalID) || !valid.Text(externalID) {
		return nil, false, valid.Errors{"external_id": fmt.Sprintf("Use an external ID of 1 to %d characters.", MaxExternalID)}
	}
	var out *View
	created := false
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		cfg, err := by.config(ctx, tx)
		if err != nil {
			return err
		}
		if policy.FieldAccess(by.Actor, cfg.Rules, policy.FieldExternalID) != policy.Edit {
			return &policy.ErrFieldForbidden{Field: string(policy.FieldExternalID)}
		}
		existing := new(Ticket)
		err = selectScoped(tx, existing, policy.TicketsScope(by.Actor, cfg.Rules)).Where("t.external_id = ?", externalID).Scan(ctx)
		switch {
		case err == nil:
			watchers, err := watcherIDs(ctx, tx, existing.ID)
			if err != nil {
				return err
			}
			f := in.Fields
			f.ExternalID = nil
			if in.BoardID != 0 && in.BoardID != existing.BoardID {
				f.BoardID = &in.BoardID
			}
			if in.CompanyID != 0 && in.CompanyID != existing.CompanyID {
				f.CompanyID = &in.CompanyID
			}
			if err := update(ctx, tx, by, cfg, existing, watchers, f); err != nil {
				return err
			}
			out, err = reload(ctx, tx, by.Actor, cfg, existing.ID)
			return err
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("tickets: find external ID: %w", err)
		}
		t, err := create(ctx, tx, by, cfg, in, &externalID)
		if err != nil {
			return err
		}
		created = true
		out, err = reload(ctx, tx, by.Actor, cfg, t.ID)
		return err
	})
	return out, created, err
}
