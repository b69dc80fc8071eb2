package policy

// Office 365 (SPEC §5, page office365): Microsoft 365 licences and users
// per company. Members see every company and change the data (an import,
// or a PSA's sync through an integration token with office365:write);
// external users with the module see their assigned companies and change
// nothing: the page is read-only for every external kind.

// EditOffice365 covers importing and upserting a company's licences and
// users: members with the page.
const EditOffice365 Rule = "office365.edit"

// ListOffice365 is the Microsoft 365 data of companies: licences, users
// and the companies to choose from, narrowed by company.
const ListOffice365 List = "office365"

func init() {
	actionRules[EditOffice365] = func(a Actor) bool {
		return a.Kind == Member && CanSeePage(a, Settings{}, PageOffice365)
	}
}

// Office365Scope is the companies whose Microsoft 365 data an actor may
// read: every company for members, the assigned ones for external users
// with the module shown, none for anyone else.
func Office365Scope(a Actor) Scope {
	if !CanSeePage(a, Settings{}, PageOffice365) {
		return scope(a, ListOffice365, ScopeNone)
	}
	switch {
	case a.Kind == Member:
		return scope(a, ListOffice365, ScopeAll)
	case a.Kind.External():
		return scope(a, ListOffice365, ScopeMember)
	}
	return scope(a, ListOffice365, ScopeNone)
}
