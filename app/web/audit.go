package web

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/csvout"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The longest filter values: a search in the summaries and an action name.
const (
	maxAuditQuery  = 200
	maxAuditAction = 64
)

// auditFilter reads the filters and sort of the page, the export and the
// API from the query: action (an action or a prefix ending in "."), q (text
// in the summary), impersonator_id (who previewed: a user's ID, or any for
// every preview; impersonator=any says the same), since and until (dates
// like 2026-11-22) and sort (-at, newest first, the default; at, oldest
// first). The list view carries the values and, for refused ones, the
// messages by their fields; the page adds the choices of "Previewed by"
// (previewedByChoices).
func auditFilter(c *fiber.Ctx) (audit.Filter, ui.ListView, error) {
	action, query, since, until, sort := c.Query("action"), c.Query("q"), c.Query("since"), c.Query("until"), c.Query("sort")
	f := audit.Filter{Scope: policy.AuditScope(state(c).actor), Action: action, Query: query, Limit: c.QueryInt("limit", 50)}
	errs := valid.Errors{}
	previewedBy := c.Query("impersonator_id")
	switch previewedBy {
	case "":
	case "any":
		f.Previews = true
	default:
		n, err := strconv.ParseInt(previewedBy, 10, 64)
		if err != nil || n <= 0 {
			errs.Add("impersonator_id", "Choose someone from the list, or any.")
		}
		f.ImpersonatorID, previewedBy = n, strconv.FormatInt(n, 10)
	}
	switch c.Query("impersonator") {
	case "":
	case "any":
		f.Previews = true
		if previewedBy == "" {
			previewedBy = "any"
		}
	default:
		errs.Add("impersonator", "Use any, or leave it out.")
	}
	if msg := valid.Line(query, maxAuditQuery); msg != "" {
		errs.Add("q", msg)
	}
	if msg := valid.Line(action, maxAuditAction); msg != "" {
		errs.Add("action", msg)
	}
	for field, v := range map[string]string{"since": since, "until": until} {
		if len(v) > len("2006-01-02") {
			errs.Add(field, "Use a date like 2026-11-22.")
		}
	}
	oldest, err := audit.CheckSort(sort)
	if err != nil {
		errs.Add("sort", err.(valid.Errors)["sort"])
	}
	if len(errs) == 0 {
		for _, d := range []struct {
			field, v string
			dst      *time.Time
			add      time.Duration
		}{{"since", since, &f.Since, 0}, {"until", until, &f.Until, 24 * time.Hour}} {
			if d.v == "" {
				continue
			}
			t, err := time.Parse("2006-01-02", d.v)
			if err != nil {
				errs.Add(d.field, "Use a date like 2026-11-22.")
				continue
			}
			*d.dst = t.Add(d.add)
		}
	}
	f.Oldest = oldest
	if len(errs) > 0 {
		// The refused values are not echoed back; the messages say what to fix.
		action, query, since, until, sort, previewedBy = "", "", "", "", "", ""
		f.ImpersonatorID, f.Previews = 0, false
	}
	if f.Limit < 1 || f.Limit > audit.MaxLimit {
		f.Limit = 50
	}
	actions := auditActionOptions()
	if sort == "" {
		sort = audit.Sorts[0].Name
	}
	l := ui.ListView{ID: "audit-rows", Path: "/audit", Label: "Audit log", Query: listQuery(c), One: "record", Many: "records",
		Sort: sort, Sorts: sortOptions(audit.Sorts),
		Filters: []ui.ListFilter{
			{Name: "action", Label: "Action", Value: action, Options: actions},
			{Name: "q", Label: "Summary contains", Type: "search", Value: query, MaxLength: maxAuditQuery},
			{Name: "impersonator_id", Label: "Previewed by", Value: previewedBy, Options: []ui.Option{anyOption("All records"), {Value: "any", Label: "Any preview"}}},
			{Name: "since", Label: "From", Type: "date", Value: since},
			{Name: "until", Label: "Until", Type: "date", Value: until},
		},
		Columns: []ui.Column{{Label: "When", Asc: "at", Desc: "-at"}, {Label: "Who"}, {Label: "Action"}, {Label: "Summary"}, {Label: "Address"}},
		Empty:   ui.Empty{Title: "Nothing recorded yet", Text: "Sign-ins, invitations and changes to people and settings are recorded here as they happen."}}
	applyErrors(&l, errs)
	if msg := errs["impersonator"]; msg != "" {
		previewedByFilter(&l).Error = msg // another spelling of the same filter
	}
	return f, l, errs.Err()
}

