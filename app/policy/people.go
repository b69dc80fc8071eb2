package policy

import (
	"errors"
	"slices"
)

// The rules of people administration (SPEC §4.2–4.3, §10, §11).
const (
	// InviteUsers: invite people and resend or revoke invitations.
	InviteUsers Rule = "users.invite"
	// ManageUsers: edit a user's kind, teams, companies, flags; deactivate and reactivate.
	// Which users and which changes is decided per target by CanManageUser and CheckCapabilities.
	ManageUsers Rule = "users.manage"
	// ManagePageAccess: hide pages from a user.
	ManagePageAccess Rule = "users.page_access"
	// ManageModules: an external user's modules (show and label) and own-tickets-only.
	ManageModules Rule = "users.modules"
	// ManageTeams: org-design teams and their members.
	ManageTeams Rule = "teams.manage"
	// ManageCompanies: companies, company groups and who is assigned to them.
	ManageCompanies Rule = "companies.manage"
	// ViewAudit: the audit log, its export and its API.
	ViewAudit Rule = "audit.view"
	// ManageEmail: Settings → Email (the tenant's SMTP server and sender).
	ManageEmail Rule = "settings.email"
)

func init() {
	for r, f := range map[Rule]func(Actor) bool{
		InviteUsers:      func(a Actor) bool { return a.HasAny(SuperAdmin, Admin, PeopleAdmin) },
		ManageUsers:      func(a Actor) bool { return a.HasAny(SuperAdmin, Admin, PeopleAdmin) },
		ManagePageAccess: func(a Actor) bool { return a.HasAny(SuperAdmin, Admin, PeopleAdmin) },
		ManageModules:    func(a Actor) bool { return a.HasAny(SuperAdmin, Admin) },
		ManageTeams:      func(a Actor) bool { return a.HasAny(SuperAdmin, PeopleAdmin) },
		ManageCompanies:  func(a Actor) bool { return a.HasAny(SuperAdmin, Admin) },
		ViewAudit:        func(a Actor) bool { return a.HasAny(SuperAdmin, Admin) },
		ManageEmail:      func(a Actor) bool { return a.Has(SuperAdmin) },
	} {
		actionRules[r] = f
	}
}

// Target is the user an administrator acts on, as the policy needs to see them.
type Target struct {
	UserID       int64
	Kind         Kind
	Capabilities []Capability
}

// IsAdmin reports whether the target holds admin or super admin.
func (t Target) IsAdmin() bool {
	return t.Kind == Member && (slices.Contains(t.Capabilities, SuperAdmin) || slices.Contains(t.Capabilities, Admin))
}

// CanManageUser reports whether a may change or deactivate target: those
// with ManageUsers may, except that only super admins act on admins and
// super admins. Nobody manages themselves through this path (their own
// profile is a separate page), so an admin cannot lock themselves out.
func CanManageUser(a Actor, s Settings, t Target) bool {
	if !Allows(a, s, ManageUsers) || a.UserID == t.UserID {
		return false
	}
	if t.IsAdmin() {
		return a.Has(SuperAdmin)
	}
	return true
}

// Errors of capability changes, worded for the person making them.
var (
	ErrCapabilityNonMember  = errors.New("only members can hold admin capabilities")
	ErrCapabilitySuperAdmin = errors.New("only super admins can grant or remove super admin")
	ErrCapabilityAdmin      = errors.New("only super admins and admins can grant or remove admin capabilities")
	ErrCapabilityUnknown    = errors.New("unknown capability")
)

// CheckCapabilities says whether a may change a user of kind from the
// capabilities before to after. Super admins change any; admins change all
// but super admin; nobody else changes capabilities. Non-members hold none.
func CheckCapabilities(a Actor, kind Kind, before, after []Capability) error {
	for _, c := range after {
		if !c.Valid() {
			return ErrCapabilityUnknown
		}
	}
	if len(after) > 0 && !MayHoldCapabilities(kind) {
		return ErrCapabilityNonMember
	}
	for _, c := range Capabilities {
		if slices.Contains(before, c) == slices.Contains(after, c) {
			continue
		}
		switch {
		case c == SuperAdmin && !a.Has(SuperAdmin):
			return ErrCapabilitySuperAdmin
		case !a.HasAny(SuperAdmin, Admin):
			return ErrCapabilityAdmin
		}
	}
	return nil
}
