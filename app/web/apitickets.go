package web

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/app/valid"
)

// The tickets API (SPEC §7, §12). Every ticket leaves here built by
// ticketJSON from a tickets.View, which the tickets package has already
// filtered for the caller: a field the caller may not see is absent from
// the object (never null), and a visible field without a value (no
// contact, no assignee, no due date) is null. Handlers decide nothing
// about visibility; the policy decides, through the tickets package.

// shown is a field the caller may or may not see: absent from the JSON
// when not shown (omitzero), else its value, which may be null.
type shown[T any] struct {
	ok bool
	v  T
}

func (s shown[T]) IsZero() bool { return !s.ok }
func (s shown[T]) MarshalJSON() ([]byte, error) {
	if b, ok := appendPlainJSON(nil, s.v); ok {
		return b, nil
	}
	return json.Marshal(s.v)
}

// appendPlainJSON appends v's JSON for the values tickets are made of
// (strings that need no escaping, numbers, booleans, names), the same
// bytes as json.Marshal, and reports false for anything else. A page of
// 50 tickets marshalled some 500 fields one json.Marshal each: 12% of
// erin's JSON list's CPU (docs/performance.md).
func appendPlainJSON(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case string:
		return appendPlainString(b, x)
	case *string:
		if x == nil {
			return append(b, "null"...), true
		}
		return appendPlainString(b, *x)
	case int64:
		return strconv.AppendInt(b, x, 10), true
	case bool:
		return strconv.AppendBool(b, x), true
	case *nameRef:
		if x == nil {
			return append(b, "null"...), true
		}
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, x.ID, 10)
		b = append(b, `,"name":`...)
		if b, ok := appendPlainString(b, x.Name); ok {
			return append(b, '}'), true
		}
		return nil, false
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String { // statuses, priorities, types
		return appendPlainString(b, rv.String())
	}
	return nil, false
}

// appendPlainString appends s quoted when it is printable ASCII that JSON
// writes as it is (json.Marshal escapes ", \, <, > and &).
func appendPlainString(b []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return nil, false
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), true
}

// schemaOf: the OpenAPI document shows the field as T, optional (omitzero).
func (shown[T]) schemaOf() (reflect.Type, bool) { return reflect.TypeFor[T](), false }

// show is val when the caller sees field f of ticket v, else absent.
func show[T any](v *tickets.View, f policy.TicketField, val T) shown[T] {
	if !v.Shows(f) {
		return shown[T]{}
	}
	return shown[T]{ok: true, v: val}
}

