package web

import (
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tokens"
)

// routes is the whole route table. Every route names the rule it requires;
// the policy package decides the rule for the actor of each request. Routes
// in a section also obey the section's page: hiding Settings or the audit
// log from a user closes every route under it, forms and API alike.
func (s *Server) routes() {
	settingsSection := s.section(policy.PageSettings)
	auditSection := s.section(policy.PageAudit)
	// The API's reads of teams and companies serve the data of those pages:
	// a user without the page (kind, hidden page, module not shown) gets 403.
	teamsSection := s.section(policy.PageTeams)
	companiesSection := s.section(policy.PageCompanies)

	s.app.Use(s.clientAddress, s.logRequests, s.recoverPanics, s.securityHeaders, s.checkInput)

	// Served for any host, before the tenant is known.
	s.route("GET", "/healthz", policy.Public, s.healthz)
	s.route("GET", "/readyz", policy.Public, s.readyz)
	s.route("GET", "/static/*", policy.Public, s.serveStatic)

	s.app.Use(s.resolveTenant, s.loadSession)

	// Branding assets: the sign-in page needs them before anyone signs in.
	s.route("GET", "/brand.css", policy.Public, s.brandCSS)
	s.route("GET", "/brand/:kind", policy.Public, s.brandAsset)
	s.route("GET", "/favicon.ico", policy.Public, s.favicon)

	// Signing in and out.
	s.route("GET", "/login", policy.Public, s.loginPage)
	s.route("POST", "/login", policy.Public, s.loginForm)
	s.route("POST", "/logout", policy.SignOut, s.logoutForm)
	s.route("GET", "/invite/:token", policy.Public, s.invitePage)
	s.route("POST", "/invite/:token", policy.Public, s.inviteForm)
	s.route("GET", "/forgot", policy.Public, s.forgotPage)
	s.route("POST", "/forgot", policy.Public, s.forgotForm)
	s.route("GET", "/reset/:token", policy.Public, s.resetPage)
	s.route("POST", "/reset/:token", policy.Public, s.resetForm)

	// Pages.
	s.route("GET", "/", policy.ViewPage(policy.PageHome), s.homePage)
	settingsSection.route("GET", "/settings", policy.ViewPage(policy.PageSettings), s.settingsPage)
	settingsSection.route("GET", "/settings/branding", policy.EditBranding, s.brandingPage)
	settingsSection.route("POST", "/settings/branding", policy.EditBranding, s.brandingForm)
	settingsSection.route("GET", "/settings/users", policy.ManageUsers, s.usersPage)
	settingsSection.route("GET", "/settings/users/new", policy.InviteUsers, s.inviteFormPage)
	settingsSection.route("POST", "/settings/users/new", policy.InviteUsers, s.inviteFormSubmit)
	settingsSection.route("POST", "/settings/users/invitations/:id/resend", policy.InviteUsers, s.invitationAction(true))
	settingsSection.route("POST", "/settings/users/invitations/:id/revoke", policy.InviteUsers, s.invitationAction(false))
	settingsSection.route("GET", "/settings/users/:id", policy.ManageUsers, s.userEditPage)
	settingsSection.route("POST", "/settings/users/:id", policy.ManageUsers, s.userEditSubmit)
	settingsSection.route("POST", "/settings/users/:id/status", policy.ManageUsers, s.userStatusSubmit)
	s.route("GET", "/users/:id", policy.SignedIn, s.profilePage)
	s.route("GET", "/account/password", policy.OwnAccount, s.passwordPage)
	s.route("POST", "/account/password", policy.OwnAccount, s.passwordSubmit)
	s.route("GET", "/account/tokens", policy.OwnAccount, s.tokensGet(tokens.Personal))
	s.route("POST", "/account/tokens", policy.OwnAccount, s.tokensCreate(tokens.Personal))
	s.route("POST", "/account/tokens/:id/revoke", policy.OwnAccount, s.tokensRevoke(tokens.Personal))
	s.route("GET", "/account/notifications", policy.OwnAccount, s.notificationsPage)
	s.route("POST", "/account/notifications", policy.OwnAccount, s.notificationsSubmit)
	s.route("GET", "/teams", policy.ViewPage(policy.PageTeams), s.teamsPage)
	settingsSection.route("GET", "/settings/teams", policy.ManageTeams, s.settingsTeamsPage)
	settingsSection.route("POST", "/settings/teams", policy.ManageTeams, s.teamFormSubmit)
	settingsSection.route("GET", "/settings/teams/:id", policy.ManageTeams, s.teamEditPage)
	settingsSection.route("POST", "/settings/teams/:id", policy.ManageTeams, s.teamFormSubmit)
	settingsSection.route("POST", "/settings/teams/:id/members", policy.ManageTeams, s.teamMemberAdd)
	settingsSection.route("POST", "/settings/teams/:id/members/:user_id/remove", policy.ManageTeams, s.teamMemberRemove)
	settingsSection.route("POST", "/settings/teams/:id/delete", policy.ManageTeams, s.teamDelete)
	settingsSection.route("GET", "/settings/companies", policy.ManageCompanies, s.settingsCompaniesPage)
	settingsSection.route("POST", "/settings/companies", policy.ManageCompanies, s.companyFormSubmit)
	settingsSection.route("POST", "/settings/companies/groups", policy.ManageCompanies, s.groupFormSubmit)
	settingsSection.route("POST", "/settings/companies/groups/:id", policy.ManageCompanies, s.groupFormSubmit)
	settingsSection.route("GET", "/settings/companies/:id", policy.ManageCompanies, s.companyEditPage)
	settingsSection.route("POST", "/settings/companies/:id", policy.ManageCompanies, s.companyFormSubmit)
	settingsSection.route("POST", "/settings/companies/:id/delete", policy.ManageCompanies, s.companyDelete)
	settingsSection.route("GET", "/settings/email", policy.ManageEmail, s.emailPage)
	settingsSection.route("POST", "/settings/email", policy.ManageEmail, s.emailSave)
	settingsSection.route("POST", "/settings/email/test", policy.ManageEmail, s.emailTest)
	settingsSection.route("GET", "/settings/email/test/:id", policy.ManageEmail, s.emailTestStatus)
	settingsSection.route("GET", "/settings/integrations", policy.ManageIntegrations, s.tokensGet(tokens.Integration))
	settingsSection.route("POST", "/settings/integrations", policy.ManageIntegrations, s.tokensCreate(tokens.Integration))
	settingsSection.route("POST", "/settings/integrations/:id/revoke", policy.ManageIntegrations, s.tokensRevoke(tokens.Integration))
	settingsSection.route("GET", "/settings/tickets", policy.ManageTicketSettings, s.ticketSettingsPage)
	settingsSection.route("POST", "/settings/tickets/boards", policy.ManageTicketSettings, s.ticketBoardSubmit)
	settingsSection.route("POST", "/settings/tickets/boards/:id", policy.ManageTicketSettings, s.ticketBoardSubmit)
	settingsSection.route("POST", "/settings/tickets/fields", policy.ManageTicketSettings, s.ticketFieldsSubmit)
	settingsSection.route("POST", "/settings/tickets/note-types", policy.ManageTicketSettings, s.ticketNotesSubmit)
	settingsSection.route("POST", "/settings/tickets/note-types/new", policy.ManageTicketSettings, s.ticketNoteTypeAdd)
	settingsSection.route("POST", "/settings/tickets/custom-fields", policy.ManageTicketSettings, s.ticketCustomFieldAdd)
	auditSection.route("GET", "/audit", policy.ViewPage(policy.PageAudit), s.auditPage)
	auditSection.route("GET", "/audit.csv", policy.ViewAudit, s.auditCSV)
	auditSection.route("GET", "/api/v1/audit", policy.ViewAudit, s.apiAudit)
	s.route("GET", "/tickets", policy.ViewPage(policy.PageTickets), s.ticketsPage)
	s.route("GET", "/tickets.csv", policy.ViewPage(policy.PageTickets), s.ticketsCSV)
	s.route("GET", "/tickets/new", policy.CreateTickets, s.newTicketPage)
	s.route("POST", "/tickets", policy.CreateTickets, s.newTicketSubmit)
	s.route("GET", "/tickets/:id", policy.ViewPage(policy.PageTickets), s.ticketPage)
	s.route("POST", "/tickets/:id", policy.EditTickets, s.ticketEdit)
	s.route("POST", "/tickets/:id/notes", policy.EditTickets, s.ticketNoteAdd)
	s.route("POST", "/tickets/:id/watchers", policy.EditTickets, s.ticketWatcherAdd)
	s.route("POST", "/tickets/:id/watchers/:user_id/remove", policy.EditTickets, s.ticketWatcherRemove)
	for _, info := range policy.Pages {
		if _, done := s.rules["GET "+info.Path]; !done {
			s.route("GET", info.Path, policy.ViewPage(info.Key), s.sectionPage(info.Key))
		}
	}

	// JSON API.
	s.route("GET", "/api/v1/openapi.json", policy.Public, s.apiOpenAPI) // its entries: apiOps in openapi.go
	s.route("POST", "/api/v1/session", policy.Public, s.apiLogin)
	s.route("DELETE", "/api/v1/session", policy.SignOut, s.apiLogout)
	s.route("GET", "/api/v1/me", policy.Whoami, s.apiMe)
	s.route("GET", "/api/v1/pages/:key", policy.Whoami, s.apiPage)
	s.route("GET", "/api/v1/settings", policy.SignedIn, s.apiSettings)
	settingsSection.route("PATCH", "/api/v1/settings", policy.EditSettings, s.apiPatchSettings)
	s.route("GET", "/api/v1/users", policy.SignedIn, s.apiUsers)
	s.route("GET", "/api/v1/users/:id", policy.SignedIn, s.apiUser)
	settingsSection.route("PATCH", "/api/v1/users/:id", policy.ManageUsers, s.apiPatchUser)
	teamsSection.route("GET", "/api/v1/teams", policy.SignedIn, s.apiTeams)
	settingsSection.route("POST", "/api/v1/teams", policy.ManageTeams, s.apiSaveTeam)
	teamsSection.route("GET", "/api/v1/teams/:id", policy.SignedIn, s.apiTeam)
	settingsSection.route("PATCH", "/api/v1/teams/:id", policy.ManageTeams, s.apiSaveTeam)
	settingsSection.route("DELETE", "/api/v1/teams/:id", policy.ManageTeams, s.apiDeleteTeam)
	settingsSection.route("POST", "/api/v1/teams/:id/members", policy.ManageTeams, s.apiAddTeamMember)
	settingsSection.route("DELETE", "/api/v1/teams/:id/members/:user_id", policy.ManageTeams, s.apiRemoveTeamMember)
	companiesSection.route("GET", "/api/v1/companies", policy.SignedIn, s.apiCompanies)
	settingsSection.route("POST", "/api/v1/companies", policy.ManageCompanies, s.apiSaveCompany)
	companiesSection.route("GET", "/api/v1/companies/:id", policy.SignedIn, s.apiCompany)
	settingsSection.route("PATCH", "/api/v1/companies/:id", policy.ManageCompanies, s.apiSaveCompany)
	settingsSection.route("DELETE", "/api/v1/companies/:id", policy.ManageCompanies, s.apiDeleteCompany)
	settingsSection.route("GET", "/api/v1/company_groups", policy.ManageCompanies, s.apiGroups)
	settingsSection.route("POST", "/api/v1/company_groups", policy.ManageCompanies, s.apiSaveGroup)
	settingsSection.route("PATCH", "/api/v1/company_groups/:id", policy.ManageCompanies, s.apiSaveGroup)
	settingsSection.route("POST", "/api/v1/invitations", policy.InviteUsers, s.apiInvite)
	settingsSection.route("GET", "/api/v1/invitations", policy.InviteUsers, s.apiInvitations)
	s.route("POST", "/api/v1/invitations/accept", policy.Public, s.apiAcceptInvitation)
	settingsSection.route("GET", "/api/v1/invitations/:id", policy.InviteUsers, s.apiInvitation)
	settingsSection.route("POST", "/api/v1/invitations/:id/resend", policy.InviteUsers, s.apiResendInvitation)
	settingsSection.route("DELETE", "/api/v1/invitations/:id", policy.InviteUsers, s.apiRevokeInvitation)
	s.route("GET", "/api/v1/boards", policy.ViewPage(policy.PageTickets), s.apiBoards)
	s.route("GET", "/api/v1/boards/:id", policy.ViewPage(policy.PageTickets), s.apiBoard)
	s.route("GET", "/api/v1/tickets", policy.ViewPage(policy.PageTickets), s.apiTickets)
	s.route("POST", "/api/v1/tickets", policy.CreateTickets, s.apiCreateTicket)
	s.route("PUT", "/api/v1/tickets/by-external-id/:external_id", policy.CreateTickets, s.apiUpsertTicket)
	s.route("GET", "/api/v1/tickets/:id", policy.ViewPage(policy.PageTickets), s.apiTicket)
	s.route("PATCH", "/api/v1/tickets/:id", policy.EditTickets, s.apiPatchTicket)
	s.route("GET", "/api/v1/tickets/:id/notes", policy.ViewPage(policy.PageTickets), s.apiTicketNotes)
	s.route("POST", "/api/v1/tickets/:id/notes", policy.EditTickets, s.apiAddTicketNote)
	s.route("POST", "/api/v1/tickets/:id/watchers", policy.EditTickets, s.apiAddTicketWatcher)
	s.route("DELETE", "/api/v1/tickets/:id/watchers/:user_id", policy.EditTickets, s.apiRemoveTicketWatcher)
	s.route("POST", "/api/v1/password-resets", policy.Public, s.apiRequestReset)
	s.route("POST", "/api/v1/password-resets/complete", policy.Public, s.apiCompleteReset)

	s.app.Use(s.notFound)
}
