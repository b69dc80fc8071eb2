package web

// The OpenAPI 3.1 document of the JSON API, served at GET /api/v1/openapi.json.
//
// ADD AN ENTRY TO apiOps WHEN YOU ADD A ROUTE UNDER /api/v1 to routes.go. The
// key is the route as routes.go registers it, "METHOD /api/v1/path/:id";
// TestOpenAPICoversEveryRoute names each route that has no entry (and each
// entry that has no route). Give Body a value of the type the handler
// decodes and Resp a value of the type it answers, e.g.
//
//	"GET /api/v1/tickets":      {ID: "listTickets", Tag: "Tickets", Summary: "…", Query: listParams(tickets.Sorts, ticketFilters...), Resp: listBody[ticketJSON]{}},
//	"POST /api/v1/tickets/:id/notes": {ID: "addTicketNote", Tag: "Tickets", Summary: "…", Body: noteInput{}, Status: 201, Resp: noteJSON{}},
//
// The schemas are read from those types by reflection (json tags are the
// field names, omitempty makes a field optional, a pointer without
// omitempty may be null), so changing a struct changes the document. The
// security of each operation and its 401/403 come from the route's rule; a
// path parameter brings 404, a body 400, 413 and 415, query parameters 400;
// list anything else (409, 410, 429, 503) in Errors. A named string type
// with a fixed set of values gets an enum through enumTypes; a field whose
// Go type says too little (any) gets its schema from fieldSchemas.

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/articles"
	"github.com/atrium-portal/atrium/app/contacts"
	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/office365"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/plan"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/reports"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/app/useradmin"
)

// apiOp describes one route of the JSON API.
type apiOp struct {
	ID      string // operationId, for generated clients: listUsers, getUser, …
	Tag     string
	Summary string
	Doc     string     // longer description, optional
	Query   []apiParam // query parameters
	// Body is a value of the request body's type; nil when there is none.
	Body any
	// Status is the success status; 0 means 200.
	Status int
	// Created: the route also answers 201 with the same body, when it
	// created the object (an upsert).
	Created bool
	// Resp is a value of the answer's type, or a schema written by hand;
	// nil when the answer has no body (204).
	Resp any
	// Errors are error statuses beyond those the route implies.
	Errors []int
}

// apiParam is a query parameter.
type apiParam struct {
	Name   string
	Doc    string
	Schema schema
}

// schema is a JSON Schema (OpenAPI 3.1 schemas are JSON Schema 2020-12).
type schema = map[string]any

