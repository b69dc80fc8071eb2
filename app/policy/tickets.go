package policy

import (
	"slices"
	"strconv"
	"strings"
)

// Tickets (SPEC §7). Who sees a ticket, which of its fields and notes, and
// who may change what, are decided here from the actor and the tenant's
// ticket settings (TicketRules), which the tickets package loads from the
// rows an admin edits in Settings → Tickets. The same functions decide a
// list's scope (TicketsScope), a single ticket (CanSeeTicket), a field
// (FieldAccess) and a note (CanReadNote, CanAddNote), so a page, a
// fragment, the JSON, the CSV, a search and an email cannot disagree.

// The rules of the ticket routes.
const (
	// CreateTickets opens the new-ticket form and its POST: members and
	// external editors with the tickets page. Which board and company they
	// may choose is CanCreateTicket.
	CreateTickets Rule = "tickets.create"
	// EditTickets covers changing fields, adding notes and watchers: the
	// same people. Each ticket, field and note type is then checked.
	EditTickets Rule = "tickets.edit"
	// ManageTicketSettings covers Settings → Tickets: boards, field access,
	// note types and custom fields (super admins and admins, SPEC §4.2).
	ManageTicketSettings Rule = "settings.tickets"
)

func init() {
	for r, f := range map[Rule]func(Actor) bool{
		CreateTickets:        mayWriteTickets,
		EditTickets:          mayWriteTickets,
		ManageTicketSettings: func(a Actor) bool { return a.HasAny(SuperAdmin, Admin) },
	} {
		actionRules[r] = f
	}
}

// mayWriteTickets: members and external editors write tickets; external
// viewers read; guests and clients have no tickets page.
func mayWriteTickets(a Actor) bool {
	return (a.Kind == Member || a.Kind == ExternalEditor) && a.ticketsPage()
}

// ticketsPage reports whether the tickets page is within the actor's kind
// and, for external users, shown by their module settings. Tenant toggles
// do not touch it, so no Settings is needed.
func (a Actor) ticketsPage() bool { return CanSeePage(a, Settings{}, PageTickets) }

// TicketField is a ticket field whose access an admin sets per kind.
type TicketField string

// The standard ticket fields an admin sets access for. The number, board,
// company and timestamps are how a ticket is known and are read by everyone
// who sees it.
const (
	FieldTitle       TicketField = "title"
	FieldDescription TicketField = "description"
	FieldStatus      TicketField = "status"
	FieldPriority    TicketField = "priority"
	FieldType        TicketField = "type"
	FieldContact     TicketField = "contact"
	FieldAssignee    TicketField = "assignee"
	FieldDueOn       TicketField = "due_on"
	FieldTimeSpent   TicketField = "time_spent"
	FieldBillingCode TicketField = "billing_code"
	FieldExternalID  TicketField = "external_id"
)

// TicketFields are the standard fields in the order forms and the
// Settings matrix show them.
var TicketFields = []TicketField{
	FieldTitle, FieldDescription, FieldStatus, FieldPriority, FieldType, FieldContact,
	FieldAssignee, FieldDueOn, FieldTimeSpent, FieldBillingCode, FieldExternalID,
}

// CustomField is the field key of custom field id.
func CustomField(id int64) TicketField { return TicketField("custom:" + strconv.FormatInt(id, 10)) }

