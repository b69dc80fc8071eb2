package web

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// Settings → Tickets: the help center's "board permissions by roles and
// companies", "field permissions by roles" and "note permissions by
// roles", and the custom fields. Every form of the page posts to its own
// route; the tickets package checks, saves and audits. With htmx each
// answer is the page's sections again (with the form's errors, or fresh
// with a toast); without it a save redirects back and a refusal is the
// whole page with the errors.

// ticketSettingsSaved names each section's confirmation, for ?saved=.
var ticketSettingsSaved = map[string]string{
	"boards": "Board saved.",
	"fields": "Field permissions saved.",
	"notes":  "Note permissions saved.",
	"custom": "Custom field added. It is hidden from external users until you open it in the field permissions.",
}

// ticketSettingsPage is GET /settings/tickets.
func (s *Server) ticketSettingsPage(c *fiber.Ctx) error {
	v, _, err := s.ticketSettingsView(c)
	if err != nil {
		return err
	}
	if msg, ok := ticketSettingsSaved[c.Query("saved")]; ok {
		v.Saved, v.SavedMessage = c.Query("saved"), msg
	}
	return render(c, 200, ui.SettingsTicketsPage(s.settingsFrame(c, "Tickets"), v))
}

// ticketSettingsDone answers a save: the fresh sections and a toast with
// htmx, else a redirect to the section with its confirmation.
func (s *Server) ticketSettingsDone(c *fiber.Ctx, section, msg string) error {
	if !isHTMX(c) {
		return c.Redirect("/settings/tickets?saved="+section+"#ticket-"+section, fiber.StatusSeeOther)
	}
	v, _, err := s.ticketSettingsView(c)
	if err != nil {
		return err
	}
	trigger, _ := json.Marshal(map[string]any{"toast": map[string]string{"message": msg, "kind": "success"}})
	c.Set("HX-Trigger", string(trigger))
	return render(c, 200, ui.TicketSettingsBody(v))
}

// ticketSettingsRefused answers a refused form: 400 with the sections,
// the form showing what was sent and why it was refused.
func (s *Server) ticketSettingsRefused(c *fiber.Ctx, v ui.TicketSettingsView) error {
	return view(c, 400, ui.TicketSettingsBody(v), func() templ.Component {
		return ui.SettingsTicketsPage(s.settingsFrame(c, "Tickets"), v)
	})
}

// ticketSettingsView builds the page from the stored settings.
func (s *Server) ticketSettingsView(c *fiber.Ctx) (ui.TicketSettingsView, *tickets.Config, error) {
	st := state(c)
	cfg, err := s.ticketConfig(c)
	if err != nil {
		return ui.TicketSettingsView{}, nil, err
	}
	companies, err := people.Companies(c.UserContext(), st.db, st.actor)
	if err != nil {
		return ui.TicketSettingsView{}, nil, err
	}
	v := ui.TicketSettingsView{CSRF: st.session.CSRFToken}
	names := map[int64]string{}
	for _, co := range companies {
		names[co.ID] = co.Name
	}
	for _, b := range cfg.Boards {
		ids := make([]int64, 0, len(b.Companies))
		for _, bc := range b.Companies {
			ids = append(ids, bc.CompanyID)
		}
		form := boardForm(b.ID, b.Name, b.Kinds, b.AllCompanies, ids, companies)
		v.Boards = append(v.Boards, ui.BoardRow{ID: b.ID, Name: b.Name, Who: boardWho(b.Kinds, b.AllCompanies, ids, names), Form: form})
	}
	v.NewBoard = boardForm(0, "", externalKinds, true, nil, companies)
	v.Fields = fieldMatrix(cfg, nil, nil)
	v.Notes = noteMatrix(cfg, nil, nil)
	v.NewNoteType = noteTypeForm("", nil, []policy.Kind{policy.Member})
	for _, cf := range cfg.CustomFields {
		v.CustomFields = append(v.CustomFields, ui.CustomFieldRow{Name: cf.Name, Kind: fieldKindLabel(cf.Kind),
			Choices: strings.Join(cf.Choices, ", "), External: externalAccess(cfg.Rules, cf.Key())})
	}
	v.NewField = customFieldForm("", string(tickets.FieldText), "")
	return v, cfg, nil
}