// nameRef names a related object: a board, company, user or note type.
type nameRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func nameRefOf(r *tickets.Ref) *nameRef {
	if r == nil {
		return nil
	}
	return &nameRef{ID: r.ID, Name: r.Name}
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type customJSON struct {
	ID    int64             `json:"id"`
	Name  string            `json:"name"`
	Kind  tickets.FieldKind `json:"kind"`
	Value *string           `json:"value"`
}

// ticketBody is a ticket as the API shows it.
type ticketBody struct {
	ID           int64                   `json:"id"`
	Number       int64                   `json:"number"`
	Title        shown[string]           `json:"title,omitzero"`
	Description  shown[string]           `json:"description,omitzero"`
	Status       shown[tickets.Status]   `json:"status,omitzero"`
	Priority     shown[tickets.Priority] `json:"priority,omitzero"`
	Type         shown[tickets.Type]     `json:"type,omitzero"`
	Board        nameRef                 `json:"board"`
	Company      *nameRef                `json:"company"`
	Contact      shown[*nameRef]         `json:"contact,omitzero"`
	Assignee     shown[*nameRef]         `json:"assignee,omitzero"`
	DueOn        shown[*string]          `json:"due_on,omitzero"`
	TimeSpent    shown[int64]            `json:"time_spent,omitzero"`
	BillingCode  shown[string]           `json:"billing_code,omitzero"`
	ExternalID   shown[*string]          `json:"external_id,omitzero"`
	CustomFields []customJSON            `json:"custom_fields"`
	Watchers     []nameRef               `json:"watchers"`
	CreatedAt    time.Time               `json:"created_at"`
	UpdatedAt    time.Time               `json:"updated_at"`
	Can          *canJSON                `json:"can,omitempty"`
}

// ticketJSON is ticket v as its reader sees it, with its watchers' names.
// It reads only the View: what the View hides is absent here.
func ticketJSON(v *tickets.View, watchers []tickets.Ref) ticketBody {
	b := ticketBody{
		ID: v.ID, Number: v.Number,
		Title:        show(v, policy.FieldTitle, v.Title),
		Description:  show(v, policy.FieldDescription, v.Description),
		Status:       show(v, policy.FieldStatus, v.Status),
		Priority:     show(v, policy.FieldPriority, v.Priority),
		Type:         show(v, policy.FieldType, v.Type),
		Board:        nameRef{ID: v.Board.ID, Name: v.Board.Name},
		Contact:      show(v, policy.FieldContact, nameRefOf(v.Contact)),
		Assignee:     show(v, policy.FieldAssignee, nameRefOf(v.Assignee)),
		DueOn:        show(v, policy.FieldDueOn, nullIfEmpty(v.DueOn)),
		TimeSpent:    show(v, policy.FieldTimeSpent, v.TimeSpent),
		BillingCode:  show(v, policy.FieldBillingCode, v.BillingCode),
		ExternalID:   show(v, policy.FieldExternalID, nullIfEmpty(v.ExternalID)),
		CustomFields: []customJSON{},
		Watchers:     []nameRef{},
		CreatedAt:    v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}
	if v.Company.ID != 0 {
		b.Company = &nameRef{ID: v.Company.ID, Name: v.Company.Name}
	}
	for _, cv := range v.Custom {
		if v.Shows(cv.Field.Key()) {
			b.CustomFields = append(b.CustomFields, customJSON{ID: cv.Field.ID, Name: cv.Field.Name, Kind: cv.Field.Kind, Value: nullIfEmpty(cv.Value)})
		}
	}
	for _, w := range watchers {
		b.Watchers = append(b.Watchers, nameRef{ID: w.ID, Name: w.Name})
	}
	return b
}

// canJSON is what the caller may do with one ticket, for integrators and
// scripts that build their own forms: the fields it may change (custom
// fields by ID), the note types it may add, whether it may add watchers
// and move the ticket to another board or company.
type canJSON struct {
	EditFields       []policy.TicketField `json:"edit_fields"`
	EditCustomFields []int64              `json:"edit_custom_fields"`
	AddNoteTypes     []nameRef            `json:"add_note_types"`
	AddWatchers      bool                 `json:"add_watchers"`
	Move             bool                 `json:"move"`
}

// ticketCan asks the policy what actor a may do with ticket v.
func ticketCan(a policy.Actor, cfg *tickets.Config, v *tickets.View) *canJSON {
	r, facts := cfg.Rules, v.Facts()
	out := &canJSON{EditFields: []policy.TicketField{}, EditCustomFields: []int64{}, AddNoteTypes: []nameRef{},
		AddWatchers: policy.CanAddWatchers(a, r, facts), Move: policy.CanMoveTicket(a, r, facts)}
	for _, f := range policy.TicketFields {
		if policy.CanEditTicketField(a, r, facts, f) {
			out.EditFields = append(out.EditFields, f)
		}
	}
	for _, f := range cfg.CustomFields {
		if policy.CanEditTicketField(a, r, facts, f.Key()) {
			out.EditCustomFields = append(out.EditCustomFields, f.ID)
		}
	}
	for _, nt := range cfg.NoteTypes {
		if policy.CanAddNote(a, r, nt.ID) {
			out.AddNoteTypes = append(out.AddNoteTypes, nameRef{ID: nt.ID, Name: nt.Name})
		}
	}
	return out
}

// answerTicket is the answer of every route about one ticket: ticket v
// with its watchers and what the caller may do, under status. A change
// passes its error (mapped to the request's keys) and wakes the mail;
// cfg is loaded when nil.
func (s *Server) answerTicket(c *fiber.Ctx, status int, cfg *tickets.Config, v *tickets.View, err error) error {
	if err != nil {
		return ticketAPIError(err)
	}
	if c.Method() != fiber.MethodGet {
		s.wakeMail()
	}
	if cfg == nil {
		if cfg, err = s.ticketConfig(c); err != nil {
			return err
		}
	}
	ctx, st := c.UserContext(), state(c)
	w, err := tickets.WatcherNames(ctx, st.db, []tickets.View{*v})
	if err != nil {
		return err
	}
	b := ticketJSON(v, w[v.ID])
	b.Can = ticketCan(st.actor, cfg, v)
	return c.Status(status).JSON(b)
}

// ticketRequest reads a ticket route's ID and loads the ticket settings.
func (s *Server) ticketRequest(c *fiber.Ctx) (int64, *tickets.Config, error) {
	id, err := paramID(c)
	if err != nil {
		return 0, nil, err
	}
	cfg, err := s.ticketConfig(c)
	return id, cfg, err
}

// apiFieldKeys names the tickets package's field keys as the API's JSON
// does: the IDs a request sends.
var apiFieldKeys = map[string]string{
	"board": "board_id", "company": "company_id", "contact": "contact_id",
	"assignee": "assignee_id", "user": "user_id",
}

func apiFieldKey(k string) string {
	if to, ok := apiFieldKeys[k]; ok {
		return to
	}
	for _, prefix := range []string{"custom_", "custom:"} {
		if id, ok := strings.CutPrefix(k, prefix); ok {
			return "custom_fields." + id
		}
	}
	return k
}

// ticketAPIError is err with its field messages under the request's own
// keys (board_id, not board).
func ticketAPIError(err error) error {
	he, known := asHTTPError(err)
	if !known || len(he.Fields) == 0 {
		return err
	}
	out := *he
	out.Fields = make(map[string]string, len(he.Fields))
	for k, msg := range he.Fields {
		out.Fields[apiFieldKey(k)] = msg
	}
	return &out
}

// ticketParams names the query parameters of a tickets list. The pages
// use short names (company=, assignee=none); the API the names of SPEC §12
// (company_id=, assignee_id=unassigned). Both read the same filters.
type ticketParams struct{ company, board, assignee, unassigned string }

var (
	pageTicketParams = ticketParams{"company", "board", "assignee", "none"}
	apiTicketParams  = ticketParams{"company_id", "board_id", "assignee_id", "unassigned"}
)

// ticketQuery reads a tickets list's filters: company, board, status,
// priority, assignee (an ID, or the word for unassigned), open (true: not
// resolved or closed), q (search) and sort (tickets.Sorts). A value that
// is not one of them is refused by its field; nil when all are good.
func ticketQuery(c *fiber.Ctx, names ticketParams) (tickets.Query, valid.Errors) {
	q := tickets.Query{
		Status: tickets.Status(c.Query("status")), Priority: tickets.Priority(c.Query("priority")),
		Q: strings.TrimSpace(c.Query("q")), Sort: c.Query("sort"),
	}
	errs := valid.Errors{}
	id := func(name string) int64 {
		v := c.Query(name)
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			errs.Add(name, "Choose one from the list.")
			return 0
		}
		return n
	}
	q.CompanyID, q.BoardID = id(names.company), id(names.board)
	if c.Query(names.assignee) == names.unassigned {
		q.AssigneeID = tickets.Unassigned
	} else {
		q.AssigneeID = id(names.assignee)
	}
	switch c.Query("open") {
	case "", "false", "0":
	case "true", "1":
		q.Open = true
	default:
		errs.Add("open", "Use true or false.")
	}
	if len(errs) == 0 {
		return q, nil
	}
	return q, errs
}

