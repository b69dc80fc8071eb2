// Package tickets holds a tenant's tickets (SPEC §7): boards, note types,
// field access and custom fields as an admin sets them, the tickets with
// their notes and watchers, search, and the emails about updates.
//
// Every read starts from the policy: a list through policy.TicketsScope
// (turned into SQL in one function, scopeWhere), one ticket through the
// same scope, and every ticket leaves this package as a View filtered for
// its reader (ViewFor), from which pages, fragments, JSON, CSV and emails
// are all built.
package tickets

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// The longest text each field takes, in characters, checked before
// storage. Forms carry the same numbers as maxlength.
const (
	MaxTitle        = 200
	MaxDescription  = 20000
	MaxNote         = 20000
	MaxBillingCode  = 60
	MaxExternalID   = 120
	MaxBoardName    = 80
	MaxNoteTypeName = 60
	MaxFieldName    = 60
	MaxFieldValue   = 500
	MaxChoices      = 50
	MaxSearch       = 200
	// MaxTimeSpent is ten years of minutes: a bound, not a policy.
	MaxTimeSpent = 10 * 365 * 24 * 60
	// MaxWatchers bounds one ticket's watchers.
	MaxWatchers = 50
	// MaxNotesShown bounds the notes one ticket page shows; the API pages
	// through all of them.
	MaxNotesShown = 500
)

// Status is where a ticket is.
type Status string

// The statuses, in their order of work.
const (
	StatusNew        Status = "new"
	StatusOpen       Status = "open"
	StatusInProgress Status = "in_progress"
	StatusWaiting    Status = "waiting"
	StatusResolved   Status = "resolved"
	StatusClosed     Status = "closed"
)

// Statuses lists every status in order.
var Statuses = []Status{StatusNew, StatusOpen, StatusInProgress, StatusWaiting, StatusResolved, StatusClosed}

// Label is the status in words a client understands.
func (s Status) Label() string {
	switch s {
	case StatusNew:
		return "New"
	case StatusOpen:
		return "Open"
	case StatusInProgress:
		return "In progress"
	case StatusWaiting:
		return "Waiting on you"
	case StatusResolved:
		return "Resolved"
	case StatusClosed:
		return "Closed"
	}
	return string(s)
}

// Done reports whether the ticket needs no more work.
func (s Status) Done() bool { return s == StatusResolved || s == StatusClosed }

// openStatuses are the statuses of tickets that still need work.
func openStatuses() []Status {
	var out []Status
	for _, s := range Statuses {
		if !s.Done() {
			out = append(out, s)
		}
	}
	return out
}

// Priority is how urgent a ticket is.
type Priority string

// The priorities, lowest first.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists every priority, lowest first.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Label is the priority in words.
func (p Priority) Label() string {
	switch p {
	case PriorityLow:
		return "Low"
	case PriorityNormal:
		return "Normal"
	case PriorityHigh:
		return "High"
	case PriorityUrgent:
		return "Urgent"
	}
	return string(p)
}

// rank orders priorities for sorting: urgent is the highest.
func (p Priority) rank() int {
	for i, q := range Priorities {
		if q == p {
			return i
		}
	}
	return -1
}

// Type is what kind of help a ticket asks for.
type Type string

// The types.
const (
	TypeQuestion Type = "question"
	TypeIncident Type = "incident"
	TypeRequest  Type = "request"
	TypeProblem  Type = "problem"
	TypeChange   Type = "change"
)

// Types lists every type.
var Types = []Type{TypeQuestion, TypeIncident, TypeRequest, TypeProblem, TypeChange}

// Label is the type in words.
func (t Type) Label() string {
	switch t {
	case TypeQuestion:
		return "Question"
	case TypeIncident:
		return "Something is broken"
	case TypeRequest:
		return "Request"
	case TypeProblem:
		return "Recurring problem"
	case TypeChange:
		return "Change"
	}
	return string(t)
}

// Board groups tickets; who sees it is its kinds and companies.
type Board struct {
	bun.BaseModel `bun:"table:boards,alias:b"`
	store.TenantOwned

	ID           int64         `bun:"id,pk,autoincrement"`
	Name         string        `bun:"name,notnull"`
	Position     int           `bun:"position,notnull"`
	Kinds        []policy.Kind `bun:"kinds,type:text,notnull"`
	AllCompanies bool          `bun:"all_companies,notnull"`
	CreatedAt    time.Time     `bun:"created_at,notnull"`

	Companies []BoardCompany `bun:"rel:has-many,join:id=board_id,join:tenant_id=tenant_id"`
}

// BoardCompany lets external users of a company see a board that is not
// for every company.
type BoardCompany struct {
	bun.BaseModel `bun:"table:board_companies,alias:bc"`
	store.TenantOwned

	BoardID   int64 `bun:"board_id,pk"`
	CompanyID int64 `bun:"company_id,pk"`
}

