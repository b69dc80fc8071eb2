package web

import (
	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/ui"
)

// linkGone answers a dead invitation or reset link with 410 in the
// tenant's signed-out frame (or, for htmx, the box in place of the form):
// what happened and what to do, never the bare status.
func (s *Server) linkGone(c *fiber.Ctx, v ui.ErrorView) error {
	v.Status, v.Bare = fiber.StatusGone, true
	if v.Title == "" {
		v.Title = errorTitle(v.Status)
	}
	return view(c, v.Status, ui.ErrorBox(v), func() templ.Component {
		return ui.BareErrorPage(s.brand(c), s.staticV, htmxConfig, v)
	})
}

// invitationGone is the page of a used, revoked or expired invitation
// link: it names whoever sent the invitation, when that is known, as the
// person to ask for a new one.
func (s *Server) invitationGone(c *fiber.Ctx, secret string) error {
	ask := "the person who invited you"
	name, err := invitations.InviterOf(c.UserContext(), state(c).db, secret)
	if err != nil {
		s.logWith(c).Error("invitation link: find the inviter", "err", err)
	}
	if name != "" {
		ask = name
	}
	return s.linkGone(c, ui.ErrorView{
		Message: "This link was already used or has expired — ask " + ask + " for a new one.",
		Actions: []ui.ErrorAction{{Label: "Sign in", Path: "/login"}},
	})
}

// resetGone is the page of a used or expired password reset link.
func (s *Server) resetGone(c *fiber.Ctx) error {
	return s.linkGone(c, ui.ErrorView{
		Message: "This reset link was already used or has expired. Ask for a new one.",
		Actions: []ui.ErrorAction{{Label: "Ask for a new link", Path: "/forgot"}, {Label: "Sign in", Path: "/login"}},
	})
}