// apiOps are the operations of the JSON API, keyed as routes.go registers them.
var apiOps = map[string]apiOp{
	"GET /api/v1/openapi.json": {ID: "getOpenAPI", Tag: "Meta", Summary: "This document: the OpenAPI 3.1 description of every /api/v1 route",
		Resp: schema{"type": "object", "description": "An OpenAPI 3.1 document."}},

	// Session.
	"POST /api/v1/session": {ID: "signIn", Tag: "Session", Summary: "Sign in with email and password",
		Doc:  "Sets the session cookie and answers the CSRF token that cookie-authenticated POST, PATCH and DELETE requests send in X-CSRF-Token. A wrong password, an unknown and a deactivated address all answer 401 invalid_credentials.",
		Body: loginRequest{}, Resp: sessionResponse{}, Errors: []int{401, 429, 503}},
	"DELETE /api/v1/session": {ID: "signOut", Tag: "Session", Summary: "Sign out: the session ends, a preview included", Status: 204},

	// Me.
	"GET /api/v1/me": {ID: "getMe", Tag: "Me", Summary: "Who I am and my navigation", Resp: meResponse{}},
	"GET /api/v1/pages/:key": {ID: "getPage", Tag: "Me", Summary: "A page of my navigation; 403 when it is not in it",
		Resp: pageJSON{}},

	// Previews.
	"POST /api/v1/previews": {ID: "startPreview", Tag: "Me", Summary: "Preview the portal as another user",
		Doc:  "The caller's session then acts as that user, read-only unless they are a test user, until DELETE /api/v1/previews/current, sign-out or 30 minutes. Super admins and admins, for an active user of the workspace whose rights do not exceed theirs; never from a preview. Another workspace's user is 404.",
		Body: previewRequest{}, Status: 201, Resp: previewJSON{}, Errors: []int{404}},
	"DELETE /api/v1/previews/current": {ID: "endPreview", Tag: "Me", Summary: "End the session's preview: back to the caller's own view", Status: 204},

	// Settings.
	"GET /api/v1/settings": {ID: "getSettings", Tag: "Settings", Summary: "The workspace's settings and branding", Resp: settingsJSON{}},
	"PATCH /api/v1/settings": {ID: "updateSettings", Tag: "Settings", Summary: "Change settings",
		Doc:  "Each field changes only for the capability that owns it; one field the caller may not change refuses the whole request, so nothing is half-applied.",
		Body: settingsPatch{}, Resp: settingsJSON{}},

	// Users.
	"GET /api/v1/users": {ID: "listUsers", Tag: "Users", Summary: "One page of the users the caller may see",
		Query: listParams(people.UserSorts,
			apiParam{Name: "q", Doc: "Text in the name, or in the address where the caller may see it.", Schema: schema{"type": "string", "maxLength": people.MaxSearch}},
			apiParam{Name: "kind", Doc: "Only users of this kind.", Schema: enumSchema(policy.Kinds)},
			apiParam{Name: "status", Doc: "Only users in this state; for those who manage users, anyone else asking is refused.", Schema: enumSchema(userStatuses)}),
		Resp: listBody[userDetailJSON]{}},
	"GET /api/v1/users/:id": {ID: "getUser", Tag: "Users", Summary: "A user; 404 outside the caller's scope", Resp: userDetailJSON{}},
	"GET /api/v1/users/:id/access": {ID: "explainAccess", Tag: "Users", Summary: "Whether a user may open an address, and the rules that decided it",
		Doc:   "For super admins and admins. PATH is any page or object address of the workspace (`/tickets/12`, `/reports/3#part-9`, `/api/v1/contacts/4`); reasons are the rules the policy applied, in order.",
		Query: []apiParam{{Name: "path", Doc: "The address to check, a path of this workspace or a whole link.", Schema: schema{"type": "string", "maxLength": MaxAccessPath}}},
		Resp:  Verdict{}},
	"PATCH /api/v1/users/:id": {ID: "updateUser", Tag: "Users", Summary: "Change a user: status, kind, capabilities, hidden pages, modules, companies, teams, …",
		Body: useradmin.Patch{}, Resp: userDetailJSON{}},

	// Teams.
	"GET /api/v1/teams": {ID: "listTeams", Tag: "Teams", Summary: "One page of the teams the caller may see",
		Query: listParams(people.TeamSorts, apiParam{Name: "kind", Doc: "Only teams of this kind.", Schema: enumSchema(people.TeamKinds)}),
		Resp:  listBody[people.TeamView]{}},
	"POST /api/v1/teams":       {ID: "createTeam", Tag: "Teams", Summary: "Create a team", Body: people.TeamInput{}, Status: 201, Resp: people.TeamView{}},
	"GET /api/v1/teams/:id":    {ID: "getTeam", Tag: "Teams", Summary: "A team with its company and members", Resp: people.TeamView{}},
	"PATCH /api/v1/teams/:id":  {ID: "updateTeam", Tag: "Teams", Summary: "Change a team; company_id 0 clears its company", Body: people.TeamInput{}, Resp: people.TeamView{}},
	"DELETE /api/v1/teams/:id": {ID: "deleteTeam", Tag: "Teams", Summary: "Delete a team", Status: 204},
	"POST /api/v1/teams/:id/members": {ID: "addTeamMember", Tag: "Teams", Summary: "Add a member to a team, or change their role",
		Body: teamMemberInput{}, Status: 201, Resp: people.TeamView{}},
	"DELETE /api/v1/teams/:id/members/:user_id": {ID: "removeTeamMember", Tag: "Teams", Summary: "Remove a member from a team", Status: 204},

	// Companies.
	"GET /api/v1/companies": {ID: "listCompanies", Tag: "Companies", Summary: "One page of the companies the caller may see",
		Query: listParams(people.CompanySorts, apiParam{Name: "group", Doc: "Only companies of this group; for callers who see every company of the workspace.", Schema: idSchema()}),
		Resp:  listBody[people.CompanyView]{}},
	"POST /api/v1/companies":      {ID: "createCompany", Tag: "Companies", Summary: "Create a company", Body: people.CompanyInput{}, Status: 201, Resp: people.CompanyView{}},
	"GET /api/v1/companies/:id":   {ID: "getCompany", Tag: "Companies", Summary: "A company", Resp: people.CompanyView{}},
	"PATCH /api/v1/companies/:id": {ID: "updateCompany", Tag: "Companies", Summary: "Change a company", Body: people.CompanyInput{}, Resp: people.CompanyView{}},
	"DELETE /api/v1/companies/:id": {ID: "deleteCompany", Tag: "Companies", Summary: "Delete a company; 409 while users are assigned to it",
		Status: 204, Errors: []int{409}},
	"GET /api/v1/company_groups": {ID: "listCompanyGroups", Tag: "Companies", Summary: "One page of the company groups",
		Query: listParams(nil), Resp: listBody[people.GroupView]{}},
	"POST /api/v1/company_groups": {ID: "createCompanyGroup", Tag: "Companies", Summary: "Create a company group with its companies",
		Body: groupInput{}, Status: 201, Resp: people.GroupView{}},
	"PATCH /api/v1/company_groups/:id": {ID: "updateCompanyGroup", Tag: "Companies", Summary: "Rename a company group and set its whole membership",
		Body: groupInput{}, Resp: people.GroupView{}},

	// Contacts.
	"GET /api/v1/contacts": {ID: "listContacts", Tag: "Contacts", Summary: "One page of the company contacts the caller may see",
		Query: listParams(contacts.Sorts,
			apiParam{Name: "company_id", Doc: "Only contacts of this company.", Schema: idSchema()},
			apiParam{Name: "q", Doc: "Text in the name or the email address.", Schema: schema{"type": "string", "maxLength": contacts.MaxSearch}}),
		Resp: listBody[contacts.Contact]{}},
	"POST /api/v1/contacts": {ID: "createContact", Tag: "Contacts", Summary: "Add a contact to a company",
		Doc:  "company_id and name are required. user_id links the company's portal user who is this person; external_id is for members only. A company the caller may not edit contacts of is 403 for the field company.",
		Body: contacts.ContactInput{}, Status: 201, Resp: contacts.Contact{}, Errors: []int{409}},
	"GET /api/v1/contacts/:id": {ID: "getContact", Tag: "Contacts", Summary: "A contact; 404 outside the caller's scope", Resp: contacts.Contact{}},
	"PATCH /api/v1/contacts/:id": {ID: "updateContact", Tag: "Contacts", Summary: "Change a contact; user_id 0 unlinks the user, external_id \"\" clears it",
		Body: contacts.ContactInput{}, Resp: contacts.Contact{}, Errors: []int{409}},
	"DELETE /api/v1/contacts/:id": {ID: "deleteContact", Tag: "Contacts", Summary: "Delete a contact", Status: 204},
	"PUT /api/v1/contacts/by-external-id/:external_id": {ID: "upsertContact", Tag: "Contacts", Summary: "Create or change the contact with this external ID (PSA sync)",
		Doc:  "201 when the contact was created, 200 when it existed. The same body sent twice changes nothing the second time. Members and their integration tokens only.",
		Body: contacts.ContactInput{}, Resp: contacts.Contact{}, Created: true},

	// Invitations.
	"POST /api/v1/invitations": {ID: "invite", Tag: "Invitations", Summary: "Invite someone by email",
		Doc:  "The emailed link is https://PRIMARY_HOST/invite/TOKEN. 409 when a user with the address exists.",
		Body: invitations.Request{}, Status: 201, Resp: invitations.Invitation{}, Errors: []int{409}},
	"GET /api/v1/invitations": {ID: "listInvitations", Tag: "Invitations", Summary: "One page of pending invitations",
		Query: listParams(invitations.Sorts), Resp: listBody[invitations.Invitation]{}},
	"POST /api/v1/invitations/accept": {ID: "acceptInvitation", Tag: "Invitations", Summary: "Accept an invitation: set name and password, and sign in",
		Doc:  "Answers like POST /api/v1/session and starts a session. A used, revoked or expired token is 410.",
		Body: acceptRequest{}, Resp: sessionResponse{}, Errors: []int{410}},
	"GET /api/v1/invitations/:id": {ID: "getInvitation", Tag: "Invitations", Summary: "An invitation and its state, also once accepted or revoked",
		Resp: invitations.Invitation{}},
	"POST /api/v1/invitations/:id/resend": {ID: "resendInvitation", Tag: "Invitations", Summary: "Send an invitation again with a new link; the old link stops working",
		Doc:  "410 when the invitation was already accepted, revoked or replaced.",
		Resp: invitations.Invitation{}, Errors: []int{410}},
	"DELETE /api/v1/invitations/:id": {ID: "revokeInvitation", Tag: "Invitations", Summary: "Revoke an invitation; 410 when it was already accepted, revoked or replaced",
		Status: 204, Errors: []int{410}},

	// Password resets.
	"POST /api/v1/password-resets": {ID: "requestPasswordReset", Tag: "Password resets", Summary: "Email a reset link, if the address has an account",
		Doc:  "202 whether or not the address exists. The emailed link is https://PRIMARY_HOST/reset/TOKEN.",
		Body: resetRequest{}, Status: 202, Errors: []int{429},
		Resp: schema{"type": "object", "required": []string{"status"}, "additionalProperties": false,
			"properties": schema{"status": schema{"type": "string", "enum": []string{"accepted"}}}}},
	"POST /api/v1/password-resets/complete": {ID: "completePasswordReset", Tag: "Password resets", Summary: "Set a new password with a reset token; every other session of the user ends",
		Body: resetCompleteRequest{}, Status: 204, Errors: []int{410}},

	// Boards and tickets.
	"GET /api/v1/boards": {ID: "listBoards", Tag: "Tickets", Summary: "The boards the caller may see, all in one page",
		Doc:  "kinds, all_companies and company_ids (who may see a board) are there only for those who manage ticket settings.",
		Resp: listBody[boardJSON]{}},
	"GET /api/v1/boards/:id": {ID: "getBoard", Tag: "Tickets", Summary: "A board; 404 when the caller may not see it", Resp: boardJSON{}},
	"GET /api/v1/tickets": {ID: "listTickets", Tag: "Tickets", Summary: "One page of the tickets the caller may see",
		Doc:   "A field the caller may not see is absent from each item; a filter on such a field is refused (400).",
		Query: listParams(tickets.Sorts, ticketFilters...), Resp: listBody[ticketBody]{}},
	"POST /api/v1/tickets": {ID: "createTicket", Tag: "Tickets", Summary: "Open a ticket on a board, for a company",
		Doc:  "board_id and title are required; company_id absent or null is the workspace's own work (members). Setting a field the caller may not edit is 403 and opens nothing. External users are the contact, or name a colleague when they may open tickets on their behalf.",
		Body: ticketInput{}, Status: 201, Resp: ticketBody{}, Errors: []int{409}},
	"PUT /api/v1/tickets/by-external-id/:external_id": {ID: "upsertTicket", Tag: "Tickets", Summary: "Create or change the ticket with this external ID (a PSA's sync)",
		Doc:  "The body of createTicket. 201 when the ticket was created, 200 when it existed: changed as the body says, and the same body again changes nothing and records nothing. Percent-encode a / in the external ID. For members, whose external ID field is editable.",
		Body: ticketInput{}, Resp: ticketBody{}, Created: true, Errors: []int{409}},
	"GET /api/v1/tickets/:id": {ID: "getTicket", Tag: "Tickets", Summary: "A ticket as the caller may see it, with what the caller may do",
		Doc: "A field the caller may not see is absent; a visible one without a value is null.", Resp: ticketBody{}},
	"PATCH /api/v1/tickets/:id": {ID: "updateTicket", Tag: "Tickets", Summary: "Change the fields of a ticket the body names",
		Doc:  "null clears contact_id, assignee_id, due_on, external_id, description and billing_code; board_id and company_id move the ticket (members). One field the caller may not edit refuses the whole request (403).",
		Body: ticketInput{}, Resp: ticketBody{}, Errors: []int{409}},
	"GET /api/v1/tickets/:id/notes": {ID: "listTicketNotes", Tag: "Tickets", Summary: "One page of the notes of a ticket the caller may read, oldest first",
		Query: listParams(nil), Resp: listBody[noteJSON]{}},
	"POST /api/v1/tickets/:id/notes": {ID: "addTicketNote", Tag: "Tickets", Summary: "Add a note of a type the caller may add",
		Doc:  "type is the note type's name (any case), or give type_id.",
		Body: noteInput{}, Status: 201, Resp: noteJSON{}},
	"POST /api/v1/tickets/:id/watchers": {ID: "addTicketWatcher", Tag: "Tickets", Summary: "Add a watcher: someone of the ticket's company who can see its board",
		Body: watcherInput{}, Status: 201, Resp: nameRef{}},
	"DELETE /api/v1/tickets/:id/watchers/:user_id": {ID: "removeTicketWatcher", Tag: "Tickets", Summary: "Remove a watcher", Status: 204},

	// Knowledge base.
	"GET /api/v1/articles": {ID: "listArticles", Tag: "Knowledge base", Summary: "One page of the articles the caller may see, without their bodies",
		Doc: "audience, company_ids and published are there for those who may write the knowledge base.",
		Query: listParams(articles.Sorts,
			apiParam{Name: "category_id", Doc: "Only articles of this category.", Schema: idSchema()},
			apiParam{Name: "q", Doc: "Words in the title or text; the last may be the start of a word.", Schema: schema{"type": "string", "maxLength": articles.MaxSearch}}),
		Resp: listBody[articleBody]{}},
	"POST /api/v1/articles": {ID: "createArticle", Tag: "Knowledge base", Summary: "Write an article (members)",
		Doc:  "title is required; absent fields default to no category, audience internal, not published. company_ids is for audience companies.",
		Body: articleInput{}, Status: 201, Resp: articleBody{}},
	"GET /api/v1/articles/:id": {ID: "getArticle", Tag: "Knowledge base", Summary: "An article with its body rendered as sanitised HTML; 404 when the caller may not see it",
		Doc: "body (the markdown source), audience, company_ids and published are there for those who may write the knowledge base.", Resp: articleBody{}},
	"PATCH /api/v1/articles/:id": {ID: "updateArticle", Tag: "Knowledge base", Summary: "Change the fields of an article the body names (members)",
		Doc: "null clears category_id and body; an audience other than companies clears company_ids.", Body: articleInput{}, Resp: articleBody{}},
	"DELETE /api/v1/articles/:id": {ID: "deleteArticle", Tag: "Knowledge base", Summary: "Delete an article (members)", Status: 204},
	"GET /api/v1/article_categories": {ID: "listArticleCategories", Tag: "Knowledge base", Summary: "The categories the caller may see, all in one page, with how many of their articles the caller sees",
		Resp: listBody[articleCategoryJSON]{}},
	// Reports.
	"GET /api/v1/reports": {ID: "listReports", Tag: "Reports", Summary: "One page of the reports the caller may see, without their parts",
		Doc: "Members see every report, drafts included; external users the published reports of their companies.",
		Query: listParams(reports.Sorts,
			apiParam{Name: "company_id", Doc: "Only reports of this company.", Schema: idSchema()},
			apiParam{Name: "status", Doc: "Only reports in this status (members).", Schema: enumSchema(reports.Statuses)},
			apiParam{Name: "q", Doc: "Words in the title.", Schema: schema{"type": "string", "maxLength": reports.MaxSearch}}),
		Resp: listBody[reportBody]{}},
	"POST /api/v1/reports": {ID: "createReport", Tag: "Reports", Summary: "Create a report for a company and a period (a draft unless status says published)",
		Body: reportInput{}, Status: 201, Resp: reportBody{}},
	"GET /api/v1/reports/:id": {ID: "getReport", Tag: "Reports", Summary: "A report with the parts the caller may see, in order",
		Doc:  "A part marked internal only is absent for anyone but members. content is sanitised HTML for text, rows for metrics and rocks, counts for ticket_summary and the weekly series for chart.",
		Resp: reportBody{}},
	"PATCH /api/v1/reports/:id":  {ID: "updateReport", Tag: "Reports", Summary: "Change a report's company, title, period or status", Body: reportInput{}, Resp: reportBody{}},
	"DELETE /api/v1/reports/:id": {ID: "deleteReport", Tag: "Reports", Summary: "Delete a report and its parts", Status: 204},
	"POST /api/v1/reports/:id/parts": {ID: "addReportPart", Tag: "Reports", Summary: "Add a part at the end of a report",
		Doc:  "kind is required. body is a text part's markdown; rows a metrics part's [{label, value, target}] or a rocks part's [{title, owner, status}]; ticket_summary and chart take neither.",
		Body: partInput{}, Status: 201, Resp: reportBody{}},
	"PATCH /api/v1/reports/:id/parts/:part_id": {ID: "updateReportPart", Tag: "Reports", Summary: "Change a part; move takes it one place up or down",
		Body: partInput{}, Resp: reportBody{}},
	"DELETE /api/v1/reports/:id/parts/:part_id": {ID: "deleteReportPart", Tag: "Reports", Summary: "Delete a part", Status: 204},
	// Strategy and Plan.
	"GET /api/v1/plan": {ID: "getPlan", Tag: "Plan", Summary: "A company's plan: its goals and its initiatives by quarter, with their comments",
		Doc:   "Without company_id, the first company the caller sees. Budget estimates are in cents. 404 for a company outside the caller's scope.",
		Query: []apiParam{{Name: "company_id", Doc: "The company whose plan to read.", Schema: idSchema()}}, Resp: plan.Plan{}},
	"POST /api/v1/plan/items": {ID: "createPlanItem", Tag: "Plan", Summary: "Add a goal or an initiative to a company's plan (members)",
		Doc:  "company_id, kind and title are required; quarter (like 2026-Q4) too for initiatives. budget_estimate is in cents, 0 for none; owner_id a member, 0 for none.",
		Body: plan.Input{}, Status: 201, Resp: plan.Item{}},
	"GET /api/v1/plan/items/:id": {ID: "getPlanItem", Tag: "Plan", Summary: "A plan item with its comments; 404 outside the caller's scope", Resp: plan.Item{}},
	"PATCH /api/v1/plan/items/:id": {ID: "updatePlanItem", Tag: "Plan", Summary: "Change a plan item; external editors may change its status only",
		Doc:  "Any other field sent by an external editor is 403 for that field and changes nothing.",
		Body: plan.Input{}, Resp: plan.Item{}},
	"DELETE /api/v1/plan/items/:id": {ID: "deletePlanItem", Tag: "Plan", Summary: "Delete a plan item and its comments (members)", Status: 204},
	"POST /api/v1/plan/items/:id/comments": {ID: "addPlanComment", Tag: "Plan", Summary: "Comment on a plan item (members and external editors of its company)",
		Body: planCommentBody{}, Status: 201, Resp: plan.Comment{}},
	// Office 365.
	"GET /api/v1/office365/licences": {ID: "listOffice365Licences", Tag: "Office 365", Summary: "A company's Microsoft 365 licences with how many are assigned, all in one page",
		Doc: "404 for a company outside the caller's scope.", Query: []apiParam{m365Company}, Resp: listBody[m365LicenceJSON]{}},
	"PUT /api/v1/office365/licences": {ID: "upsertOffice365Licences", Tag: "Office 365", Summary: "Create or change a company's licences by SKU (a PSA's sync)",
		Doc:  "Items are matched by SKU, case aside; with remove_missing, licences not listed are removed with their assignments. One bad item refuses the whole request (400, fields items.N.column); the same request twice changes nothing and records nothing.",
		Body: m365LicencesPut{}, Resp: m365Result{}},
	"GET /api/v1/office365/users": {ID: "listOffice365Users", Tag: "Office 365", Summary: "One page of a company's Microsoft 365 users",
		Query: listParams(office365.Sorts, m365Company,
			apiParam{Name: "q", Doc: "Text in the name or email.", Schema: schema{"type": "string", "maxLength": office365.MaxSearch}},
			apiParam{Name: "licence", Doc: "Only users holding this SKU, or none: users without a licence.", Schema: schema{"type": "string", "maxLength": office365.MaxSKU}},
			apiParam{Name: "mfa", Doc: "Only users in this MFA state.", Schema: enumSchema(office365.MFAStates)},
			apiParam{Name: "unused", Doc: "true: only users with a licence and no sign-in for 30 days.", Schema: schema{"type": "boolean"}}),
		Resp: listBody[m365UserJSON]{}},
	"PUT /api/v1/office365/users": {ID: "upsertOffice365Users", Tag: "Office 365", Summary: "Create or change a company's users by email, with the licences they hold",
		Doc:  "licences are SKUs of the company's licences; mfa and last_sign_in (YYYY-MM-DD or RFC 3339) left out mean unknown and never. With remove_missing, users not listed are removed. One bad item refuses the whole request (400, fields items.N.column); the same request twice changes nothing and records nothing.",
		Body: m365UsersPut{}, Resp: m365Result{}, Errors: []int{413}},

	// Audit.
	"GET /api/v1/audit": {ID: "listAudit", Tag: "Audit", Summary: "One page of the audit log",
		Query: listParams(nil,
			apiParam{Name: "action", Doc: "Only entries of this action, e.g. user.invite.", Schema: schema{"type": "string", "maxLength": maxAuditAction}},
			apiParam{Name: "q", Doc: "Text in the summary.", Schema: schema{"type": "string", "maxLength": maxAuditQuery}},
			apiParam{Name: "impersonator_id", Doc: "Only entries of this user's previews: what was written while they previewed someone (impersonator) and their own preview.start and preview.end records; any: entries of every preview.",
				Schema: schema{"anyOf": []any{idSchema(), schema{"type": "string", "enum": []string{"any"}}}}},
			apiParam{Name: "impersonator", Doc: "any: entries of every preview, the same as impersonator_id=any.", Schema: schema{"type": "string", "enum": []string{"any"}}},
			apiParam{Name: "since", Doc: "Entries on or after this day.", Schema: schema{"type": "string", "format": "date"}},
			apiParam{Name: "until", Doc: "Entries on or before this day.", Schema: schema{"type": "string", "format": "date"}},
			apiParam{Name: "sort", Doc: "-at (newest first, the default) or at.", Schema: schema{"type": "string", "enum": []string{"-at", "at"}}}),
		Resp: listBody[auditJSON]{}},
}