// CustomFieldID returns the ID of a custom field key.
func (f TicketField) CustomFieldID() (int64, bool) {
	s, ok := strings.CutPrefix(string(f), "custom:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// Standard reports whether f is one of TicketFields.
func (f TicketField) Standard() bool { return slices.Contains(TicketFields, f) }

// Label is the field's name in the UI (custom fields are named by the tenant).
func (f TicketField) Label() string {
	switch f {
	case FieldTitle:
		return "Title"
	case FieldDescription:
		return "Description"
	case FieldStatus:
		return "Status"
	case FieldPriority:
		return "Priority"
	case FieldType:
		return "Type"
	case FieldContact:
		return "Contact"
	case FieldAssignee:
		return "Assignee"
	case FieldDueOn:
		return "Due date"
	case FieldTimeSpent:
		return "Time spent"
	case FieldBillingCode:
		return "Billing code"
	case FieldExternalID:
		return "External ID"
	}
	return string(f)
}

// MayHide reports whether f may be hidden from a kind. The title and the
// contact say what a ticket is and whose it is; they can be read-only, not hidden.
func (f TicketField) MayHide() bool { return f != FieldTitle && f != FieldContact }

// Access is what a kind may do with a field: hidden, read or edit.
type Access uint8

// The accesses, in order: each includes the ones before it.
const (
	Hidden Access = iota
	Read
	Edit
)

// String is the access as stored and in the API.
func (x Access) String() string {
	switch x {
	case Read:
		return "read"
	case Edit:
		return "edit"
	}
	return "hidden"
}

// ParseAccess reads a stored access.
func ParseAccess(s string) (Access, bool) {
	switch s {
	case "hidden":
		return Hidden, true
	case "read":
		return Read, true
	case "edit":
		return Edit, true
	}
	return Hidden, false
}

// TicketKinds are the kinds that have a tickets page (SPEC §5), the columns
// of the Settings matrices.
var TicketKinds = []Kind{Member, ExternalEditor, ExternalViewer}

// BoardRule is who may see one board: members always; the external kinds
// listed in Kinds, for every company (AllCompanies) or only Companies.
type BoardRule struct {
	ID           int64
	Kinds        []Kind
	AllCompanies bool
	Companies    []int64
}

// NoteTypeRule is who may read and add notes of one type. Members read
// every type; external viewers never add.
type NoteTypeRule struct {
	ID   int64
	Read []Kind
	Add  []Kind
}

// TicketRules are a tenant's ticket settings, as the policy reads them.
type TicketRules struct {
	Boards    []BoardRule
	NoteTypes []NoteTypeRule
	// Fields holds the access an admin set per field and kind; a missing
	// entry is DefaultAccess.
	Fields map[TicketField]map[Kind]Access
}

// OpenTo reports whether board b shows users of kind k the tickets of
// company companyID (0: the tenant's own work, which no outside kind sees).
// Members see every board whatever it says.
func (b BoardRule) OpenTo(k Kind, companyID int64) bool {
	return companyID != 0 && slices.Contains(b.Kinds, k) && (b.AllCompanies || slices.Contains(b.Companies, companyID))
}

// MembersOnly reports whether no outside kind sees board b.
func (b BoardRule) MembersOnly() bool { return len(b.Kinds) == 0 }

// Board returns the rule of board id.
func (r TicketRules) Board(id int64) (BoardRule, bool) {
	for _, b := range r.Boards {
		if b.ID == id {
			return b, true
		}
	}
	return BoardRule{}, false
}

// NoteType returns the rule of note type id.
func (r TicketRules) NoteType(id int64) (NoteTypeRule, bool) {
	for _, n := range r.NoteTypes {
		if n.ID == id {
			return n, true
		}
	}
	return NoteTypeRule{}, false
}

// DefaultAccess is a field's access for a kind until an admin sets it:
// members edit everything; external editors edit what they would write
// when asking for help (title, description, priority, type, due date) and
// read the rest; external viewers read. What is internal by nature — time
// spent, billing code, the PSA's external ID, and every custom field until
// an admin opens it — starts hidden from external users.
func DefaultAccess(f TicketField, k Kind) Access {
	switch k {
	case Member:
		return Edit
	case ExternalEditor, ExternalViewer:
	default:
		return Hidden
	}
	if _, custom := f.CustomFieldID(); custom {
		return Hidden
	}
	switch f {
	case FieldTimeSpent, FieldBillingCode, FieldExternalID:
		return Hidden
	case FieldTitle, FieldDescription, FieldPriority, FieldType, FieldDueOn:
		if k == ExternalEditor {
			return Edit
		}
	}
	return Read
}

// CeilingAccess is the most a kind may ever have on field f, whatever an
// admin sets: guests and clients have no tickets; external viewers read;
// only members edit the assignee (staff assign work) and the external ID
// (set by the PSA sync); the contact changes only as "on behalf of".
func CeilingAccess(f TicketField, k Kind) Access {
	switch k {
	case Member:
		return Edit
	case ExternalViewer:
		return Read
	case ExternalEditor:
		switch f {
		case FieldAssignee, FieldExternalID, FieldContact:
			return Read
		}
		return Edit
	}
	return Hidden
}

// FloorAccess is the least a kind with a tickets page has on field f: the
// title and contact are never hidden (MayHide).
func FloorAccess(f TicketField, k Kind) Access {
	if !f.MayHide() && slices.Contains(TicketKinds, k) {
		return Read
	}
	return Hidden
}

// KindAccess is the access of kind k to field f under rules r, within the
// floor and ceiling.
func (r TicketRules) KindAccess(f TicketField, k Kind) Access {
	x, ok := r.Fields[f][k]
	if !ok {
		x = DefaultAccess(f, k)
	}
	return max(min(x, CeilingAccess(f, k)), FloorAccess(f, k))
}

// FieldAccess is what actor a may do with field f of tickets it can see.
// Someone without the tickets page has no access to any field.
func FieldAccess(a Actor, r TicketRules, f TicketField) Access {
	if !a.SignedIn() || !a.ticketsPage() {
		return Hidden
	}
	return r.KindAccess(f, a.Kind)
}

// CanReadNote reports whether actor a reads notes of type typeID on the
// tickets it can see. Members read every type.
func CanReadNote(a Actor, r TicketRules, typeID int64) bool {
	if !a.SignedIn() || !a.ticketsPage() {
		return false
	}
	n, ok := r.NoteType(typeID)
	if !ok {
		return false
	}
	return a.Kind == Member || slices.Contains(n.Read, a.Kind)
}

// CanAddNote reports whether actor a may add notes of type typeID to the
// tickets it can see: members and external editors, where the type allows
// their kind and they may read it.
func CanAddNote(a Actor, r TicketRules, typeID int64) bool {
	if !mayWriteTickets(a) || !CanReadNote(a, r, typeID) {
		return false
	}
	n, _ := r.NoteType(typeID)
	return slices.Contains(n.Add, a.Kind)
}

// TicketFacts are what the policy needs of one ticket.
type TicketFacts struct {
	BoardID   int64
	CompanyID int64
	ContactID int64
	Watchers  []int64
}

// BoardGrant is one board of a ticket scope: its tickets of the companies
// listed, or of every company when AnyCompany.
type BoardGrant struct {
	BoardID    int64
	AnyCompany bool
	Companies  []int64
}

// TicketScope is which tickets an actor may list and open. The tickets
// package turns it into SQL in one function; Matches is the same decision
// for one ticket, and a property test holds the two together.
type TicketScope struct {
	TenantID int64
	UserID   int64
	// All: every ticket of the tenant (members).
	All bool
	// Grants: the boards, and their companies, the actor sees (external users).
	Grants []BoardGrant
	// OwnOnly narrows to tickets whose contact is the user or that the user
	// watches ("can see their own tickets only").
	OwnOnly bool
}

// None reports whether the scope matches no ticket.
func (s TicketScope) None() bool { return s.TenantID == 0 || (!s.All && len(s.Grants) == 0) }

// Matches reports whether a ticket with facts t is in the scope.
func (s TicketScope) Matches(t TicketFacts) bool {
	if s.None() {
		return false
	}
	if !s.All && !slices.ContainsFunc(s.Grants, func(g BoardGrant) bool {
		return g.BoardID == t.BoardID && (g.AnyCompany || slices.Contains(g.Companies, t.CompanyID))
	}) {
		return false
	}
	if s.OwnOnly {
		return (t.ContactID != 0 && t.ContactID == s.UserID) || slices.Contains(t.Watchers, s.UserID)
	}
	return true
}

// TicketsScope is the tickets actor a may see: members every ticket;
// external users the tickets of their assigned companies on the boards
// their kind may see for that company, narrowed to their own (contact or
// watcher) when own-tickets-only is on; nobody without the tickets page.
func TicketsScope(a Actor, r TicketRules) TicketScope {
	if !a.SignedIn() || !a.ticketsPage() {
		return TicketScope{}
	}
	s := TicketScope{TenantID: a.TenantID, UserID: a.UserID}
	switch {
	case a.Kind == Member:
		s.All = true
	case a.Kind.External():
		s.Grants = boardGrants(a.Kind, a.Companies, r)
		s.OwnOnly = a.OwnTicketsOnly
	}
	return s
}

// boardGrants are the boards kind k sees for the companies cs.
func boardGrants(k Kind, cs []int64, r TicketRules) []BoardGrant {
	var out []BoardGrant
	for _, b := range r.Boards {
		var in []int64
		for _, c := range cs {
			if b.OpenTo(k, c) {
				in = append(in, c)
			}
		}
		if len(in) > 0 {
			out = append(out, BoardGrant{BoardID: b.ID, Companies: in})
		}
	}
	return out
}

// CanSeeTicket reports whether actor a may open the ticket with facts t.
func CanSeeTicket(a Actor, r TicketRules, t TicketFacts) bool { return ExplainTicket(a, r, t, nil) }

// CanCreateTicket reports whether actor a may open a ticket on board
// boardID for company companyID (0: the tenant's own work, no company):
// members anywhere; external editors for their companies on the boards
// their kind sees for that company.
func CanCreateTicket(a Actor, r TicketRules, boardID, companyID int64) bool {
	if !mayWriteTickets(a) {
		return false
	}
	if _, ok := r.Board(boardID); !ok {
		return false
	}
	if a.Kind == Member {
		return true
	}
	return slices.ContainsFunc(boardGrants(a.Kind, a.Companies, r), func(g BoardGrant) bool {
		return g.BoardID == boardID && slices.Contains(g.Companies, companyID)
	})
}

// Contact is who a new ticket may name as its contact.
type ContactChoice uint8

// The contact choices.
const (
	// ContactSelf: only the actor (external editors with own-tickets-only).
	ContactSelf ContactChoice = iota
	// ContactColleague: the actor or a colleague who could see the ticket
	// (external editors without own-tickets-only, "on behalf of").
	ContactColleague
	// ContactAnyone: any user who could see the ticket, or nobody (members).
	ContactAnyone
)

// ContactChoiceOf is how actor a chooses a new ticket's contact.
func ContactChoiceOf(a Actor) ContactChoice {
	switch {
	case a.Kind == Member:
		return ContactAnyone
	case a.Kind == ExternalEditor && !a.OwnTicketsOnly:
		return ContactColleague
	}
	return ContactSelf
}

// MayBeContactOrWatcher reports whether user u may be the contact or a
// watcher of a ticket with facts t: an external user assigned to the
// ticket's company whose kind sees its board for that company, with the
// tickets page. Own-tickets-only users may: being the contact or a watcher
// is what shows them the ticket. Members are the MSP's staff; they are
// assignees, not contacts.
func MayBeContactOrWatcher(u Actor, r TicketRules, t TicketFacts) bool {
	if !u.SignedIn() || !u.Kind.External() || !u.ticketsPage() {
		return false
	}
	u.OwnTicketsOnly = false
	return TicketsScope(u, r).Matches(TicketFacts{BoardID: t.BoardID, CompanyID: t.CompanyID})
}

// CanAddWatchers reports whether actor a may add watchers to the ticket
// with facts t: a member or external editor who can see it.
func CanAddWatchers(a Actor, r TicketRules, t TicketFacts) bool {
	return mayWriteTickets(a) && CanSeeTicket(a, r, t)
}

// CanRemoveWatcher reports whether actor a may take user userID off the
// watchers of the ticket with facts t: those who may add watchers, and any
// watcher for themselves.
func CanRemoveWatcher(a Actor, r TicketRules, t TicketFacts, userID int64) bool {
	if a.SignedIn() && a.UserID == userID && slices.Contains(t.Watchers, userID) {
		return true
	}
	return CanAddWatchers(a, r, t)
}

// CanEditTicketField reports whether actor a may change field f of the
// ticket with facts t.
func CanEditTicketField(a Actor, r TicketRules, t TicketFacts, f TicketField) bool {
	return mayWriteTickets(a) && CanSeeTicket(a, r, t) && FieldAccess(a, r, f) == Edit
}

// CanMoveTicket reports whether actor a may move a ticket to another board
// or company: members only, as it changes who sees the ticket.
func CanMoveTicket(a Actor, r TicketRules, t TicketFacts) bool {
	return a.Kind == Member && mayWriteTickets(a) && CanSeeTicket(a, r, t)
}
