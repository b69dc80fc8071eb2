package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/teamwork"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The 1:1s pages (SPEC §6): private to a member and their manager.

func oneOnOnePath(id int64) string { return "/one-on-ones/" + strconv.FormatInt(id, 10) }

// oneOnOnesPage is GET /one-on-ones.
func (s *Server) oneOnOnesPage(c *fiber.Ctx) error { return s.renderOneOnOnes(c, 200, "", "") }

func (s *Server) renderOneOnOnes(c *fiber.Ctx, status int, with, withErr string) error {
	st := state(c)
	ctx := c.UserContext()
	list, _, err := teamwork.OneOnOnes(ctx, st.db, st.actor, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	v := ui.OneOnOnesView{With: ui.Field{Name: "with_user_id", Value: with, Error: withErr}, Partners: []ui.Option{{Value: "", Label: "Choose a person"}}}
	for _, o := range list {
		item := ui.OneOnOneItem{URL: oneOnOnePath(o.ID), When: o.UpdatedAt.Format("Jan 2, 2006")}
		switch {
		case o.Member != nil && o.Member.ID == st.actor.UserID:
			item.With, item.Role = ownerOf(o.Manager), "Your manager"
		default:
			item.With, item.Role = ownerOf(o.Member), "Your report"
		}
		v.Items = append(v.Items, item)
	}
	partners, err := teamwork.Partners(ctx, st.db, st.actor)
	if err != nil {
		return err
	}
	for _, p := range partners {
		v.Partners = append(v.Partners, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	label := policy.Label(st.actor, policy.PageOneOnOnes)
	return render(c, status, ui.OneOnOnesPage(s.frame(c, label, policy.PageOneOnOnes), policy.Descriptions[policy.PageOneOnOnes], v))
}

// oneOnOneStart is POST /one-on-ones {with_user_id}.
func (s *Server) oneOnOneStart(c *fiber.Ctx) error {
	with := c.FormValue("with_user_id")
	id, _ := strconv.ParseInt(with, 10, 64)
	o, err := teamwork.StartOneOnOne(c.UserContext(), state(c).db, s.tw(c), id)
	var ve valid.Errors
	if errors.As(err, &ve) {
		return s.renderOneOnOnes(c, 400, with, ve["with_user_id"])
	}
	if err != nil {
		return err
	}
	return redirect(c, oneOnOnePath(o.ID))
}

// oneOnOnePage is GET /one-on-ones/ID: 404 for anyone but its two people.
func (s *Server) oneOnOnePage(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	o, err := teamwork.GetOneOnOne(c.UserContext(), state(c).db, state(c).actor, id)
	if err != nil {
		return err
	}
	return s.renderOneOnOne(c, 200, o, nil, "", "")
}

func (s *Server) renderOneOnOne(c *fiber.Ctx, status int, o *teamwork.OneOnOneView, errs valid.Errors, agenda, notes string) error {
	v := ui.OneOnOneView{Path: oneOnOnePath(o.ID), Member: ownerOf(o.Member), Manager: ownerOf(o.Manager), CompletionRule: teamwork.CompletionRule,
		Agenda: ui.Field{Name: "agenda", Value: o.Agenda}, Notes: ui.Field{Name: "notes", Value: o.Notes}, Completion: completionText(o.Completion)}
	if errs != nil {
		v.Agenda.Value, v.Agenda.Error, v.Notes.Value, v.Notes.Error = agenda, errs["agenda"], notes, errs["notes"]
	} else if c.Method() == fiber.MethodPost {
		v.Saved = "Saved."
	}
	st := state(c)
	f := s.frame(c, "1:1: "+v.Member+" and "+v.Manager, policy.PageOneOnOnes)
	f.Crumbs = []ui.Crumb{{Label: policy.Label(st.actor, policy.PageOneOnOnes), Path: "/one-on-ones"}}
	f.NoHistory = true
	return render(c, status, ui.OneOnOnePage(f, v))
}

// oneOnOneSubmit is POST /one-on-ones/ID: the agenda and notes.
func (s *Server) oneOnOneSubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	agenda, notes := c.FormValue("agenda"), c.FormValue("notes")
	o, err := teamwork.UpdateOneOnOne(c.UserContext(), state(c).db, s.tw(c), id, teamwork.OneOnOneInput{Agenda: &agenda, Notes: &notes})
	var ve valid.Errors
	if errors.As(err, &ve) {
		old, gerr := teamwork.GetOneOnOne(c.UserContext(), state(c).db, state(c).actor, id)
		if gerr != nil {
			return gerr
		}
		return s.renderOneOnOne(c, 400, old, ve, agenda, notes)
	}
	if err != nil {
		return err
	}
	return s.renderOneOnOne(c, 200, o, nil, "", "")
}