// ticketFilters are the tickets list's filters.
var ticketFilters = []apiParam{
	{Name: "company_id", Doc: "Only tickets of this company.", Schema: idSchema()},
	{Name: "board_id", Doc: "Only tickets on this board.", Schema: idSchema()},
	{Name: "status", Doc: "Only tickets in this status.", Schema: enumSchema(tickets.Statuses)},
	{Name: "priority", Doc: "Only tickets of this priority.", Schema: enumSchema(tickets.Priorities)},
	{Name: "assignee_id", Doc: "Only tickets assigned to this user, or unassigned ones.",
		Schema: schema{"anyOf": []any{idSchema(), schema{"type": "string", "enum": []string{"unassigned"}}}}},
	{Name: "open", Doc: "true: only tickets not resolved or closed.", Schema: schema{"type": "boolean"}},
	{Name: "q", Doc: "Words in what the caller may read of the ticket: title, description, visible fields, readable notes.",
		Schema: schema{"type": "string", "maxLength": tickets.MaxSearch}},
}

// m365Company is the company whose Microsoft 365 data a request reads.
var m365Company = apiParam{Name: "company_id", Doc: "The company; required.", Schema: idSchema()}

// userStatuses are the states of a user.
var userStatuses = []people.Status{people.Invited, people.Active, people.Deactivated}