// apiTickets is GET /api/v1/tickets: one page of the tickets the caller
// may see, with the filters of ticketQuery, limit and cursor.
func (s *Server) apiTickets(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	q, errs := ticketQuery(c, apiTicketParams)
	if errs != nil {
		return errs
	}
	cfg, err := s.ticketConfig(c)
	if err != nil {
		return err
	}
	ctx, st := c.UserContext(), state(c)
	vs, next, err := tickets.List(ctx, st.db, st.actor, cfg, q, p)
	if err != nil {
		return ticketAPIError(err)
	}
	w, err := tickets.WatcherNames(ctx, st.db, vs)
	if err != nil {
		return err
	}
	items := make([]ticketBody, 0, len(vs))
	for i := range vs {
		items = append(items, ticketJSON(&vs[i], w[vs[i].ID]))
	}
	return listJSON(c, items, next)
}

// apiTicket is GET /api/v1/tickets/ID: 404 for a ticket the caller may not see.
func (s *Server) apiTicket(c *fiber.Ctx) error {
	id, cfg, err := s.ticketRequest(c)
	if err != nil {
		return err
	}
	v, err := tickets.Get(c.UserContext(), state(c).db, state(c).actor, cfg, id)
	return s.answerTicket(c, fiber.StatusOK, cfg, v, err)
}

