package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/ui"
)

// settingsSections are the parts of administration, each behind its rule.
var settingsSections = []struct {
	rule    policy.Rule
	section ui.SettingsSection
}{
	{policy.ManageUsers, ui.SettingsSection{Title: "Users", Desc: "Invite people, set their kind, capabilities, teams, companies, modules and page access; deactivate.", Path: "/settings/users"}},
	{policy.ManageTeams, ui.SettingsSection{Title: "Teams", Desc: "Org design: teams, their kinds, members and leaders.", Path: "/settings/teams"}},
	{policy.ManageCompanies, ui.SettingsSection{Title: "Companies", Desc: "Client companies and company groups.", Path: "/settings/companies"}},
	{policy.ManageTicketSettings, ui.SettingsSection{Title: "Tickets", Desc: "Boards, and field and note permissions by role: what ticket data external users see and change.", Path: "/settings/tickets"}},
	{policy.EditBranding, ui.SettingsSection{Title: "Branding", Desc: "App name, logo, favicon and colours.", Path: "/settings/branding"}},
	{policy.ManageIntegrations, ui.SettingsSection{Title: "Integrations", Desc: "API tokens for other systems, each with the scopes it needs.", Path: "/settings/integrations"}},
	{policy.ManageEmail, ui.SettingsSection{Title: "Email", Desc: "The SMTP server and sender of invitations and password resets.", Path: "/settings/email"}},
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

// sectionPage serves a page of SPEC §5 whose items arrive with later
// features: the page exists at its contract path, behind its rule, and says
// plainly that nothing is there yet.
func (s *Server) sectionPage(p policy.Page) fiber.Handler {
	return func(c *fiber.Ctx) error {
		label := policy.Label(state(c).actor, p)
		return render(c, 200, ui.SectionPage(s.frame(c, label, p), policy.Descriptions[p],
			"Nothing here yet", "When there is something to show, it appears on this page."))
	}
}
