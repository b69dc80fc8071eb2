package policy

import (
	"fmt"
	"slices"
)

// List names a list whose rows a scope narrows, so that the scope of one
// list can never be applied to another.
type List string

// The lists of people administration (SPEC §4.4, §5).
const (
	ListUsers         List = "users"
	ListTeams         List = "teams"
	ListCompanies     List = "companies"
	ListCompanyGroups List = "company_groups"
	ListAudit         List = "audit"
	ListInvitations   List = "invitations"
)

// ScopeKind says how a list is narrowed for an actor.
type ScopeKind uint8

// The kinds of scope. The zero value is ScopeNone, so a scope that was never
// built, or built for nobody, matches no row: lists fail closed.
const (
	// ScopeNone: no row.
	ScopeNone ScopeKind = iota
	// ScopeAll: every row of the actor's tenant.
	ScopeAll
	// ScopeSelf: only the actor's own row (users).
	ScopeSelf
	// ScopeMember: the rows the actor belongs to: teams through team
	// membership, companies through assignment.
	ScopeMember
)

// Scope is which rows of a list an actor may see and open. The policy builds
// it from the actor alone; the domain package turns it into SQL in one
// function, so every list and every single-object load starts from it.
type Scope struct {
	List     List
	Kind     ScopeKind
	TenantID int64
	UserID   int64
	// Companies, when set, further narrows a ScopeMember list keyed by
	// company (companies, contacts, Office 365) to these companies: the
	// one an external user chose in the company switcher.
	Companies []int64
}

// All reports whether the scope is the whole tenant: the actor sees
// internal fields (a company's notes and groups) too.
func (s Scope) All() bool { return s.Kind == ScopeAll && s.List != "" && s.TenantID != 0 }

// None reports whether the scope matches no row.
func (s Scope) None() bool { return s.Kind == ScopeNone || s.List == "" || s.TenantID == 0 }

// String is the scope as the table test prints it.
func (s Scope) String() string {
	switch s.Kind {
	case ScopeAll:
		return "all"
	case ScopeSelf:
		return "self"
	case ScopeMember:
		return "member"
	case ScopeNone:
		return "none"
	}
	return fmt.Sprintf("unknown(%d)", s.Kind)
}

func scope(a Actor, l List, k ScopeKind) Scope {
	if !a.SignedIn() || k == ScopeNone {
		return Scope{List: l}
	}
	sc := Scope{List: l, Kind: k, TenantID: a.TenantID, UserID: a.UserID}
	if k == ScopeMember && a.narrowed {
		sc.Companies = slices.Clone(a.Companies)
	}
	return sc
}

// UsersScope is the users an actor may list and open: members see everyone
// of the tenant; guests, clients and external users only themselves (they
// meet others only inside what they share: a team, a card, a ticket).
func UsersScope(a Actor) Scope {
	if a.Kind == Member {
		return scope(a, ListUsers, ScopeAll)
	}
	return scope(a, ListUsers, ScopeSelf)
}

// TeamsScope is the teams an actor may see (SPEC §5: all teams for members,
// their teams for clients, none for guests and external users).
func TeamsScope(a Actor) Scope {
	switch a.Kind {
	case Member:
		return scope(a, ListTeams, ScopeAll)
	case Client:
		return scope(a, ListTeams, ScopeMember)
	}
	return scope(a, ListTeams, ScopeNone)
}

// CompaniesScope is the companies an actor may see: members all, external
// users their assigned ones, guests and clients none.
func CompaniesScope(a Actor) Scope {
	switch {
	case a.Kind == Member:
		return scope(a, ListCompanies, ScopeAll)
	case a.Kind.External():
		return scope(a, ListCompanies, ScopeMember)
	}
	return scope(a, ListCompanies, ScopeNone)
}

// CompanyGroupsScope is the company groups an actor may see: groups are for
// internal use, so members only.
func CompanyGroupsScope(a Actor) Scope {
	if a.Kind == Member {
		return scope(a, ListCompanyGroups, ScopeAll)
	}
	return scope(a, ListCompanyGroups, ScopeNone)
}

// AuditScope is the audit log an actor may read: all of the tenant's for
// those with the audit rule, nothing for anyone else.
func AuditScope(a Actor) Scope {
	if Allows(a, Settings{}, ViewAudit) {
		return scope(a, ListAudit, ScopeAll)
	}
	return scope(a, ListAudit, ScopeNone)
}

// InvitationsScope is the pending invitations an actor may list: all of the
// tenant's for those who invite, nothing for anyone else.
func InvitationsScope(a Actor) Scope {
	if Allows(a, Settings{}, InviteUsers) {
		return scope(a, ListInvitations, ScopeAll)
	}
	return scope(a, ListInvitations, ScopeNone)
}