// opt is a field of a JSON body that may be absent, null or a value.
type opt[T any] struct {
	Set  bool
	Null bool
	V    T
}

// notNull is a field of a JSON body that may be absent or a value; null is
// refused (required reports it).
type notNull[T any] struct{ opt[T] }

// schemaOf: the OpenAPI document shows opt as T or null, notNull as T.
func (opt[T]) schemaOf() (reflect.Type, bool)     { return reflect.TypeFor[T](), true }
func (notNull[T]) schemaOf() (reflect.Type, bool) { return reflect.TypeFor[T](), false }

func (o *opt[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.V)
}

// required is o's value, nil when absent; null is refused under name, for
// a field that cannot be empty.
func (o opt[T]) required(errs valid.Errors, name string) *T {
	if o.Set && o.Null {
		errs.Add(name, msgNotNull)
		return nil
	}
	return o.orNone()
}

// orNone is o's value, nil when absent; null is T's zero value, which the
// tickets package reads as none (no contact, no due date, "").
func (o opt[T]) orNone() *T {
	if !o.Set {
		return nil
	}
	v := o.V
	return &v
}

// ticketInput is the body of POST and PATCH /api/v1/tickets and of the
// upsert. Absent fields are left as they are (on create: their defaults);
// null clears contact_id, assignee_id, due_on, external_id, description,
// billing_code and, moving a ticket, company_id; custom_fields maps a
// custom field's ID to its value, null or "" clearing it.
type ticketInput struct {
	Title        notNull[string]           `json:"title"`
	Description  opt[string]               `json:"description"`
	BoardID      notNull[int64]            `json:"board_id"`
	CompanyID    opt[int64]                `json:"company_id"`
	ContactID    opt[int64]                `json:"contact_id"`
	Status       notNull[tickets.Status]   `json:"status"`
	Priority     notNull[tickets.Priority] `json:"priority"`
	Type         notNull[tickets.Type]     `json:"type"`
	AssigneeID   opt[int64]                `json:"assignee_id"`
	DueOn        opt[string]               `json:"due_on"`
	TimeSpent    notNull[int64]            `json:"time_spent"`
	BillingCode  opt[string]               `json:"billing_code"`
	ExternalID   opt[string]               `json:"external_id"`
	CustomFields map[string]opt[string]    `json:"custom_fields"`
}

const (
	msgNotNull = "Give a value; this field cannot be null."
	msgID      = "Use the ID of one from the list, or null for none."
)

