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
	contactsSection := s.section(policy.PageContacts)

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
	contactsSection.route("GET", "/contacts", policy.ViewPage(policy.PageContacts), s.contactsPage)
	contactsSection.route("POST", "/contacts", policy.EditContacts, s.contactFormSubmit)
	contactsSection.route("GET", "/contacts/:id", policy.ViewPage(policy.PageContacts), s.contactPage)
	contactsSection.route("POST", "/contacts/:id", policy.EditContacts, s.contactFormSubmit)
	contactsSection.route("POST", "/contacts/:id/delete", policy.EditContacts, s.contactDelete)
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
	contactsSection.route("GET", "/api/v1/contacts", policy.ViewPage(policy.PageContacts), s.apiContacts)
	contactsSection.route("POST", "/api/v1/contacts", policy.EditContacts, s.apiCreateContact)
	contactsSection.route("GET", "/api/v1/contacts/:id", policy.ViewPage(policy.PageContacts), s.apiContact)
	contactsSection.route("PATCH", "/api/v1/contacts/:id", policy.EditContacts, s.apiUpdateContact)
	contactsSection.route("DELETE", "/api/v1/contacts/:id", policy.EditContacts, s.apiDeleteContact)
	contactsSection.route("PUT", "/api/v1/contacts/by-external-id/:external_id", policy.EditContacts, s.apiUpsertContact)
	settingsSection.route("GET", "/api/v1/company_groups", policy.ManageCompanies, s.apiGroups)
	settingsSection.route("POST", "/api/v1/company_groups", policy.ManageCompanies, s.apiSaveGroup)
	settingsSection.route("PATCH", "/api/v1/company_groups/:id", policy.ManageCompanies, s.apiSaveGroup)
	settingsSection.route("POST", "/api/v1/invitations", policy.InviteUsers, s.apiInvite)
	settingsSection.route("GET", "/api/v1/invitations", policy.InviteUsers, s.apiInvitations)
	s.route("POST", "/api/v1/invitations/accept", policy.Public, s.apiAcceptInvitation)
	settingsSection.route("GET", "/api/v1/invitations/:id", policy.InviteUsers, s.apiInvitation)
	settingsSection.route("POST", "/api/v1/invitations/:id/resend", policy.InviteUsers, s.apiResendInvitation)
	settingsSection.route("DELETE", "/api/v1/invitations/:id", policy.InviteUsers, s.apiRevokeInvitation)
	s.route("POST", "/api/v1/password-resets", policy.Public, s.apiRequestReset)
	s.route("POST", "/api/v1/password-resets/complete", policy.Public, s.apiCompleteReset)

	s.app.Use(s.notFound)
}
