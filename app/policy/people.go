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
	// SPEC §4.3 has people admins enter modules when they invite, and an
	// external user's modules are their page access, so the same people
	// who manage page access manage modules, when inviting and editing.
	ManageModules Rule = "users.modules"
	// ManageTestUser: flag a user as the test user whose preview is
	// interactive (SPEC §9). Only those who may preview set it.
	ManageTestUser Rule = "users.test_user"
	// ManageTeams: org-design teams and their members.
	ManageTeams Rule = "teams.manage"
	// ManageCompanies: companies, company groups and who is assigned to them.
	ManageCompanies Rule = "companies.manage"
	// ViewAudit: the audit log, its export and its API.
	ViewAudit Rule = "audit.view"
	// ManageEmail: Settings → Email (the tenant's SMTP server and sender).
	ManageEmail Rule = "settings.email"
	// ManageIntegrations: Settings → Integrations, the tenant's integration
	// tokens (SPEC §12): super admins and admins.
	ManageIntegrations Rule = "settings.integrations"
)

func init() {
	for r, f := range map[Rule]func(Actor) bool{
		InviteUsers:        func(a Actor) bool { return a.HasAny(SuperAdmin, Admin, PeopleAdmin) },
		ManageUsers:        func(a Actor) bool { return a.HasAny(SuperAdmin, Admin, PeopleAdmin) },
		ManagePageAccess:   func(a Actor) bool { return a.HasAny(SuperAdmin, Admin, PeopleAdmin) },
		ManageModules:      func(a Actor) bool { return a.HasAny(SuperAdmin, Admin, PeopleAdmin) },
		ManageTestUser:     func(a Actor) bool { return a.HasAny(SuperAdmin, Admin) },
		ManageTeams:        func(a Actor) bool { return a.HasAny(SuperAdmin, PeopleAdmin) },
		ManageCompanies:    func(a Actor) bool { return a.HasAny(SuperAdmin, Admin) },
		ViewAudit:          func(a Actor) bool { return a.HasAny(SuperAdmin, Admin) },
		ManageEmail:        func(a Actor) bool { return a.Has(SuperAdmin) },
		ManageIntegrations: func(a Actor) bool { return a.HasAny(SuperAdmin, Admin) },
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

// isSuperAdmin reports whether the target holds super admin.
func (t Target) isSuperAdmin() bool {
	return t.Kind == Member && slices.Contains(t.Capabilities, SuperAdmin)
}

// CanManageUser reports whether a may change target: those with
// ManageUsers may, except that only super admins act on super admins and
// only super admins and admins act on admins (SPEC §4.2: admins add and
// remove admins, not super admins). Nobody manages themselves through this
// path (their own profile is a separate page), so an admin cannot lock
// themselves out.
func CanManageUser(a Actor, s Settings, t Target) bool {
	if !Allows(a, s, ManageUsers) || a.UserID == t.UserID {
		return false
	}
	switch {
	case t.isSuperAdmin():
		return a.Has(SuperAdmin)
	case t.IsAdmin():
		return a.HasAny(SuperAdmin, Admin)
	}
	return true
}

// CanDeactivateUser reports whether a may deactivate or reactivate target:
// whoever may manage them, except that only super admins deactivate an
// admin or a super admin (SPEC §4.3).
func CanDeactivateUser(a Actor, s Settings, t Target) bool {
	if !CanManageUser(a, s, t) {
		return false
	}
	return !t.IsAdmin() || a.Has(SuperAdmin)
}

// UserField is a part of a user that only some administrators may set,
// whether on the invitation or later on the user's page.
type UserField string

// The guarded user fields; the JSON names of PATCH /api/v1/users/{id}.
const (
	FieldHiddenPages    UserField = "hidden_pages"
	FieldModules        UserField = "modules"
	FieldOwnTicketsOnly UserField = "own_tickets_only"
	FieldTestUser       UserField = "test_user"
)

// userFieldRules says which rule owns each guarded user field.
var userFieldRules = map[UserField]Rule{
	FieldHiddenPages:    ManagePageAccess,
	FieldModules:        ManageModules,
	FieldOwnTicketsOnly: ManageModules,
	FieldTestUser:       ManageTestUser,
}

// CanSetUserField reports whether a may set field f of a user, when
// inviting or when editing: one rule for both.
func CanSetUserField(a Actor, s Settings, f UserField) bool {
	r, ok := userFieldRules[f]
	return ok && Allows(a, s, r)
}

// ErrFieldForbidden names the first field an actor may not set.
type ErrFieldForbidden struct{ Field string }

func (e *ErrFieldForbidden) Error() string { return "you may not change " + e.Field }

// CheckUserFields returns *ErrFieldForbidden for the first of fields a may
// not set, or nil.
func CheckUserFields(a Actor, s Settings, fields ...UserField) error {
	for _, f := range fields {
		if !CanSetUserField(a, s, f) {
			return &ErrFieldForbidden{Field: string(f)}
		}
	}
	return nil
}

// SeesContactDetails reports whether a may see the email, title, phone and
// status of a user whose status is deactivated or not. A deactivated
// user's profile hides them (SPEC §4.3) from everyone but those who manage
// users, who need them to reactivate the right person.
func SeesContactDetails(a Actor, s Settings, targetDeactivated bool) bool {
	return !targetDeactivated || administersUsers(a, s)
}

// administersUsers reports whether a manages users and still has Settings,
// where that is done: with Settings hidden, what only Settings shows is
// hidden elsewhere too (the API, profiles, search).
func administersUsers(a Actor, s Settings) bool {
	return Allows(a, s, ManageUsers) && CanSeePage(a, s, PageSettings)
}

// SeesAdminFields reports whether a may see the administrative fields of
// user targetID: hidden pages, modules, own-tickets-only, the test-user
// flag and the manager. Those who manage users see them (they set them);
// a user sees their own, which shape their own navigation. Everyone else
// sees a user without them.
func SeesAdminFields(a Actor, s Settings, targetID int64) bool {
	return (a.SignedIn() && a.UserID != 0 && a.UserID == targetID) || administersUsers(a, s)
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
