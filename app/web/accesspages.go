package web

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/articles"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/reports"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/ui"
)

// pickerSize is how many of the newest tickets, reports and articles the
// explainer's picker offers; anything else is pasted as a link.
const pickerSize = 100

// mayExplain reports whether the request may ask the explainer and "who
// can see this?": an admin in their own view (a preview refuses
// administration).
func mayExplain(c *fiber.Ctx) bool {
	st := state(c)
	return !st.previewing() && policy.Allows(st.actor, settingsOf(st.tenant), policy.ExplainAccess)
}

// accessCheck is the explainer's form for user u, its picker filled with
// the pages and the newest objects the asking admin sees.
func (s *Server) accessCheck(c *fiber.Ctx, u *people.User) (ui.AccessCheck, error) {
	st, ctx := state(c), c.UserContext()
	a := ui.AccessCheck{UserID: u.ID, Name: u.DisplayName(), Path: ui.Field{Name: "path"}}
	pages := ui.OptionGroup{Label: "Pages"}
	for _, p := range policy.Pages {
		pages.Options = append(pages.Options, ui.Option{Value: p.Path, Label: p.Label})
	}
	a.Choices = append(a.Choices, pages)
	cfg, err := tickets.LoadConfig(ctx, st.db)
	if err != nil {
		return a, err
	}
	ts, _, err := tickets.List(ctx, st.db, st.actor, cfg, tickets.Query{}, store.Page{Limit: pickerSize})
	if err != nil {
		return a, err
	}
	group := ui.OptionGroup{Label: "Tickets"}
	for _, t := range ts {
		group.Options = append(group.Options, ui.Option{Value: "/tickets/" + strconv.FormatInt(t.ID, 10), Label: fmt.Sprintf("#%d %s", t.Number, t.Title)})
	}
	a.Choices = append(a.Choices, group)
	rs, _, err := reports.List(ctx, st.db, st.actor, reports.Query{}, store.Page{Limit: pickerSize})
	if err != nil {
		return a, err
	}
	parts, err := reports.PartsOf(ctx, st.db, st.actor, rs)
	if err != nil {
		return a, err
	}
	group = ui.OptionGroup{Label: "Reports and their parts"}
	for _, r := range rs {
		path := "/reports/" + strconv.FormatInt(r.ID, 10)
		group.Options = append(group.Options, ui.Option{Value: path, Label: r.Title})
		for _, p := range parts[r.ID] {
			label := r.Title + " › " + p.Title
			if p.InternalOnly {
				label += " (internal only)"
			}
			group.Options = append(group.Options, ui.Option{Value: path + "#part-" + strconv.FormatInt(p.ID, 10), Label: label})
		}
	}
	a.Choices = append(a.Choices, group)
	as, _, err := articles.List(ctx, st.db, st.actor, articles.Query{}, store.Page{Limit: pickerSize})
	if err != nil {
		return a, err
	}
	group = ui.OptionGroup{Label: "Knowledge base"}
	for _, x := range as {
		group.Options = append(group.Options, ui.Option{Value: "/kb/" + strconv.FormatInt(x.ID, 10), Label: x.Title})
	}
	a.Choices = append(a.Choices, group)
	return a, nil
}