// fields turns the body into the tickets package's fields; board_id and
// company_id are read by the caller (create, move or upsert).
func (in *ticketInput) fields() (tickets.Fields, valid.Errors) {
	var f tickets.Fields
	errs := valid.Errors{}
	id := func(name string, o opt[int64]) *int64 {
		if o.Set && !o.Null && o.V <= 0 {
			errs.Add(name, msgID)
			return nil
		}
		return o.orNone()
	}
	f.Title = in.Title.required(errs, "title")
	f.Status = in.Status.required(errs, "status")
	f.Priority = in.Priority.required(errs, "priority")
	f.Type = in.Type.required(errs, "type")
	f.TimeSpent = in.TimeSpent.required(errs, "time_spent")
	f.Description = in.Description.orNone()
	f.DueOn = in.DueOn.orNone()
	f.BillingCode = in.BillingCode.orNone()
	f.ExternalID = in.ExternalID.orNone()
	f.ContactID = id("contact_id", in.ContactID)
	f.AssigneeID = id("assignee_id", in.AssigneeID)
	if in.CustomFields != nil {
		f.Custom = map[int64]string{}
		for k, val := range in.CustomFields {
			n, err := strconv.ParseInt(k, 10, 64)
			if err != nil || n <= 0 || strconv.FormatInt(n, 10) != k {
				errs.Add("custom_fields."+k, "Name a custom field by its ID.")
				continue
			}
			f.Custom[n] = val.V // null: "", which clears it
		}
	}
	return f, errs
}

// newTicket is the body as a new ticket: board_id is required, company_id
// absent or null for the tenant's own work.
func (in *ticketInput) newTicket() (tickets.NewTicket, error) {
	f, errs := in.fields()
	nt := tickets.NewTicket{Fields: f}
	if in.BoardID.Set {
		if in.BoardID.Null || in.BoardID.V <= 0 {
			errs.Add("board_id", "Use the ID of a board from the list.")
		}
		nt.BoardID = in.BoardID.V
	}
	if in.CompanyID.Set && !in.CompanyID.Null {
		if in.CompanyID.V <= 0 {
			errs.Add("company_id", msgID)
		}
		nt.CompanyID = in.CompanyID.V
	}
	return nt, errs.Err()
}

// apiCreateTicket is POST /api/v1/tickets: 201 with the new ticket.
func (s *Server) apiCreateTicket(c *fiber.Ctx) error {
	var in ticketInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	nt, err := in.newTicket()
	if err != nil {
		return ticketAPIError(err)
	}
	v, err := tickets.Create(c.UserContext(), state(c).db, s.ticketsBy(c), nt)
	return s.answerTicket(c, fiber.StatusCreated, nil, v, err)
}

// apiPatchTicket is PATCH /api/v1/tickets/ID: changes the fields the body
// names, each one the caller may edit, else nothing (403). board_id and
// company_id move the ticket (members).
func (s *Server) apiPatchTicket(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var in ticketInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	f, errs := in.fields()
	if o := in.BoardID; o.Set {
		if o.Null || o.V <= 0 {
			errs.Add("board_id", "Use the ID of a board from the list.")
		}
		f.BoardID = &o.V
	}
	if o := in.CompanyID; o.Set {
		if !o.Null && o.V <= 0 {
			errs.Add("company_id", msgID)
		}
		f.CompanyID = &o.V
	}
	if err := errs.Err(); err != nil {
		return err
	}
	v, err := tickets.Update(c.UserContext(), state(c).db, s.ticketsBy(c), id, f)
	return s.answerTicket(c, fiber.StatusOK, nil, v, err)
}

