package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/ui"
)

// homePage is "/": my work across what I can see.
func (s *Server) homePage(c *fiber.Ctx) error {
	u := state(c).user
	first := u.DisplayName()
	if f, _, ok := strings.Cut(first, " "); ok {
		first = f
	}
	return render(c, 200, ui.HomePage(s.frame(c, policy.Label(state(c).actor, policy.PageHome), policy.PageHome), first))
}

// settingsSections are the parts of administration, each behind its rule.
var settingsSections = []struct {
	rule    policy.Rule
	section ui.SettingsSection
}{
	{policy.EditBranding, ui.SettingsSection{Title: "Branding", Desc: "App name, logo, favicon and colours.", Path: "/settings/branding"}},
}

// settingsPage lists the sections of administration this user may open.
func (s *Server) settingsPage(c *fiber.Ctx) error {
	st := state(c)
	var sections []ui.SettingsSection
	for _, sec := range settingsSections {
		if policy.Allows(st.actor, settingsOf(st.tenant), sec.rule) {
			sections = append(sections, sec.section)
		}
	}
	return render(c, 200, ui.SettingsPage(s.frame(c, "Settings", policy.PageSettings), sections))
}