// externalKinds are the kinds a board's form lists and the readers a note
// type's form lists: members always see every board and read every note.
// noteAdders are the kinds that may add notes: external viewers never do.
var (
	externalKinds = []policy.Kind{policy.ExternalEditor, policy.ExternalViewer}
	noteAdders    = []policy.Kind{policy.Member, policy.ExternalEditor}
)

func boardForm(id int64, name string, kinds []policy.Kind, all bool, selected []int64, companies []people.Company) ui.BoardForm {
	f := ui.BoardForm{ID: id, Name: ui.Field{Name: "name", Value: name}, AllCompanies: all}
	for _, k := range externalKinds {
		f.Kinds = append(f.Kinds, ui.Option{Value: string(k), Label: k.PluralLabel(), Selected: slices.Contains(kinds, k)})
	}
	for _, co := range companies {
		f.Companies = append(f.Companies, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name, Selected: slices.Contains(selected, co.ID)})
	}
	return f
}

// boardWho says who sees a board: "Members; external editors and viewers
// of every company", "… of Globex Corporation", "Members only".
func boardWho(kinds []policy.Kind, all bool, companies []int64, names map[int64]string) string {
	var who string
	switch editors, viewers := slices.Contains(kinds, policy.ExternalEditor), slices.Contains(kinds, policy.ExternalViewer); {
	case editors && viewers:
		who = "external editors and viewers"
	case editors:
		who = "external editors"
	case viewers:
		who = "external viewers"
	default:
		return "Members only"
	}
	if all {
		return "Members; " + who + " of every company"
	}
	var list []string
	for _, id := range companies {
		if n, ok := names[id]; ok {
			list = append(list, n)
		}
	}
	if len(list) == 0 {
		return "Members only: no company is chosen for " + who
	}
	slices.Sort(list)
	return "Members; " + who + " of " + andList(list)
}

// andList is "A", "A and B", "A, B and C".
func andList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

var accessLabels = map[policy.Access]string{policy.Hidden: "Hidden", policy.Read: "Read", policy.Edit: "Edit"}

// accessName is a matrix cell's form field, as tickets.SaveFieldAccess
// keys its errors: access_FIELD_KIND, ':' of custom keys as '_'.
func accessName(f policy.TicketField, k policy.Kind) string {
	return "access_" + strings.ReplaceAll(string(f), ":", "_") + "_" + string(k)
}

