// Package policy decides who may see and do what in Atrium. It is pure: it
// reads an Actor and answers, with no I/O, so a reviewer can check it line
// by line against SPEC §4–5 and the table test can enumerate it.
package policy

import "slices"

// Kind is the one kind a user has (SPEC §4.1).
type Kind string

// The kinds of user.
const (
	Member         Kind = "member"
	Guest          Kind = "guest"
	Client         Kind = "client"
	ExternalEditor Kind = "external_editor"
	ExternalViewer Kind = "external_viewer"
)

// Kinds lists every kind in the order the UI shows them.
var Kinds = []Kind{Member, Guest, Client, ExternalEditor, ExternalViewer}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// External reports whether k is a company-scoped portal user.
func (k Kind) External() bool { return k == ExternalEditor || k == ExternalViewer }

// Label is the kind's name in the UI.
func (k Kind) Label() string {
	switch k {
	case Member:
		return "Member"
	case Guest:
		return "Guest"
	case Client:
		return "Client"
	case ExternalEditor:
		return "External editor"
	case ExternalViewer:
		return "External viewer"
	}
	return string(k)
}

// Capability is an admin capability; only members hold them (SPEC §4.2).
type Capability string

// The admin capabilities.
const (
	SuperAdmin     Capability = "super_admin"
	Admin          Capability = "admin"
	BillingAdmin   Capability = "billing_admin"
	HeadlinesAdmin Capability = "headlines_admin"
	StrategyAdmin  Capability = "strategy_admin"
	PeopleAdmin    Capability = "people_admin"
)

// Capabilities lists every capability in the order the UI shows them.
var Capabilities = []Capability{SuperAdmin, Admin, BillingAdmin, HeadlinesAdmin, StrategyAdmin, PeopleAdmin}

// Valid reports whether c is a known capability.
func (c Capability) Valid() bool { return slices.Contains(Capabilities, c) }

// Label is the capability's name in the UI.
func (c Capability) Label() string {
	switch c {
	case SuperAdmin:
		return "Super admin"
	case Admin:
		return "Admin"
	case BillingAdmin:
		return "Billing admin"
	case HeadlinesAdmin:
		return "Headlines admin"
	case StrategyAdmin:
		return "Strategy admin"
	case PeopleAdmin:
		return "People admin"
	}
	return string(c)
}

// MayHoldCapabilities reports whether a user of kind k can be given any
// capability. Guests, clients and external users never can.
func MayHoldCapabilities(k Kind) bool { return k == Member }

// MayJoinTeams reports whether a user of kind k can belong to a team:
// members and clients (SPEC §4.1, §4.4).
func MayJoinTeams(k Kind) bool { return k == Member || k == Client }

// MayHaveManager reports whether a user of kind k can have a manager (for
// 1:1s): members only; guests, clients and external users have none (SPEC §4.4).
func MayHaveManager(k Kind) bool { return k == Member }

// MayManage reports whether a user of kind k can be someone's manager:
// members only, as only members have reports.
func MayManage(k Kind) bool { return k == Member }

// HasCompanies reports whether a user of kind k is assigned to companies
// and has modules: the external users, and they must have a company.
func HasCompanies(k Kind) bool { return k.External() }

// KindsWhere are the kinds rule admits, in the order of Kinds: a kind
// rule as a list, for SQL ("kind IN (…)").
func KindsWhere(rule func(Kind) bool) []Kind {
	var out []Kind
	for _, k := range Kinds {
		if rule(k) {
			out = append(out, k)
		}
	}
	return out
}

// MayBeAssigned reports whether a user of kind k can be a ticket's
// assignee: members, the MSP's staff, whose home counts what is assigned
// to them.
func MayBeAssigned(k Kind) bool { return k == Member }

// ClientMarked reports whether a user of kind k is marked as the client
// everywhere they appear (the ring on their avatar, UI.md): clients sit in
// the MSP's own teams, and members must see who is from outside.
func ClientMarked(k Kind) bool { return k == Client }

// PortalHome reports whether a user of kind k gets the client portal's
// home (their open tickets, the latest report, articles, how to reach
// support) rather than a member's: the external users.
func PortalHome(k Kind) bool { return k.External() }

// CanSwitchCompany reports whether actor a may choose one of their
// companies to work in (the company switcher): an external user with
// several companies, or one already narrowed to one of them.
func CanSwitchCompany(a Actor) bool {
	return a.SignedIn() && a.Kind.External() && (a.narrowed || len(a.Companies) > 1)
}