// apiUpsertTicket is PUT /api/v1/tickets/by-external-id/EXTERNAL_ID, a
// PSA's sync: the body of POST; 201 with the ticket when it was created,
// 200 when it existed (changed as the body says; the same body again
// changes nothing and records nothing). The external ID is the address's,
// percent-encoded there; a body may repeat it, not contradict it.
func (s *Server) apiUpsertTicket(c *fiber.Ctx) error {
	ext, err := url.PathUnescape(c.Params("external_id"))
	if err != nil {
		return errNotFound
	}
	var in ticketInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if o := in.ExternalID; o.Set {
		if o.Null || strings.TrimSpace(o.V) != strings.TrimSpace(ext) {
			return valid.Errors{"external_id": "The external ID is the one in the address; leave it out of the body."}
		}
		in.ExternalID = opt[string]{}
	}
	nt, err := in.newTicket()
	if err != nil {
		return ticketAPIError(err)
	}
	v, created, err := tickets.Upsert(c.UserContext(), state(c).db, s.ticketsBy(c), ext, nt)
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	return s.answerTicket(c, status, nil, v, err)
}

// noteJSON is a note as the API shows it: its type by name and by ID.
type noteJSON struct {
	ID        int64     `json:"id"`
	Type      string    `json:"type"`
	TypeID    int64     `json:"type_id"`
	Body      string    `json:"body"`
	Author    *nameRef  `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

func toNoteJSON(n *tickets.NoteView) noteJSON {
	return noteJSON{ID: n.ID, Type: n.Type.Name, TypeID: n.Type.ID, Body: n.Body, Author: nameRefOf(n.Author), CreatedAt: n.CreatedAt}
}

// apiTicketNotes is GET /api/v1/tickets/ID/notes: one page of the notes
// the caller may read, oldest first.
func (s *Server) apiTicketNotes(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	id, cfg, err := s.ticketRequest(c)
	if err != nil {
		return err
	}
	st := state(c)
	ns, next, err := tickets.Notes(c.UserContext(), st.db, st.actor, cfg, id, p)
	if err != nil {
		return err
	}
	items := make([]noteJSON, 0, len(ns))
	for i := range ns {
		items = append(items, toNoteJSON(&ns[i]))
	}
	return listJSON(c, items, next)
}

// noteInput is a new note: its type by name or ID, and its text.
type noteInput struct {
	Type   *string `json:"type"`
	TypeID *int64  `json:"type_id"`
	Body   string  `json:"body"`
}

// apiAddTicketNote is POST /api/v1/tickets/ID/notes {"type","body"}: the
// type by its name (any case) or {"type_id"}; 201 with the note.
func (s *Server) apiAddTicketNote(c *fiber.Ctx) error {
	id, cfg, err := s.ticketRequest(c)
	if err != nil {
		return err
	}
	var in noteInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	typeID, err := noteTypeOf(cfg, state(c).actor, in.Type, in.TypeID)
	if err != nil {
		return err
	}
	n, err := tickets.AddNote(c.UserContext(), state(c).db, s.ticketsBy(c), id, typeID, in.Body)
	if err != nil {
		return ticketAPIError(err)
	}
	s.wakeMail()
	return c.Status(fiber.StatusCreated).JSON(toNoteJSON(n))
}

// noteTypeOf finds the note type a request names by name or ID (both must
// agree). An unknown one is a 400 that lists the types a may add.
func noteTypeOf(cfg *tickets.Config, a policy.Actor, name *string, id *int64) (int64, error) {
	var mayAdd []string
	for _, nt := range cfg.NoteTypes {
		if policy.CanAddNote(a, cfg.Rules, nt.ID) {
			mayAdd = append(mayAdd, nt.Name)
		}
	}
	unknown := valid.Errors{"type": "Choose a kind of note you may add: " + strings.Join(mayAdd, ", ") + "."}
	if name == nil && id == nil {
		return 0, unknown
	}
	found := int64(0)
	if name != nil {
		for _, nt := range cfg.NoteTypes {
			if strings.EqualFold(nt.Name, strings.TrimSpace(*name)) {
				found = nt.ID
				break
			}
		}
		if found == 0 {
			return 0, unknown
		}
	}
	if id != nil {
		if found != 0 && found != *id {
			return 0, valid.Errors{"type_id": "Name the type or give its ID; these two differ."}
		}
		found = *id
	}
	return found, nil
}

// watcherInput names a watcher to add.
type watcherInput struct {
	UserID int64 `json:"user_id"`
}

// apiAddTicketWatcher is POST /api/v1/tickets/ID/watchers {"user_id"}:
// 201 with the watcher; adding one already watching changes nothing.
func (s *Server) apiAddTicketWatcher(c *fiber.Ctx) error {
	id, cfg, err := s.ticketRequest(c)
	if err != nil {
		return err
	}
	var in watcherInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.UserID <= 0 {
		return valid.Errors{"user_id": "Choose someone of the ticket's company who can see its board."}
	}
	ctx, st := c.UserContext(), state(c)
	if err := tickets.AddWatcher(ctx, st.db, s.ticketsBy(c), id, in.UserID); err != nil {
		return ticketAPIError(err)
	}
	s.wakeMail()
	v, err := tickets.Get(ctx, st.db, st.actor, cfg, id)
	if err != nil {
		return err
	}
	w, err := tickets.WatcherNames(ctx, st.db, []tickets.View{*v})
	if err != nil {
		return err
	}
	for _, r := range w[id] {
		if r.ID == in.UserID {
			return c.Status(fiber.StatusCreated).JSON(nameRefOf(&r))
		}
	}
	return errNotFound
}

// apiRemoveTicketWatcher is DELETE /api/v1/tickets/ID/watchers/USER_ID: 204.
func (s *Server) apiRemoveTicketWatcher(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	uid, err := paramIDOf(c, "user_id")
	if err != nil {
		return err
	}
	if err := tickets.RemoveWatcher(c.UserContext(), state(c).db, s.ticketsBy(c), id, uid); err != nil {
		return ticketAPIError(err)
	}
	s.wakeMail()
	return c.SendStatus(fiber.StatusNoContent)
}

// boardJSON is a board as the API shows it; who may see it (kinds,
// all_companies, company_ids) only to those who manage ticket settings.
type boardJSON struct {
	ID           int64                `json:"id"`
	Name         string               `json:"name"`
	Kinds        shown[[]policy.Kind] `json:"kinds,omitzero"`
	AllCompanies shown[bool]          `json:"all_companies,omitzero"`
	CompanyIDs   shown[[]int64]       `json:"company_ids,omitzero"`
}

func (s *Server) boardJSON(c *fiber.Ctx, b *tickets.Board) boardJSON {
	st := state(c)
	out := boardJSON{ID: b.ID, Name: b.Name}
	if policy.Allows(st.actor, settingsOf(st.tenant), policy.ManageTicketSettings) {
		kinds := append([]policy.Kind{}, b.Kinds...)
		ids := []int64{}
		for _, bc := range b.Companies {
			ids = append(ids, bc.CompanyID)
		}
		out.Kinds = shown[[]policy.Kind]{true, kinds}
		out.AllCompanies = shown[bool]{true, b.AllCompanies}
		out.CompanyIDs = shown[[]int64]{true, ids}
	}
	return out
}

// apiBoards is GET /api/v1/boards: every board the caller may see, in one
// page (a tenant has at most a hundred).
func (s *Server) apiBoards(c *fiber.Ctx) error {
	cfg, err := s.ticketConfig(c)
	if err != nil {
		return err
	}
	bs := cfg.BoardsFor(state(c).actor)
	items := make([]boardJSON, 0, len(bs))
	for i := range bs {
		items = append(items, s.boardJSON(c, &bs[i]))
	}
	return listJSON(c, items, "")
}

// apiBoard is GET /api/v1/boards/ID: 404 for a board the caller may not see.
func (s *Server) apiBoard(c *fiber.Ctx) error {
	id, cfg, err := s.ticketRequest(c)
	if err != nil {
		return err
	}
	b, ok := cfg.BoardFor(state(c).actor, id)
	if !ok {
		return errNotFound
	}
	return c.JSON(s.boardJSON(c, &b))
}