// accessPage is GET /users/ID/access?pick=…&path=…: the explainer's answer,
// in place for htmx, else as a page with the form.
func (s *Server) accessPage(c *fiber.Ctx) error {
	u, err := s.accessUser(c)
	if err != nil {
		return err
	}
	path := c.Query("path")
	if path == "" {
		path = c.Query("pick")
	}
	var result *ui.AccessVerdict
	var fieldErr string
	// The form was sent (an empty choice is a question too, answered with
	// what to enter), not just the page opened.
	asked := c.Context().QueryArgs().Has("pick") || c.Context().QueryArgs().Has("path")
	if asked {
		v, err := s.explainAccess(c.UserContext(), state(c), u, path)
		var he *httpError
		switch {
		case errors.As(err, &he) && he.Fields["path"] != "":
			fieldErr = he.Fields["path"]
		case err != nil:
			return err
		default:
			result = &ui.AccessVerdict{Name: u.DisplayName(), Path: path, Allowed: v.Allowed, Reasons: v.Reasons}
		}
	}
	if isHTMX(c) {
		if fieldErr != "" {
			return render(c, 400, ui.Alert("error", fieldErr))
		}
		if result == nil {
			return c.SendStatus(fiber.StatusNoContent)
		}
		return render(c, 200, ui.AccessResult(*result))
	}
	a, err := s.accessCheck(c, u)
	if err != nil {
		return err
	}
	a.Result, a.Path.Value, a.Path.Error = result, c.Query("path"), fieldErr
	for gi := range a.Choices {
		for oi := range a.Choices[gi].Options {
			a.Choices[gi].Options[oi].Selected = a.Choices[gi].Options[oi].Value == c.Query("pick")
		}
	}
	status := 200
	if fieldErr != "" {
		status = 400
	}
	return render(c, status, ui.AccessPage(s.frame(c, "What "+u.DisplayName()+" can see", ""), a))
}

// audienceOf is who, of the tenant's active users, decide lets see an
// object: the policy's decision per user, not a query of its own.
func (s *Server) audienceOf(ctx context.Context, st *reqState, what, path string, decide func(policy.Actor) bool) (ui.Audience, error) {
	us, err := people.ActiveUsers(ctx, st.db)
	if err != nil {
		return ui.Audience{}, err
	}
	out := ui.Audience{What: what, Back: path}
	for _, u := range us {
		if !decide(u.Actor()) {
			continue
		}
		id := strconv.FormatInt(u.ID, 10)
		out.Members = append(out.Members, ui.AudienceMember{
			Person:  ui.Person{Name: u.DisplayName(), KindLabel: u.Kind.Label(), Client: policy.ClientMarked(u.Kind)},
			Profile: "/users/" + id,
			Why:     "/users/" + id + "/access?path=" + url.QueryEscape(path),
		})
	}
	return out, nil
}

func (s *Server) renderAudience(c *fiber.Ctx, title string, a ui.Audience) error {
	if isHTMX(c) {
		return render(c, 200, ui.AudienceList(a))
	}
	return render(c, 200, ui.AudiencePage(s.frame(c, title, ""), a))
}

// ticketAudience is GET /tickets/ID/audience: who can see this ticket.
func (s *Server) ticketAudience(c *fiber.Ctx) error {
	st := state(c)
	id, err := paramID(c)
	if err != nil {
		return err
	}
	cfg, err := tickets.LoadConfig(c.UserContext(), st.db)
	if err != nil {
		return err
	}
	v, err := tickets.Get(c.UserContext(), st.db, st.actor, cfg, id)
	if errors.Is(err, tickets.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	facts := v.Facts()
	a, err := s.audienceOf(c.UserContext(), st, "this ticket", "/tickets/"+strconv.FormatInt(id, 10),
		func(u policy.Actor) bool { return policy.CanSeeTicket(u, cfg.Rules, facts) })
	if err != nil {
		return err
	}
	return s.renderAudience(c, fmt.Sprintf("Who can see #%d %s", v.Number, v.Title), a)
}

// partAudience is GET /reports/ID/parts/PART/audience: who reads this part.
func (s *Server) partAudience(c *fiber.Ctx) error {
	st := state(c)
	id, err := paramID(c)
	if err != nil {
		return err
	}
	partID, err := paramIDOf(c, "part_id")
	if err != nil {
		return err
	}
	v, err := reports.Get(c.UserContext(), st.db, st.actor, s.md, id)
	if errors.Is(err, reports.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	for _, p := range v.Parts {
		if p.ID != partID {
			continue
		}
		facts := policy.ReportFacts{CompanyID: v.Company.ID, Published: v.Status == reports.Published}
		path := fmt.Sprintf("/reports/%d#part-%d", id, partID)
		a, err := s.audienceOf(c.UserContext(), st, "the part “"+p.Title+"”", path,
			func(u policy.Actor) bool { return policy.ExplainReportPart(u, facts, p.InternalOnly, nil) })
		if err != nil {
			return err
		}
		return s.renderAudience(c, "Who can see “"+p.Title+"”", a)
	}
	return errNotFound
}
