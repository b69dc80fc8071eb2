package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/tickets"
)

// ticketsBy is who changes a ticket in this request, for the tickets
// package: the actor, the audit record's who, and where emails about the
// change come from (the tenant's primary host, never the request's Host).
// Handlers that change a ticket call wakeMail after a change succeeds.
func (s *Server) ticketsBy(c *fiber.Ctx) tickets.By {
	st := state(c)
	m := &tickets.Mail{Tenant: st.tenant, Base: s.Links.Base(st.tenant)}
	if v, err := tenant.AssetVersions(c.UserContext(), st.db); err == nil {
		m.LogoETag = v[tenant.Logo]
	}
	return tickets.By{Actor: st.actor, Who: s.who(c), Mail: m}
}

// ticketConfig loads the tenant's ticket settings for this request.
func (s *Server) ticketConfig(c *fiber.Ctx) (*tickets.Config, error) {
	return tickets.LoadConfig(c.UserContext(), state(c).db)
}
