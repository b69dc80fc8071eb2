package web

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/csvout"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The longest filter values: a search in the summaries and an action name.
const (
	maxAuditQuery  = 200
	maxAuditAction = 64
)

// auditFilter reads the filters of the page, the export and the API from the query.
func auditFilter(c *fiber.Ctx) (audit.Filter, ui.AuditFilter, error) {
	uf := ui.AuditFilter{Action: c.Query("action"), Query: c.Query("q"), Since: c.Query("since"), Until: c.Query("until")}
	f := audit.Filter{Scope: policy.AuditScope(state(c).actor), Action: uf.Action, Query: uf.Query, Limit: c.QueryInt("limit", 50)}
	errs := valid.Errors{}
	if msg := valid.Line(uf.Query, maxAuditQuery); msg != "" {
		errs.Add("q", msg)
	}
	if msg := valid.Line(uf.Action, maxAuditAction); msg != "" {
		errs.Add("action", msg)
	}
	for field, v := range map[string]string{"since": uf.Since, "until": uf.Until} {
		if len(v) > len("2006-01-02") {
			errs.Add(field, "Use a date like 2026-11-22.")
		}
	}
	if len(errs) > 0 {
		// The refused values are not echoed back; the messages say what to fix.
		return f, ui.AuditFilter{Errors: errs}, errs
	}
	for _, d := range []struct {
		field, v string
		dst      *time.Time
		add      time.Duration
	}{{"since", uf.Since, &f.Since, 0}, {"until", uf.Until, &f.Until, 24 * time.Hour}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", d.v)
		if err != nil {
			return f, uf, valid.Errors{d.field: "Use a date like 2026-11-22."}
		}
		*d.dst = t.Add(d.add)
	}
	if f.Limit < 1 || f.Limit > audit.MaxLimit {
		f.Limit = 50
	}
	return f, uf, nil
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

// auditPage is GET /audit; with a cursor from htmx it returns the next rows only.
func (s *Server) auditPage(c *fiber.Ctx) error {
	f, uf, err := auditFilter(c)
	uf.Actions = auditActionOptions()
	var ve valid.Errors
	if errors.As(err, &ve) {
		// A filter that cannot be applied shows its messages by the fields.
		uf.Errors = ve
		fr := s.frame(c, policy.Label(state(c).actor, policy.PageAudit), policy.PageAudit)
		fr.NoHistory = true
		return render(c, 400, ui.AuditPage(fr, uf, nil, "", "/audit.csv"))
	}
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
	for k, v := range map[string]string{"action": uf.Action, "q": uf.Query, "since": uf.Since, "until": uf.Until} {
		if v != "" {
			q.Set(k, v)
		}
	}
	more := nextURL(c, "/audit", next)
	return view(c, 200, nextRows(p, ui.AuditBody(rows, more)), func() templ.Component {
		fr := s.frame(c, policy.Label(state(c).actor, policy.PageAudit), policy.PageAudit)
		fr.NoHistory = true
		return ui.AuditPage(fr, uf, rows, more, "/audit.csv?"+q.Encode())
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

// apiAudit is GET /api/v1/audit.
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
		f.Before = next
		f.Limit = min(audit.MaxLimit, maxRows-written)
	}
	if truncated {
		c.Set("X-Export-Truncated", strconv.Itoa(maxRows))
		_ = w.Write([]string{"", "", "", "", "", "", "", "", fmt.Sprintf("The export stops at %d rows, newest first. Narrow the dates to export older entries.", maxRows)})
	}
	w.Flush()
	return w.Error()
}