// NoteType is a kind of note with who may read and add it.
type NoteType struct {
	bun.BaseModel `bun:"table:note_types,alias:nt"`
	store.TenantOwned

	ID        int64         `bun:"id,pk,autoincrement"`
	Name      string        `bun:"name,notnull"`
	Position  int           `bun:"position,notnull"`
	ReadKinds []policy.Kind `bun:"read_kinds,type:text,notnull"`
	AddKinds  []policy.Kind `bun:"add_kinds,type:text,notnull"`
}

// FieldKind is what a custom field holds.
type FieldKind string

// The kinds of custom field.
const (
	FieldText   FieldKind = "text"
	FieldNumber FieldKind = "number"
	FieldDate   FieldKind = "date"
	FieldChoice FieldKind = "choice"
)

// FieldKinds lists the kinds of custom field.
var FieldKinds = []FieldKind{FieldText, FieldNumber, FieldDate, FieldChoice}

// CustomField is a field a tenant adds to its tickets.
type CustomField struct {
	bun.BaseModel `bun:"table:ticket_custom_fields,alias:cf"`
	store.TenantOwned

	ID       int64     `bun:"id,pk,autoincrement"`
	Name     string    `bun:"name,notnull"`
	Kind     FieldKind `bun:"kind,notnull"`
	Choices  []string  `bun:"choices,type:text,notnull"`
	Position int       `bun:"position,notnull"`
}

// Key is the field's key in the policy and the API.
func (f CustomField) Key() policy.TicketField { return policy.CustomField(f.ID) }

// FieldAccessRow is an admin's setting of one field for one kind.
type FieldAccessRow struct {
	bun.BaseModel `bun:"table:ticket_field_access,alias:fa"`
	store.TenantOwned

	Field  policy.TicketField `bun:"field,pk"`
	Kind   policy.Kind        `bun:"kind,pk"`
	Access string             `bun:"access,notnull"`
}

// Ticket is one ticket as stored. It never leaves the package: readers get
// a View.
type Ticket struct {
	bun.BaseModel `bun:"table:tickets,alias:t"`
	store.TenantOwned

	ID          int64     `bun:"id,pk,autoincrement"`
	Number      int64     `bun:"number,notnull"`
	Title       string    `bun:"title,notnull"`
	Description string    `bun:"description,notnull"`
	BoardID     int64     `bun:"board_id,notnull"`
	CompanyID   int64     `bun:"company_id,nullzero"` // 0: the tenant's own work
	ContactID   *int64    `bun:"contact_id"`
	Status      Status    `bun:"status,notnull"`
	Priority    Priority  `bun:"priority,notnull"`
	Type        Type      `bun:"type,notnull"`
	AssigneeID  *int64    `bun:"assignee_id"`
	DueOn       *string   `bun:"due_on"`
	TimeSpent   int64     `bun:"time_spent,notnull"`
	BillingCode string    `bun:"billing_code,notnull"`
	ExternalID  *string   `bun:"external_id"`
	CreatedBy   *int64    `bun:"created_by"`
	CreatedAt   time.Time `bun:"created_at,notnull"`
	// The names of the contact, assignee and company, read with a list's
	// rows (withNames); never written.
	ContactName  *string   `bun:"contact_name,scanonly"`
	AssigneeName *string   `bun:"assignee_name,scanonly"`
	CompanyName  *string   `bun:"company_name,scanonly"`
	UpdatedAt    time.Time `bun:"updated_at,notnull"`

	// SortKey is the list's sort key as stored, for its cursor.
	SortKey string `bun:"sort_key,scanonly"`
}

// facts are what the policy needs of t, with its watchers.
func (t *Ticket) facts(watchers []int64) policy.TicketFacts {
	f := policy.TicketFacts{BoardID: t.BoardID, CompanyID: t.CompanyID, Watchers: watchers}
	if t.ContactID != nil {
		f.ContactID = *t.ContactID
	}
	return f
}

// Value is a ticket's value of a custom field.
type Value struct {
	bun.BaseModel `bun:"table:ticket_values,alias:tv"`
	store.TenantOwned

	TicketID int64  `bun:"ticket_id,pk"`
	FieldID  int64  `bun:"field_id,pk"`
	Value    string `bun:"value,notnull"`
}

// Watcher follows a ticket.
type Watcher struct {
	bun.BaseModel `bun:"table:ticket_watchers,alias:tw"`
	store.TenantOwned

	TicketID  int64     `bun:"ticket_id,pk"`
	UserID    int64     `bun:"user_id,pk"`
	AddedBy   *int64    `bun:"added_by"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// Note is one entry of a ticket's timeline.
type Note struct {
	bun.BaseModel `bun:"table:ticket_notes,alias:n"`
	store.TenantOwned

	ID         int64     `bun:"id,pk,autoincrement"`
	TicketID   int64     `bun:"ticket_id,notnull"`
	NoteTypeID int64     `bun:"note_type_id,notnull"`
	Body       string    `bun:"body,notnull"`
	AuthorID   *int64    `bun:"author_id"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
}