// enumTypes are the named string types with a fixed set of values: each is
// a component schema of that name with its values.
var enumTypes = map[reflect.Type]struct {
	name   string
	values []string
}{
	reflect.TypeFor[policy.Kind]():        {"Kind", strs(policy.Kinds)},
	reflect.TypeFor[policy.Capability]():  {"Capability", strs(policy.Capabilities)},
	reflect.TypeFor[policy.Page]():        {"PageKey", pageKeys()},
	reflect.TypeFor[people.Status]():      {"UserStatus", strs(userStatuses)},
	reflect.TypeFor[people.TeamKind]():    {"TeamKind", strs(people.TeamKinds)},
	reflect.TypeFor[people.TeamRole]():    {"TeamRole", strs([]people.TeamRole{people.TeamLeader, people.TeamMember})},
	reflect.TypeFor[mail.Status]():        {"DeliveryStatus", strs([]mail.Status{mail.Queued, mail.Sending, mail.Sent, mail.Failed, mail.Cancelled})},
	reflect.TypeFor[tickets.Status]():     {"TicketStatus", strs(tickets.Statuses)},
	reflect.TypeFor[tickets.Priority]():   {"TicketPriority", strs(tickets.Priorities)},
	reflect.TypeFor[tickets.Type]():       {"TicketType", strs(tickets.Types)},
	reflect.TypeFor[tickets.FieldKind]():  {"CustomFieldKind", strs(tickets.FieldKinds)},
	reflect.TypeFor[policy.TicketField](): {"TicketField", strs(policy.TicketFields)},
	reflect.TypeFor[policy.Audience]():    {"ArticleAudience", strs(policy.Audiences)},
	reflect.TypeFor[reports.Status]():     {"ReportStatus", strs(reports.Statuses)},
	reflect.TypeFor[reports.Kind]():       {"ReportPartKind", strs(reports.Kinds)},
	reflect.TypeFor[reports.RockStatus](): {"RockStatus", strs(reports.RockStatuses)},
	reflect.TypeFor[office365.MFA]():      {"MFAState", strs(office365.MFAStates)},
}

