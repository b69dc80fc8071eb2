package web

import (
	"context"

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
	if v, err := s.assetVersions(c); err == nil {
		m.LogoETag = v[tenant.Logo]
	}
	return tickets.By{Actor: st.actor, Who: s.who(c), Mail: m, Settings: s.settings}
}

// ticketConfig is the tenant's ticket settings for this request, shared
// with other requests: it must not be changed.
func (s *Server) ticketConfig(c *fiber.Ctx) (*tickets.Config, error) {
	st := state(c)
	return tickets.CachedConfig(c.UserContext(), s.settingsCache(c), st.tenant, st.db)
}

// assetVersions are the tenant's branding images' versions.
func (s *Server) assetVersions(c *fiber.Ctx) (map[tenant.AssetKind]string, error) {
	st := state(c)
	return tenant.Cached(c.UserContext(), s.settingsCache(c), st.tenant, "tenant.AssetVersions", func(ctx context.Context) (map[tenant.AssetKind]string, error) {
		return tenant.AssetVersions(ctx, st.db)
	})
}

// settingsCache is the server's cache of tenant settings for a request
// that reads, and none for one that may change them: it reads them as its
// own change left them, which the tenant row it read before does not know.
func (s *Server) settingsCache(c *fiber.Ctx) *tenant.Cache {
	if m := c.Method(); m != fiber.MethodGet && m != fiber.MethodHead {
		return nil
	}
	return s.settings
}