// fieldMatrix is the field permissions of cfg; sent (the form's values)
// and errs replace the stored access and add messages, cell by cell.
func fieldMatrix(cfg *tickets.Config, sent map[string]string, errs valid.Errors) ui.FieldMatrix {
	m := ui.FieldMatrix{}
	for _, k := range policy.TicketKinds {
		m.Kinds = append(m.Kinds, k.PluralLabel())
	}
	for _, f := range cfg.Fields() {
		_, custom := f.CustomFieldID()
		row := ui.FieldRow{Label: cfg.FieldLabel(f), Custom: custom}
		for _, k := range policy.TicketKinds {
			name := accessName(f, k)
			cell := ui.AccessCell{Name: name, Label: row.Label + " for " + k.Plural(), KindLabel: k.PluralLabel(),
				Value: cfg.Rules.KindAccess(f, k).String(), Error: errs[name]}
			if x, ok := policy.ParseAccess(sent[name]); ok && x >= policy.FloorAccess(f, k) && x <= policy.CeilingAccess(f, k) {
				cell.Value = x.String()
			}
			lo, hi := policy.FloorAccess(f, k), policy.CeilingAccess(f, k)
			if lo == hi {
				cell.Fixed = "Always " + strings.ToLower(accessLabels[lo])
				if lo == policy.Hidden {
					cell.Fixed = "Never shown"
				}
			} else {
				for x := lo; x <= hi; x++ {
					cell.Options = append(cell.Options, ui.Option{Value: x.String(), Label: accessLabels[x]})
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		m.Rows = append(m.Rows, row)
	}
	if len(errs) > 0 {
		m.FormError = "Nothing was saved. Fix the choices marked below."
	}
	return m
}

// externalAccess says what external users may do with field f.
func externalAccess(r policy.TicketRules, f policy.TicketField) string {
	e, v := r.KindAccess(f, policy.ExternalEditor), r.KindAccess(f, policy.ExternalViewer)
	if e == policy.Hidden && v == policy.Hidden {
		return "Hidden"
	}
	return "Editors: " + strings.ToLower(accessLabels[e]) + "; viewers: " + strings.ToLower(accessLabels[v])
}

// noteName is a note permissions checkbox group: read_ID or add_ID.
func noteName(what string, id int64) string { return what + "_" + strconv.FormatInt(id, 10) }

// noteMatrix is the note permissions of cfg; sent replaces the stored
// kinds of the note types it holds.
func noteMatrix(cfg *tickets.Config, sent map[int64][2][]policy.Kind, errs map[int64]string) ui.NoteMatrix {
	m := ui.NoteMatrix{}
	for _, nt := range cfg.NoteTypes {
		read, add := nt.ReadKinds, nt.AddKinds
		if s, ok := sent[nt.ID]; ok {
			read, add = s[0], s[1]
		}
		row := ui.NoteRow{Name: nt.Name, Error: errs[nt.ID]}
		for _, k := range policy.TicketKinds {
			cell := ui.NoteCell{Name: noteName("read", nt.ID), Value: string(k), Column: k.PluralLabel() + " read",
				Label: k.PluralLabel() + " read " + nt.Name + " notes", Checked: slices.Contains(read, k)}
			if k == policy.Member {
				cell.Fixed = "Always"
			}
			row.Cells = append(row.Cells, cell)
		}
		for _, k := range policy.TicketKinds {
			cell := ui.NoteCell{Name: noteName("add", nt.ID), Value: string(k), Column: k.PluralLabel() + " add",
				Label: k.PluralLabel() + " add " + nt.Name + " notes", Checked: slices.Contains(add, k)}
			if k == policy.ExternalViewer {
				cell.Fixed = "Never"
			}
			row.Cells = append(row.Cells, cell)
		}
		m.Rows = append(m.Rows, row)
	}
	if len(errs) > 0 {
		m.FormError = "Nothing was saved. Fix the kinds of note marked below."
	}
	return m
}

func noteTypeForm(name string, read, add []policy.Kind) ui.NoteTypeForm {
	f := ui.NoteTypeForm{Name: ui.Field{Name: "name", Value: name}}
	for _, k := range externalKinds {
		f.Read = append(f.Read, ui.Option{Value: string(k), Label: k.PluralLabel(), Selected: slices.Contains(read, k)})
	}
	for _, k := range noteAdders {
		f.Add = append(f.Add, ui.Option{Value: string(k), Label: k.PluralLabel(), Selected: slices.Contains(add, k)})
	}
	return f
}

func fieldKindLabel(k tickets.FieldKind) string {
	switch k {
	case tickets.FieldText:
		return "Text"
	case tickets.FieldNumber:
		return "Number"
	case tickets.FieldDate:
		return "Date"
	case tickets.FieldChoice:
		return "Choice"
	}
	return string(k)
}

func customFieldForm(name, kind, choices string) ui.CustomFieldForm {
	f := ui.CustomFieldForm{Name: ui.Field{Name: "name", Value: name}, Kind: ui.Field{Name: "kind", Value: kind},
		Choices: ui.Field{Name: "choices", Value: choices}}
	for _, k := range tickets.FieldKinds {
		f.Kinds = append(f.Kinds, ui.Option{Value: string(k), Label: fieldKindLabel(k)})
	}
	return f
}

// formKinds reads the kinds checked in the form's field name; a kind not
// in allowed is refused rather than dropped.
func formKinds(c *fiber.Ctx, name string, allowed []policy.Kind, msg string) ([]policy.Kind, error) {
	var out []policy.Kind
	for _, v := range formValues(c, name) {
		k := policy.Kind(v)
		if !slices.Contains(allowed, k) {
			return nil, valid.Errors{name: msg}
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// ticketBoardSubmit is POST /settings/tickets/boards (new) and …/boards/ID.
func (s *Server) ticketBoardSubmit(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	errs := valid.Errors{}
	name := c.FormValue("name")
	kinds, err := formKinds(c, "kinds", externalKinds, "Choose external editors, external viewers or neither.")
	mergeErrors(errs, err)
	companies, err := formIDs(c, "companies")
	mergeErrors(errs, err)
	scope := c.FormValue("companies_scope")
	if scope != "all" && scope != "list" {
		errs.Add("companies", "Choose every company or only some.")
	}
	if len(errs) == 0 {
		in := tickets.BoardInput{Name: name, Kinds: kinds, AllCompanies: scope == "all", Companies: companies}
		_, err := tickets.SaveBoard(c.UserContext(), state(c).db, s.ticketsBy(c), id, in)
		if err == nil {
			msg := "Board " + strings.TrimSpace(name) + " saved."
			if id == 0 {
				msg = "Board " + strings.TrimSpace(name) + " added."
			}
			return s.ticketSettingsDone(c, "boards", msg)
		}
		if !errors.As(err, &errs) {
			return err
		}
	}
	v, cfg, err := s.ticketSettingsView(c)
	if err != nil {
		return err
	}
	if _, ok := cfg.Board(id); id != 0 && !ok {
		return errNotFound
	}
	all, err := people.Companies(c.UserContext(), state(c).db, state(c).actor)
	if err != nil {
		return err
	}
	form := boardForm(id, name, kinds, scope != "list", companies, all)
	form.Open = true
	form.Name.Error, form.KindsError, form.CompaniesError = errs["name"], errs["kinds"], errs["companies"]
	form.FormError = "Nothing was saved. Fix the fields marked below."
	if id == 0 {
		v.NewBoard = form
	}
	for i := range v.Boards {
		if v.Boards[i].ID == id {
			v.Boards[i].Form = form
		}
	}
	return s.ticketSettingsRefused(c, v)
}

// mergeErrors adds the field errors of err, when it holds some, to errs.
func mergeErrors(errs valid.Errors, err error) {
	var ve valid.Errors
	if errors.As(err, &ve) {
		for k, m := range ve {
			errs.Add(k, m)
		}
	}
}

// ticketFieldsSubmit is POST /settings/tickets/fields: the whole matrix.
// Only the cells that differ from what applies now are saved, so the
// audit record says what changed.
func (s *Server) ticketFieldsSubmit(c *fiber.Ctx) error {
	cfg, err := s.ticketConfig(c)
	if err != nil {
		return err
	}
	errs := valid.Errors{}
	sent := map[string]string{}
	changes := map[policy.TicketField]map[policy.Kind]policy.Access{}
	for _, f := range cfg.Fields() {
		for _, k := range policy.TicketKinds {
			name := accessName(f, k)
			raw := c.FormValue(name)
			if raw == "" {
				continue
			}
			sent[name] = raw
			x, ok := policy.ParseAccess(raw)
			if !ok {
				errs.Add(name, "Choose hidden, read or edit.")
				continue
			}
			if x == cfg.Rules.KindAccess(f, k) {
				continue
			}
			if changes[f] == nil {
				changes[f] = map[policy.Kind]policy.Access{}
			}
			changes[f][k] = x
		}
	}
	if len(errs) == 0 {
		err := tickets.SaveFieldAccess(c.UserContext(), state(c).db, s.ticketsBy(c), changes)
		if err == nil {
			msg := ticketSettingsSaved["fields"]
			if len(changes) == 0 {
				msg = "Nothing changed."
			}
			return s.ticketSettingsDone(c, "fields", msg)
		}
		if !errors.As(err, &errs) {
			return err
		}
	}
	v, cfg, err := s.ticketSettingsView(c)
	if err != nil {
		return err
	}
	v.Fields = fieldMatrix(cfg, sent, errs)
	return s.ticketSettingsRefused(c, v)
}

// ticketNotesSubmit is POST /settings/tickets/note-types: who reads and
// who adds each kind of note. The kinds of note whose settings changed
// are saved, each with its audit record.
func (s *Server) ticketNotesSubmit(c *fiber.Ctx) error {
	cfg, err := s.ticketConfig(c)
	if err != nil {
		return err
	}
	sent := map[int64][2][]policy.Kind{}
	errs := map[int64]string{}
	var changed []tickets.NoteType
	for _, nt := range cfg.NoteTypes {
		read, rerr := formKinds(c, noteName("read", nt.ID), externalKinds,
			"Members read every kind of note: choose external editors or viewers.")
		add, aerr := formKinds(c, noteName("add", nt.ID), noteAdders,
			"Only members and external editors add notes.")
		if rerr != nil || aerr != nil {
			errs[nt.ID] = "Only members and external editors add notes; members read every kind."
			continue
		}
		read = append(read, policy.Member)
		for _, k := range add {
			if !slices.Contains(read, k) {
				read = append(read, k)
			}
		}
		sent[nt.ID] = [2][]policy.Kind{read, add}
		if !sameKinds(read, nt.ReadKinds) || !sameKinds(add, nt.AddKinds) {
			changed = append(changed, tickets.NoteType{ID: nt.ID, Name: nt.Name, ReadKinds: read, AddKinds: add})
		}
	}
	if len(errs) > 0 {
		v, cfg, err := s.ticketSettingsView(c)
		if err != nil {
			return err
		}
		v.Notes = noteMatrix(cfg, sent, errs)
		return s.ticketSettingsRefused(c, v)
	}
	for _, nt := range changed {
		in := tickets.NoteTypeInput{Name: nt.Name, Read: nt.ReadKinds, Add: nt.AddKinds}
		if _, err := tickets.SaveNoteType(c.UserContext(), state(c).db, s.ticketsBy(c), nt.ID, in); err != nil {
			return err
		}
	}
	msg := ticketSettingsSaved["notes"]
	if len(changed) == 0 {
		msg = "Nothing changed."
	}
	return s.ticketSettingsDone(c, "notes", msg)
}

func sameKinds(a, b []policy.Kind) bool {
	for _, k := range policy.TicketKinds {
		if slices.Contains(a, k) != slices.Contains(b, k) {
			return false
		}
	}
	return true
}

// ticketNoteTypeAdd is POST /settings/tickets/note-types/new.
func (s *Server) ticketNoteTypeAdd(c *fiber.Ctx) error {
	name := c.FormValue("name")
	errs := valid.Errors{}
	read, err := formKinds(c, "read", externalKinds, "Members read every kind of note.")
	mergeErrors(errs, err)
	add, err := formKinds(c, "add", noteAdders, "Only members and external editors add notes.")
	mergeErrors(errs, err)
	if len(errs) == 0 {
		_, err := tickets.SaveNoteType(c.UserContext(), state(c).db, s.ticketsBy(c), 0, tickets.NoteTypeInput{Name: name, Read: read, Add: add})
		if err == nil {
			return s.ticketSettingsDone(c, "notes", "Kind of note "+strings.TrimSpace(name)+" added.")
		}
		if !errors.As(err, &errs) {
			return err
		}
	}
	v, _, err := s.ticketSettingsView(c)
	if err != nil {
		return err
	}
	f := noteTypeForm(name, read, add)
	f.Name.Error = errs["name"]
	f.KindError = errs["read"] + errs["add"]
	f.FormError = "Nothing was saved. Fix the fields marked below."
	v.NewNoteType = f
	return s.ticketSettingsRefused(c, v)
}

// ticketCustomFieldAdd is POST /settings/tickets/custom-fields.
func (s *Server) ticketCustomFieldAdd(c *fiber.Ctx) error {
	name, kind, choices := c.FormValue("name"), c.FormValue("kind"), c.FormValue("choices")
	in := tickets.CustomFieldInput{Name: name, Kind: tickets.FieldKind(kind)}
	for _, line := range strings.Split(strings.ReplaceAll(choices, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			in.Choices = append(in.Choices, line)
		}
	}
	_, err := tickets.AddCustomField(c.UserContext(), state(c).db, s.ticketsBy(c), in)
	if err == nil {
		return s.ticketSettingsDone(c, "custom", "Custom field "+strings.TrimSpace(name)+" added. It is hidden from external users until you open it in the field permissions.")
	}
	var errs valid.Errors
	if !errors.As(err, &errs) {
		return err
	}
	v, _, err := s.ticketSettingsView(c)
	if err != nil {
		return err
	}
	f := customFieldForm(name, kind, choices)
	f.Name.Error, f.Kind.Error, f.Choices.Error = errs["name"], errs["kind"], errs["choices"]
	f.FormError = "Nothing was saved. Fix the fields marked below."
	v.NewField = f
	return s.ticketSettingsRefused(c, v)
}