// previewedByFilter is the "Previewed by" filter of the audit list.
func previewedByFilter(l *ui.ListView) *ui.ListFilter {
	for i := range l.Filters {
		if l.Filters[i].Name == "impersonator_id" {
			return &l.Filters[i]
		}
	}
	panic("web: the audit list has no Previewed by filter")
}

// previewedByChoices adds to the page's "Previewed by" filter, after all
// records and any preview, the users who previewed someone in the log
// (audit.Impersonators, a bounded list) by name, and the one asked for
// even if they never did.
func (s *Server) previewedByChoices(c *fiber.Ctx, f audit.Filter, l *ui.ListView) error {
	ctx, db := c.UserContext(), state(c).db
	ids, err := audit.Impersonators(ctx, db, f.Scope)
	if err != nil {
		return err
	}
	if f.ImpersonatorID != 0 && !slices.Contains(ids, f.ImpersonatorID) {
		ids = append(ids, f.ImpersonatorID)
	}
	users, err := people.UsersByIDs(ctx, db, ids)
	if err != nil {
		return err
	}
	slices.SortFunc(users, func(a, b people.User) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.DisplayName()), strings.ToLower(b.DisplayName())), cmp.Compare(a.ID, b.ID))
	})
	fl := previewedByFilter(l)
	for _, u := range users {
		fl.Options = append(fl.Options, ui.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.DisplayName()})
	}
	if f.ImpersonatorID != 0 && !slices.ContainsFunc(users, func(u people.User) bool { return u.ID == f.ImpersonatorID }) {
		// Not one of the tenant's users: the list is empty, and says whom it asked for.
		fl.Options = append(fl.Options, ui.Option{Value: fl.Value, Label: "User " + fl.Value})
	}
	return nil
}

// auditActionOptions are the action filter's choices, in words, from the
// audit package's one list of labels.
func auditActionOptions() []ui.Option {
	opts := audit.FilterOptions()
	out := make([]ui.Option, 0, len(opts))
	for _, o := range opts {
		out = append(out, ui.Option{Value: o.Value, Label: o.Label})
	}
	return out
}

// actorNames maps the user IDs of entries to "Name <email>".
func (s *Server) actorNames(c *fiber.Ctx, entries []audit.Entry) (map[int64]*people.User, error) {
	ids := map[int64]bool{}
	for _, e := range entries {
		if e.ActorID != nil {
			ids[*e.ActorID] = true
		}
		if e.ImpersonatorID != nil {
			ids[*e.ImpersonatorID] = true
		}
	}
	out := map[int64]*people.User{}
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	users, err := people.UsersByIDs(c.UserContext(), state(c).db, list)
	if err != nil {
		return nil, err
	}
	for i := range users {
		out[users[i].ID] = &users[i]
	}
	return out, nil
}

func nameOf(users map[int64]*people.User, id *int64) string {
	if id == nil {
		return ""
	}
	if u := users[*id]; u != nil {
		return u.DisplayName() + " <" + u.Email + ">"
	}
	return "user " + strconv.FormatInt(*id, 10)
}

// auditPage is GET /audit with its filters and sort; an htmx request from
// the filters gets the list only, "Load more" from htmx the next rows only.
func (s *Server) auditPage(c *fiber.Ctx) error {
	frame := func() ui.Frame {
		fr := s.frame(c, policy.Label(state(c).actor, policy.PageAudit), policy.PageAudit)
		fr.NoHistory = true
		return fr
	}
	f, l, err := auditFilter(c)
	p, perr := pageOf(c)
	if perr != nil {
		return perr
	}
	if err := s.previewedByChoices(c, f, &l); err != nil {
		return err
	}
	if err != nil {
		// A filter that cannot be applied shows its messages by the fields.
		page := func() (templ.Component, error) { return ui.AuditPage(frame(), l, nil, "/audit.csv"), nil }
		return listView(c, 400, l, store.Page{}, ui.ListRegion(l, ui.AuditBody(nil, "")), nil, page)
	}
	entries, next, err := audit.ListPage(c.UserContext(), state(c).db, f, p)
	if err != nil {
		return err
	}
	if l.Count, err = audit.Count(c.UserContext(), state(c).db, f); err != nil {
		return err
	}
	users, err := s.actorNames(c, entries)
	if err != nil {
		return err
	}
	rows := make([]ui.AuditRow, 0, len(entries))
	for _, e := range entries {
		actor := nameOf(users, e.ActorID)
		if actor == "" {
			actor = "—"
		}
		rows = append(rows, ui.AuditRow{At: e.At, Actor: actor, Impersonator: nameOf(users, e.ImpersonatorID),
			Action: string(e.Action), ActionLabel: e.Action.Label(), Address: e.Address, Summary: e.Summary})
	}
	q := url.Values{}
	for _, k := range []string{"action", "q", "impersonator_id", "impersonator", "since", "until", "sort"} {
		if v := c.Query(k); v != "" {
			q.Set(k, v)
		}
	}
	l.Rows, l.Next = len(rows), nextURL(c, "/audit", next)
	body := ui.AuditBody(rows, l.Next)
	return listView(c, 200, l, p, ui.ListRegion(l, body), body, func() (templ.Component, error) {
		return ui.AuditPage(frame(), l, rows, "/audit.csv?"+q.Encode()), nil
	})
}

