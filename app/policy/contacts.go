package policy

import "slices"

// Company contacts (SPEC §5, page contacts): a client company's address
// book. Members see and edit every company's contacts; external users with
// the contacts module see those of their assigned companies, and external
// editors among them edit those; everyone else has none.

// ListContacts is the list of company contacts.
const ListContacts List = "contacts"

// EditContacts covers adding, changing and deleting contacts: members and
// external editors with the contacts page. Which company's contacts is
// CanEditContact.
const EditContacts Rule = "contacts.edit"

func init() { actionRules[EditContacts] = mayEditContacts }

// contactsPage reports whether the contacts page is within the actor's
// kind, not hidden from them and, for external users, shown by their
// module settings. Tenant toggles do not touch it.
func (a Actor) contactsPage() bool { return CanSeePage(a, Settings{}, PageContacts) }

// mayEditContacts: members and external editors with the page; external
// viewers read only.
func mayEditContacts(a Actor) bool {
	return (a.Kind == Member || a.Kind == ExternalEditor) && a.contactsPage()
}

// ContactsScope is the contacts an actor may list and open, by their
// company: members every company's, external users with the contacts page
// those of their assigned companies (ScopeMember: the store narrows the
// contact's company_id to the companies the user is assigned to), anyone
// else none.
func ContactsScope(a Actor) Scope {
	switch {
	case !a.contactsPage():
	case a.Kind == Member:
		return scope(a, ListContacts, ScopeAll)
	case a.Kind.External():
		return scope(a, ListContacts, ScopeMember)
	}
	return scope(a, ListContacts, ScopeNone)
}

// CanEditContact reports whether a may add, change or delete a contact of
// company companyID: members for any company, external editors only for
// their assigned companies.
func CanEditContact(a Actor, companyID int64) bool {
	if !mayEditContacts(a) {
		return false
	}
	return a.Kind == Member || (companyID != 0 && slices.Contains(a.Companies, companyID))
}

// CanSetContactExternalID reports whether a may set a contact's external
// ID, the key of a PSA's sync: members (and the integration tokens acting
// for them) only. External users never see it.
func CanSetContactExternalID(a Actor) bool { return a.Kind == Member && mayEditContacts(a) }

// SeesContactExternalID reports whether a contact's external ID is part of
// what a sees: members only; for anyone else the field is absent.
func SeesContactExternalID(a Actor) bool { return a.Kind == Member }