// Belonging is what a user's menu names under their name.
type Belonging int

// What a menu names.
const (
	// BelongsToKind: the kind and highest capability ("Member · Admin");
	// members and guests, to whom those words mean something.
	BelongsToKind Belonging = iota
	// BelongsToCompanies: the user's assigned companies (external users).
	BelongsToCompanies
	// BelongsToTeams: the user's teams, by their company when they have one
	// (clients). Outside users never see an internal kind.
	BelongsToTeams
)

// MenuBelonging is what the menu of a user of kind k names.
func MenuBelonging(k Kind) Belonging {
	switch {
	case HasCompanies(k):
		return BelongsToCompanies
	case k == Client:
		return BelongsToTeams
	}
	return BelongsToKind
}

// Actor is who is acting: the signed-in user, or the user being previewed.
// Build it with the fields the store loaded; the zero Actor is anonymous and
// may do nothing but public things. The platform operator at the command
// line is the explicit Operator actor, never the zero value.
type Actor struct {
	UserID       int64
	TenantID     int64
	Kind         Kind
	Capabilities []Capability
	// HiddenPages are the pages an admin or people admin hid from this user.
	HiddenPages []Page
	// Modules are an external user's module settings, by page.
	Modules map[Page]Module
	// Companies are an external user's assigned companies.
	Companies []int64
	// Teams are the teams the user belongs to (people.LoadRights): a
	// client's scope of teams' work.
	Teams []int64
	// OwnTicketsOnly narrows an external user's tickets to those they are
	// the contact or a watcher of (SPEC §7).
	OwnTicketsOnly bool
	// narrowed marks an external user acting for one of their companies
	// only (the company switcher); only NarrowTo sets it.
	narrowed bool
	// operator marks the Operator actor; only Operator sets it.
	operator bool
}

// Operator is the platform operator of tenant tenantID at the command line
// (atrium user create): above the tenant's capabilities, as the person who
// runs the server is, but a named actor that code must ask for on purpose.
// It is never a user, so it has no pages and no sessions.
func Operator(tenantID int64) Actor {
	return Actor{TenantID: tenantID, Kind: Member, Capabilities: slices.Clone(Capabilities), operator: true}
}

// NarrowTo is the actor acting for one of their companies only, as the
// company switcher chooses: Companies becomes just companyID, and every
// list scope built from the actor narrows to it. A company that is not
// (or no longer) one of theirs, or an actor without several companies,
// leaves the actor as it is: all of their companies.
func (a Actor) NarrowTo(companyID int64) Actor {
	if !CanSwitchCompany(a) || a.narrowed || !slices.Contains(a.Companies, companyID) {
		return a
	}
	a.Companies, a.narrowed = []int64{companyID}, true
	return a
}

// HasCompany reports whether companyID is one of the actor's companies.
func HasCompany(a Actor, companyID int64) bool { return slices.Contains(a.Companies, companyID) }

// Narrowed reports whether the actor acts for one chosen company only.
func (a Actor) Narrowed() bool { return a.narrowed }

// IsOperator reports whether a is the command-line operator.
func (a Actor) IsOperator() bool { return a.operator }

// Module is an external user's setting for one module page.
type Module struct {
	Show  bool
	Label string
}

// Settings are the tenant toggles that shape navigation.
type Settings struct {
	WhyEnabled       bool
	DirectionEnabled bool
}

// SignedIn reports whether the actor is a user at all.
func (a Actor) SignedIn() bool {
	return (a.UserID != 0 || a.operator) && a.TenantID != 0 && a.Kind.Valid()
}

// Has reports whether the actor holds capability c. Non-members never do,
// whatever was stored.
func (a Actor) Has(c Capability) bool {
	return a.Kind == Member && slices.Contains(a.Capabilities, c)
}

// HasAny reports whether the actor holds at least one of cs.
func (a Actor) HasAny(cs ...Capability) bool {
	for _, c := range cs {
		if a.Has(c) {
			return true
		}
	}
	return false
}

// UniqueCapabilities returns cs in the order of Capabilities with each
// capability once: a list that names one twice means it once.
func UniqueCapabilities(cs []Capability) []Capability {
	out := []Capability{}
	for _, c := range Capabilities {
		if slices.Contains(cs, c) {
			out = append(out, c)
		}
	}
	for _, c := range cs {
		if !c.Valid() && !slices.Contains(out, c) {
			out = append(out, c) // kept so that CheckCapabilities names it
		}
	}
	return out
}
