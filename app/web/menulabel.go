package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
)

// menuLabel is the line under the name in the user menu. Members see their
// kind and highest capability ("Member · Super admin"); external users and
// clients see what they belong to in their own words — their company or
// team ("Globex Corporation and 2 more") — never an internal kind. It is
// loaded through the actor's scopes, so a preview shows what the
// previewed user would see.
func (s *Server) menuLabel(c *fiber.Ctx) string {
	st := state(c)
	u := st.user
	if policy.MenuBelonging(u.Kind) == policy.BelongsToKind {
		return menuBadge(u.Kind, u.CapabilityList())
	}
	aff, err := people.AffiliationOf(c.UserContext(), st.db, st.actor)
	if err != nil {
		// The menu still renders; the label is left out.
		s.logWith(c).Error("user menu: load affiliation", "err", err)
		return ""
	}
	return aff.Label()
}