type auditJSON struct {
	audit.Entry
	// ActionLabel is the action in words, next to the action itself.
	ActionLabel  string     `json:"action_label"`
	Actor        *personRef `json:"actor"`
	Impersonator *personRef `json:"impersonator"`
}

type personRef struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

func refOf(users map[int64]*people.User, id *int64) *personRef {
	if id == nil || users[*id] == nil {
		return nil
	}
	u := users[*id]
	return &personRef{ID: u.ID, Email: u.Email, Name: u.Name}
}

// apiAudit is GET /api/v1/audit: one page of the log, newest first. It
// takes the list's parameters (SPEC §12) and the page's filters: action,
// q, impersonator_id (or impersonator=any), since, until and sort (-at,
// newest first, the default; at, oldest first); a cursor is good only for
// the sort that handed it out. An invalid value is 400 with a message for
// its field.
func (s *Server) apiAudit(c *fiber.Ctx) error {
	f, _, err := auditFilter(c)
	if err != nil {
		return err
	}
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	entries, next, err := audit.ListPage(c.UserContext(), state(c).db, f, p)
	if err != nil {
		return err
	}
	users, err := s.actorNames(c, entries)
	if err != nil {
		return err
	}
	items := make([]auditJSON, 0, len(entries))
	for _, e := range entries {
		items = append(items, auditJSON{Entry: e, ActionLabel: e.Action.Label(), Actor: refOf(users, e.ActorID), Impersonator: refOf(users, e.ImpersonatorID)})
	}
	return listJSON(c, items, next)
}

// auditCSV is GET /audit.csv: the filtered log as a spreadsheet. Every
// cell is escaped: names, addresses and summaries come from users.
func (s *Server) auditCSV(c *fiber.Ctx) error {
	f, _, err := auditFilter(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="audit-`+time.Now().UTC().Format("2006-01-02")+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	w := csvout.NewWriter(c.Response().BodyWriter())
	_ = w.Write([]string{"time", "actor", "impersonator", "action", "action_label", "object_type", "object_id", "address", "summary"})
	f.Limit = min(audit.MaxLimit, s.Config.Limits.ExportRows)
	// The export is built in memory, so it stops at maxExportRows; when it
	// does, it says so in a last row and a header instead of ending silently.
	truncated, maxRows := false, s.Config.Limits.ExportRows
	for written := 0; ; {
		if written >= maxRows {
			truncated = true
			break
		}
		entries, next, err := audit.List(c.UserContext(), state(c).db, f)
		if err != nil {
			return err
		}
		users, err := s.actorNames(c, entries)
		if err != nil {
			return err
		}
		for _, e := range entries {
			obj := ""
			if e.ObjectID != nil {
				obj = strconv.FormatInt(*e.ObjectID, 10)
			}
			_ = w.Write([]string{e.At.UTC().Format(time.RFC3339), nameOf(users, e.ActorID), nameOf(users, e.ImpersonatorID),
				string(e.Action), e.Action.Label(), e.ObjectType, obj, e.Address, e.Summary})
		}
		written += len(entries)
		if next == 0 {
			break
		}
		if f.Oldest {
			f.After = next
		} else {
			f.Before = next
		}
		f.Limit = min(audit.MaxLimit, maxRows-written)
	}
	if truncated {
		c.Set("X-Export-Truncated", strconv.Itoa(maxRows))
		_ = w.Write([]string{"", "", "", "", "", "", "", "", fmt.Sprintf("The export stops at %d rows, newest first. Narrow the dates to export older entries.", maxRows)})
	}
	w.Flush()
	return w.Error()
}