// typeNames are component names chosen by hand; any other struct is named
// for its type, with "JSON" dropped and the first letter capital.
var typeNames = map[reflect.Type]string{
	reflect.TypeFor[errorBody]():            "Error",
	reflect.TypeFor[invitations.Request]():  "InvitationRequest",
	reflect.TypeFor[useradmin.Patch]():      "UserPatch",
	reflect.TypeFor[auditJSON]():            "AuditEntry",
	reflect.TypeFor[acceptRequest]():        "InvitationAcceptRequest",
	reflect.TypeFor[people.ModuleSetting](): "ModuleSetting",
	reflect.TypeFor[ticketBody]():           "Ticket",
	reflect.TypeFor[articleBody]():          "Article",
	reflect.TypeFor[ticketInput]():          "TicketInput",
	reflect.TypeFor[customJSON]():           "CustomFieldValue",
	reflect.TypeFor[canJSON]():              "TicketPermissions",
	reflect.TypeFor[plan.UserRef]():         "PlanUserRef",
	reflect.TypeFor[plan.Input]():           "PlanItemInput",
	reflect.TypeFor[plan.Item]():            "PlanItem",
	reflect.TypeFor[plan.Comment]():         "PlanComment",
	reflect.TypeFor[planCommentBody]():      "PlanCommentInput",
}

