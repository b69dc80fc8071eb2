package web

import (
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/ui"
)

// render writes a component as the response. HTML is never cached: it
// carries a user's data and the CSRF token.
func render(c *fiber.Ctx, status int, comp templ.Component) error {
	c.Status(status)
	c.Type("html", "utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return comp.Render(c.UserContext(), c.Response().BodyWriter())
}

// view is the one place that chooses between a fragment and a whole page:
// an htmx request gets fragment (when there is one), any other request the
// page. page is a function because a page's frame costs queries that a
// fragment does not need.
func view(c *fiber.Ctx, status int, fragment templ.Component, page func() templ.Component) error {
	return viewErr(c, status, fragment, func() (templ.Component, error) { return page(), nil })
}

// viewErr is view for pages whose building can fail.
func viewErr(c *fiber.Ctx, status int, fragment templ.Component, page func() (templ.Component, error)) error {
	if fragment != nil && isHTMX(c) {
		return render(c, status, fragment)
	}
	comp, err := page()
	if err != nil {
		return err
	}
	return render(c, status, comp)
}

// brand is the request's tenant branding as views need it.
func (s *Server) brand(c *fiber.Ctx) ui.Brand {
	t := state(c).tenant
	b := ui.Brand{AppName: t.AppName, CSSURL: "/brand.css?v=" + brandVersion(t)}
	if v, err := s.assetVersions(c); err == nil {
		if e := v[tenant.Logo]; e != "" {
			b.LogoURL = "/brand/logo?v=" + e
		}
		if e := v[tenant.Favicon]; e != "" {
			b.FaviconURL = "/brand/favicon?v=" + e
		}
	}
	return b
}

// frame builds the app layout for the signed-in user: navigation from the
// policy, the current page marked.
func (s *Server) frame(c *fiber.Ctx, title string, current policy.Page) ui.Frame {
	st := state(c)
	var groups []ui.NavGroup
	for _, item := range policy.Navigation(st.actor, settingsOf(st.tenant)) {
		if len(groups) == 0 || groups[len(groups)-1].Title != string(item.Group) {
			groups = append(groups, ui.NavGroup{Title: string(item.Group)})
		}
		g := &groups[len(groups)-1]
		g.Links = append(g.Links, ui.NavLink{Key: string(item.Key), Label: item.Label, Path: item.Path, Current: item.Key == current})
	}
	u := st.user
	var preview *ui.PreviewBanner
	if st.previewing() {
		preview = &ui.PreviewBanner{Name: u.DisplayName(), Kind: u.Kind.Label()}
	}
	return ui.Frame{
		Preview: preview,
		Title:   title, Brand: s.brand(c), Nav: groups,
		User:    ui.Person{Name: u.DisplayName(), Email: u.Email, KindLabel: s.menuLabel(c), Client: policy.ClientMarked(u.Kind)},
		CSRF:    st.session.CSRFToken,
		StaticV: s.staticV, HTMXConfig: htmxConfig,
		Switcher: s.companySwitcher(c),
	}
}

// safeNext keeps a post-login redirect on this site: a local path only.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	if strings.HasPrefix(next, "/login") || strings.HasPrefix(next, "/api/") {
		return "/"
	}
	return next
}

// menuBadge is the kind shown in the user menu, with the highest capability
// when there is one ("Member · Super admin").
func menuBadge(k policy.Kind, caps []policy.Capability) string {
	if len(caps) > 0 {
		return k.Label() + " · " + caps[0].Label()
	}
	return k.Label()
}
