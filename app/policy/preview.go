package policy

// StartPreview is the rule of starting a preview as another user (SPEC §9):
// super admins and admins. Which users is decided per target by CanPreview.
// A preview never starts another one (Rule.AllowedInPreview).
const StartPreview Rule = "preview.start"

// EndPreview is the rule of ending one's preview: decided for the
// principal like SignOut, and allowed in every preview, read-only or not,
// so nobody is ever stuck in one.
const EndPreview Rule = "preview.end"

func init() {
	actionRules[StartPreview] = func(a Actor) bool { return a.HasAny(SuperAdmin, Admin) }
	actionRules[EndPreview] = Actor.SignedIn
}

// AllowedInReadOnlyPreview reports whether a state change under rule r
// may go through while previewing a user who is not a test user: only
// signing out, ending the preview and choosing a company in the switcher,
// which changes what the session shows, not the workspace (SPEC §9: such
// a preview is read-only).
func (r Rule) AllowedInReadOnlyPreview() bool {
	return r == SignOut || r == EndPreview || r == SwitchCompany
}

// PreviewTarget is what CanPreview needs to know of the user to preview.
type PreviewTarget struct {
	Target
	TenantID int64
	// Active: an invited or deactivated user has no portal to preview.
	Active bool
	// TestUser marks the test account whose preview is interactive.
	TestUser bool
}

// CanPreview reports whether a may preview as t (SPEC §9): a super admin
// or an admin, for an active user of their own tenant other than
// themselves whose rights do not exceed theirs: never a super admin,
// never a holder of a capability a lacks (a super admin lacks none: every
// rule another capability opens, super admin opens too).
func CanPreview(a Actor, t PreviewTarget) bool { return WhyNoPreview(a, t) == PreviewAllowed }

// PreviewRefusal is why a preview is refused: the one decision CanPreview
// makes, named, so a refusal's message says what the policy decided.
type PreviewRefusal uint8

// The reasons, in the order they are checked.
const (
	PreviewAllowed PreviewRefusal = iota
	// PreviewNotAllowed: the principal may not preview anyone, or the
	// target is no user of their tenant.
	PreviewNotAllowed
	PreviewSelf
	PreviewInactive
	PreviewSuperAdmin
	// PreviewMoreRights: the target holds a capability the principal lacks.
	PreviewMoreRights
)

// WhyNoPreview is the reason a may not preview as t, or PreviewAllowed.
func WhyNoPreview(a Actor, t PreviewTarget) PreviewRefusal {
	switch {
	case !Allows(a, Settings{}, StartPreview) || a.IsOperator() || t.UserID == 0 || t.TenantID != a.TenantID:
		return PreviewNotAllowed
	case t.UserID == a.UserID:
		return PreviewSelf
	case !t.Active:
		return PreviewInactive
	case t.Kind != Member:
		return PreviewAllowed // capabilities stored for a non-member grant nothing
	}
	for _, c := range t.Capabilities {
		if c == SuperAdmin {
			return PreviewSuperAdmin
		}
		if !(a.Has(SuperAdmin) || a.Has(c)) {
			return PreviewMoreRights
		}
	}
	return PreviewAllowed
}

// PreviewReadOnly reports whether a preview as t refuses every write: it
// does, except for the test user, whose preview is interactive (SPEC §9).
func PreviewReadOnly(t PreviewTarget) bool { return !t.TestUser }

// adminRules are the administration rules: a preview refuses them whoever
// it shows (SPEC §9: admin pages and actions are always refused), so that
// a preview never administers the workspace in someone else's name.
var adminRules = map[Rule]bool{
	EditBranding: true, EditStrategyToggles: true, EditSettings: true,
	InviteUsers: true, ManageUsers: true, ManagePageAccess: true, ManageModules: true, ManageTestUser: true,
	ManageTeams: true, ManageCompanies: true, ViewAudit: true, ManageEmail: true, ManageIntegrations: true,
	ManageTicketSettings: true, StartPreview: true, ExplainAccess: true,
}

// AdminRoute reports whether a route in section page (may be "") with rule
// r administers the workspace: an admin page (Settings, Audit log,
// Billing) or an administration rule. A preview refuses it.
func AdminRoute(page Page, r Rule) bool {
	if adminRules[r] {
		return true
	}
	if p, ok := r.PageOf(); ok && page == "" {
		page = p
	}
	info, ok := Info(page)
	return ok && info.Group == GroupAdmin
}