// fieldSchemas are the schemas of fields whose Go type says too little,
// keyed "package.Type.json_name".
var fieldSchemas = map[string]schema{
	"web.reportPartJSON.content": {
		"description": "By kind: text, sanitised HTML; metrics, [{label, value, target}]; rocks, [{title, owner, status}]; ticket_summary, {opened, by_status, by_priority}; chart, [{week_start, opened, closed}].",
		"anyOf":       []any{schema{"type": "string"}, schema{"type": "array", "items": schema{"type": "object"}}, schema{"type": "object"}},
	},
	"web.partInput.rows": {"type": "array", "items": schema{"type": "object", "additionalProperties": schema{"type": "string"}},
		"description": "Rows of a metrics part ({label, value, target}) or a rocks part ({title, owner, status: on_track, off_track or done})."},
	"web.meResponse.preview": {
		"description": "null, or the preview in progress: the user the caller sees the portal as.",
		"anyOf": []any{
			schema{"type": "null"},
			schema{"type": "object", "required": []string{"user_id", "by_user_id", "read_only"}, "properties": schema{
				"user_id": schema{"type": "integer", "format": "int64"}, "by_user_id": schema{"type": "integer", "format": "int64"},
				"read_only": schema{"type": "boolean"}}},
		},
	},
}

// stringPathParams are the path parameters named …id that are not IDs of ours.
var stringPathParams = map[string]bool{"external_id": true}

// errorStatuses are the shared error answers, all with the Error schema.
var errorStatuses = map[int]struct{ name, doc string }{
	400: {"BadRequest", "The request is invalid: error.fields has a message per field."},
	401: {"Unauthorized", "Not signed in, or the credentials are wrong."},
	403: {"Forbidden", "The caller may not do this (code forbidden), or a cookie-authenticated change came without its X-CSRF-Token (code csrf)."},
	404: {"NotFound", "No such object, or not one the caller may see."},
	409: {"Conflict", "This clashes with what is already there."},
	410: {"Gone", "The link was already used, revoked or has expired."},
	413: {"TooLarge", "The request body is too large."},
	415: {"UnsupportedMediaType", "Send JSON with Content-Type: application/json."},
	429: {"RateLimited", "Too many attempts: try again after Retry-After seconds."},
	503: {"Busy", "The server is busy checking passwords: try again after Retry-After seconds."},
}

// listParams are the parameters of a list: limit, cursor, sort when sorts
// is not nil, and the list's own.
func listParams(sorts store.Sorts, own ...apiParam) []apiParam {
	ps := []apiParam{
		{Name: "limit", Doc: "How many items, " + strconv.Itoa(store.DefaultLimit) + " when absent.",
			Schema: schema{"type": "integer", "minimum": 1, "maximum": store.MaxLimit, "default": store.DefaultLimit}},
		{Name: "cursor", Doc: "The next_cursor of the previous page; good only for the sort that handed it out.",
			Schema: schema{"type": "string", "maxLength": maxCursorLen}},
	}
	if sorts != nil {
		var names []string
		for _, o := range sorts {
			names = append(names, o.Name)
		}
		ps = append(ps, apiParam{Name: "sort", Doc: "The order; " + names[0] + " when absent.", Schema: schema{"type": "string", "enum": names}})
	}
	return append(ps, own...)
}

func idSchema() schema { return schema{"type": "integer", "format": "int64", "minimum": 1} }

func enumSchema[T ~string](values []T) schema {
	return schema{"type": "string", "enum": strs(values)}
}

func strs[T ~string](values []T) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		out = append(out, string(v))
	}
	return out
}

func pageKeys() []string {
	var out []string
	for _, p := range policy.Pages {
		out = append(out, string(p.Key))
	}
	return out
}

