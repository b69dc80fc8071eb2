package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/ui"
)

func orgError(err error) error {
	if errors.Is(err, people.ErrNotFoundTeam) || errors.Is(err, people.ErrNotFoundCompany) {
		return errNotFound
	}
	return err
}

// optionalID is the :id of a route that both creates (no id) and changes.
func optionalID(c *fiber.Ctx) (int64, error) {
	if c.Params("id") == "" {
		return 0, nil
	}
	return paramID(c)
}

// savedJSON answers a save through a route that both creates and changes
// (optionalID): 201 with the object when it was created (id 0), else 200.
func savedJSON(c *fiber.Ctx, id int64, v any) error {
	if id == 0 {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(v)
}

// by is who performs an org-design operation: the request's actor, and who
// its audit record names.
func (s *Server) by(c *fiber.Ctx) people.By {
	st := state(c)
	return people.By{Actor: st.actor, Settings: settingsOf(st.tenant), Who: s.who(c)}
}

func (s *Server) settingsFrame(c *fiber.Ctx, title string, crumbs ...ui.Crumb) ui.Frame {
	f := s.frame(c, title, policy.PageSettings)
	f.Crumbs = append([]ui.Crumb{{Label: "Settings", Path: "/settings"}}, crumbs...)
	return f
}
