package policy

import (
	"slices"
	"strings"
)

// TokenScope is a part of the API an integration token may reach (SPEC
// §12). An integration token acts with its creator's rights narrowed to
// its scopes: a request may only use routes whose rule one of its scopes
// opens, and even there the creator's own rights still decide. Personal
// tokens have no scopes: they act with exactly their user's rights.
type TokenScope string

// The scopes an integration token can be given.
const (
	ScopeTicketsWrite   TokenScope = "tickets:write"
	ScopeCompaniesWrite TokenScope = "companies:write"
	ScopeContactsWrite  TokenScope = "contacts:write"
	ScopeOffice365Write TokenScope = "office365:write"
)

// TokenScopes lists every scope in the order the UI shows them.
var TokenScopes = []TokenScope{ScopeTicketsWrite, ScopeCompaniesWrite, ScopeContactsWrite, ScopeOffice365Write}

// Valid reports whether s is a known scope.
func (s TokenScope) Valid() bool { return slices.Contains(TokenScopes, s) }

// Label is the scope in words, for the Settings page.
func (s TokenScope) Label() string {
	switch s {
	case ScopeTicketsWrite:
		return "Tickets: read and write"
	case ScopeCompaniesWrite:
		return "Companies: read and write"
	case ScopeContactsWrite:
		return "Contacts: read and write"
	case ScopeOffice365Write:
		return "Office 365: read and write"
	}
	return string(s)
}

// allowsMethod reports whether s covers a request of method. A ":write"
// scope reads as well; a ":read" scope, should one come, only reads.
func (s TokenScope) allowsMethod(method string) bool {
	if strings.HasSuffix(string(s), ":write") {
		return true
	}
	return method == "GET" || method == "HEAD"
}

// tokenRuleScopes says which scope opens each rule to integration tokens.
// A rule not named here (nor by tokenRulePrefixes) is closed to them: a
// new rule is refused until a line here opens it.
var tokenRuleScopes = map[Rule]TokenScope{
	ManageCompanies:         ScopeCompaniesWrite,
	ViewPage(PageCompanies): ScopeCompaniesWrite,
	ViewPage(PageTickets):   ScopeTicketsWrite,
	ViewPage(PageContacts):  ScopeContactsWrite,
	EditContacts:            ScopeContactsWrite,
	ViewPage(PageOffice365): ScopeOffice365Write,
	EditOffice365:           ScopeOffice365Write,
}

// tokenRulePrefixes opens whole families of rules by their name's prefix:
// every "tickets.*" rule is a ticket rule.
var tokenRulePrefixes = map[string]TokenScope{
	"tickets.": ScopeTicketsWrite,
}

// tokenPageScopes says which scope opens the routes whose own rule is only
// SignedIn and which a section's page guards (GET /api/v1/companies is in
// the Companies section): for them the page is the real rule.
var tokenPageScopes = map[Page]TokenScope{
	PageCompanies: ScopeCompaniesWrite,
	PageTickets:   ScopeTicketsWrite,
	PageContacts:  ScopeContactsWrite,
	PageOffice365: ScopeOffice365Write,
}

// TokenScopeOf returns the scope that opens a route of rule r in the
// section of page (page is "" outside a section), if any.
func TokenScopeOf(page Page, r Rule) (TokenScope, bool) {
	if s, ok := tokenRuleScopes[r]; ok {
		return s, true
	}
	for prefix, s := range tokenRulePrefixes {
		if strings.HasPrefix(string(r), prefix) {
			return s, true
		}
	}
	if r == SignedIn {
		s, ok := tokenPageScopes[page]
		return s, ok
	}
	return "", false
}

// TokenAllows reports whether an integration token with scopes may use a
// route of rule r, in the section of page, with method. Whoami routes
// (who am I, may I open this page) are open to every token; routes decided
// for the principal (password, tokens, sessions) to none. It narrows and
// never grants: the creator's rights are checked as well.
func TokenAllows(scopes []TokenScope, page Page, r Rule, method string) bool {
	if r.ForPrincipal() {
		return false
	}
	if r == Whoami || r == Public {
		return true
	}
	want, ok := TokenScopeOf(page, r)
	if !ok {
		return false
	}
	for _, s := range scopes {
		if s == want && s.allowsMethod(method) {
			return true
		}
	}
	return false
}