// apiOpenAPI is GET /api/v1/openapi.json: the document built at start.
func (s *Server) apiOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(s.openapi)
}

// fiberParam is a parameter in a Fiber path.
var fiberParam = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)

// openAPIPath is a Fiber path in OpenAPI's syntax: /users/:id → /users/{id}.
func openAPIPath(path string) string { return fiberParam.ReplaceAllString(path, "{$1}") }

// buildOpenAPI is the document of every operation in apiOps, with the
// security each route's rule asks for.
func (s *Server) buildOpenAPI() ([]byte, error) {
	g := &schemaGen{components: map[string]schema{}, names: map[genKey]string{}, owner: map[string]genKey{}}
	paths := map[string]schema{}
	for _, key := range slices.Sorted(maps.Keys(apiOps)) {
		op := apiOps[key]
		method, path, ok := strings.Cut(key, " ")
		if !ok {
			return nil, fmt.Errorf("web: openapi: %q is not \"METHOD path\"", key)
		}
		o, err := s.operation(g, key, method, path, op)
		if err != nil {
			return nil, err
		}
		p := openAPIPath(path)
		if paths[p] == nil {
			paths[p] = schema{}
		}
		paths[p][strings.ToLower(method)] = o
	}
	if g.err != nil {
		return nil, g.err
	}
	responses := schema{}
	for status, e := range errorStatuses {
		r := schema{"description": e.doc, "content": jsonContent(schema{"$ref": "#/components/schemas/Error"})}
		if status == 429 || status == 503 {
			r["headers"] = schema{"Retry-After": schema{"description": "Seconds to wait before trying again.", "schema": schema{"type": "integer"}}}
		}
		responses[e.name] = r
	}
	g.ref(reflect.TypeFor[errorBody](), false)
	doc := schema{
		"openapi": "3.1.0",
		"info": schema{
			"title":   "Atrium API",
			"version": "v1",
			"description": "The JSON API of an Atrium workspace, on the workspace's own host. JSON fields are snake_case; " +
				"a field the caller may not see is absent, not null. Lists answer {\"items\": [...], \"next_cursor\": \"...\"} " +
				"(\"\" on the last page) and take ?limit= and ?cursor=. Errors answer {\"error\": {\"code\", \"message\", \"fields\"}}. " +
				"Authenticate with the session cookie of POST /api/v1/session (changes then need the X-CSRF-Token header it answers), " +
				"or with Authorization: Bearer TOKEN.",
		},
		"servers": []schema{{"url": "/", "description": "The workspace's host"}},
		"paths":   paths,
		"components": schema{
			"schemas":   g.components,
			"responses": responses,
			"securitySchemes": schema{
				"session": schema{"type": "apiKey", "in": "cookie", "name": sessionCookie,
					"description": "The session cookie set by POST /api/v1/session."},
				"csrf": schema{"type": "apiKey", "in": "header", "name": "X-CSRF-Token",
					"description": "The csrf_token of the session; cookie-authenticated POST, PATCH and DELETE requests need it."},
				"bearer": schema{"type": "http", "scheme": "bearer",
					"description": "A personal or integration token: Authorization: Bearer TOKEN."},
			},
		},
	}
	return json.Marshal(doc)
}

// operation is the OpenAPI operation of one route.
func (s *Server) operation(g *schemaGen, key, method, path string, op apiOp) (schema, error) {
	if op.ID == "" || op.Summary == "" || op.Tag == "" {
		return nil, fmt.Errorf("web: openapi: %s needs an ID, a Tag and a Summary", key)
	}
	rule, routed := s.rules[key]
	o := schema{"operationId": op.ID, "summary": op.Summary, "tags": []string{op.Tag}}
	if op.Doc != "" {
		o["description"] = op.Doc
	}
	if routed {
		o["x-atrium-rule"] = string(rule)
		if page, ok := s.pages[key]; ok {
			o["x-atrium-section"] = string(page)
		}
	}
	errs := map[int]bool{}
	for _, e := range op.Errors {
		errs[e] = true
	}

	params := []schema{}
	for _, m := range fiberParam.FindAllStringSubmatch(path, -1) {
		ps := idSchema()
		if !strings.HasSuffix(m[1], "id") || stringPathParams[m[1]] {
			ps = schema{"type": "string"}
		}
		params = append(params, schema{"name": m[1], "in": "path", "required": true, "schema": ps})
		errs[404] = true
	}
	for _, q := range op.Query {
		params = append(params, schema{"name": q.Name, "in": "query", "description": q.Doc, "schema": q.Schema})
		errs[400] = true
	}
	if len(params) > 0 {
		o["parameters"] = params
	}

	if op.Body != nil {
		o["requestBody"] = schema{"required": true, "content": jsonContent(g.of(op.Body, true))}
		errs[400], errs[413], errs[415] = true, true, true
	}

	status := op.Status
	if status == 0 {
		status = 200
	}
	ok := schema{"description": successDoc(status)}
	if op.Resp != nil {
		ok["content"] = jsonContent(g.of(op.Resp, false))
	}
	responses := schema{strconv.Itoa(status): ok}
	if op.Created {
		created := maps.Clone(ok)
		created["description"] = successDoc(201)
		responses["201"] = created
	}

	if rule == policy.Public && routed {
		o["security"] = []schema{}
	} else {
		errs[401], errs[403] = true, true
		session := schema{"session": []string{}}
		if method != fiber.MethodGet && method != fiber.MethodHead {
			session["csrf"] = []string{}
		}
		o["security"] = []schema{session, {"bearer": []string{}}}
	}
	for e := range errs {
		shared, ok := errorStatuses[e]
		if !ok {
			return nil, fmt.Errorf("web: openapi: %s lists error %d, which has no shared answer in errorStatuses", key, e)
		}
		responses[strconv.Itoa(e)] = schema{"$ref": "#/components/responses/" + shared.name}
	}
	o["responses"] = responses
	return o, nil
}

func jsonContent(sc schema) schema {
	return schema{"application/json": schema{"schema": sc}}
}

func successDoc(status int) string {
	switch status {
	case 201:
		return "Created."
	case 202:
		return "Accepted."
	case 204:
		return "Done; no body."
	}
	return "OK."
}

// schemaGen makes JSON Schemas from Go types, collecting named structs and
// enums as components. A struct has two schemas: as an answer, a field
// without omitempty is always there (required) and a pointer may be null;
// as a request, every field may be left out (it reads as its zero value,
// and the server's 400 names what it needs) and a pointer may be null. A
// struct used in requests is a component named with "Input" unless its
// name ends in Input, Request or Patch.
type schemaGen struct {
	components map[string]schema
	names      map[genKey]string
	owner      map[string]genKey // component name → its type, to catch two types with one name
	err        error
}

// genKey is a type as an answer (req false) or a request.
type genKey struct {
	t   reflect.Type
	req bool
}

// of is the schema of v: a hand-written schema as it is, else its type's.
func (g *schemaGen) of(v any, req bool) schema {
	if sc, ok := v.(schema); ok {
		return sc
	}
	return g.typeSchema(reflect.TypeOf(v), req)
}

var timeType = reflect.TypeFor[time.Time]()

// schemaWrapper is a type that encodes and decodes as another, T: a field
// that may be absent (the tickets API's shown, opt and notNull). null says
// whether it takes null besides T's own values (a pointer T may be null).
type schemaWrapper interface {
	schemaOf() (t reflect.Type, null bool)
}

var schemaWrapperType = reflect.TypeFor[schemaWrapper]()

func (g *schemaGen) typeSchema(t reflect.Type, req bool) schema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(schemaWrapperType) {
		inner, null := reflect.Zero(t).Interface().(schemaWrapper).schemaOf()
		sc := g.typeSchema(inner, req)
		if null || inner.Kind() == reflect.Pointer {
			sc = nullable(sc)
		}
		return sc
	}
	if _, ok := enumTypes[t]; ok {
		return g.ref(t, false)
	}
	if t == timeType {
		return schema{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return schema{"type": "boolean"}
	case reflect.Int64, reflect.Uint64:
		return schema{"type": "integer", "format": "int64"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return schema{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return schema{"type": "number"}
	case reflect.String:
		return schema{"type": "string"}
	case reflect.Slice, reflect.Array:
		return schema{"type": "array", "items": g.typeSchema(t.Elem(), req)}
	case reflect.Map:
		return schema{"type": "object", "additionalProperties": g.typeSchema(t.Elem(), req)}
	case reflect.Interface:
		return schema{}
	case reflect.Struct:
		if t.Name() == "" || strings.Contains(t.Name(), "[") {
			return g.object(t, req) // anonymous or generic (listBody[T]): inline
		}
		return g.ref(t, req)
	}
	g.fail(fmt.Errorf("web: openapi: no schema for Go type %s", t))
	return schema{}
}

// ref is a reference to t's component, made on first use.
func (g *schemaGen) ref(t reflect.Type, req bool) schema {
	k := genKey{t, req}
	name, done := g.names[k]
	if !done {
		name = componentName(t, req)
		if other, taken := g.owner[name]; taken {
			g.fail(fmt.Errorf("web: openapi: %s and %s would both be component %q; name one in typeNames", other.t, t, name))
		}
		g.names[k], g.owner[name] = name, k
		g.components[name] = schema{} // a placeholder while a recursive type refers to itself
		if e, ok := enumTypes[t]; ok {
			g.components[name] = schema{"type": "string", "enum": e.values}
		} else {
			g.components[name] = g.object(t, req)
		}
	}
	return schema{"$ref": "#/components/schemas/" + name}
}

func componentName(t reflect.Type, req bool) string {
	if e, ok := enumTypes[t]; ok {
		return e.name
	}
	n, ok := typeNames[t]
	if !ok {
		n = strings.TrimSuffix(t.Name(), "JSON")
		n = strings.ToUpper(n[:1]) + n[1:]
	}
	if req && !strings.HasSuffix(n, "Input") && !strings.HasSuffix(n, "Request") && !strings.HasSuffix(n, "Patch") {
		n += "Input"
	}
	return n
}

// object is the schema of a struct as encoding/json writes and reads it.
// Unknown fields are refused in requests (decodeJSON) and never sent in
// answers, so the object admits no other properties.
func (g *schemaGen) object(t reflect.Type, req bool) schema {
	props, required := schema{}, []string{}
	g.fields(t, t, req, props, &required, false)
	sc := schema{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 && !req {
		sc["required"] = required
	}
	return sc
}

// fields adds the JSON fields of struct t (inside top, for fieldSchemas) to
// props; optional marks the fields of an embedded pointer, absent together.
func (g *schemaGen) fields(top, t reflect.Type, req bool, props schema, required *[]string, optional bool) {
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				g.fields(top, et, req, props, required, optional || ft.Kind() == reflect.Pointer)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omitempty := slices.Contains(strings.Split(opts, ","), "omitempty") || slices.Contains(strings.Split(opts, ","), "omitzero")
		var sc schema
		if hand, ok := fieldSchemas[top.String()+"."+name]; ok {
			sc = hand
		} else {
			sc = g.typeSchema(ft, req)
			if ft.Kind() == reflect.Pointer && !omitempty {
				sc = nullable(sc)
			}
		}
		props[name] = sc
		if !omitempty && !optional {
			*required = append(*required, name)
		}
	}
}

// nullable is sc that admits null too, as OpenAPI 3.1 writes it.
func nullable(sc schema) schema {
	if typ, ok := sc["type"].(string); ok {
		out := maps.Clone(sc)
		out["type"] = []string{typ, "null"}
		return out
	}
	return schema{"anyOf": []any{sc, schema{"type": "null"}}}
}

func (g *schemaGen) fail(err error) {
	if g.err == nil {
		g.err = err
	}
}
