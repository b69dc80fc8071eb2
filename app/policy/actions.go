package policy

import "strings"

// Rule is what a route requires. Every route of the web server declares one;
// a test walks the route table and fails on a route without.
type Rule string

// The rules that are not pages.
const (
	// Public routes need no sign-in: login, health, static files.
	Public Rule = "public"
	// SignedIn routes need any signed-in user: the session, /api/v1/me.
	SignedIn Rule = "signed_in"
	// Whoami routes tell the caller who they are and what they may open
	// (GET /api/v1/me, /api/v1/pages/KEY): any signed-in user, and every
	// API token, whatever its scopes.
	Whoami Rule = "whoami"
	// OwnAccount routes touch the principal's own secrets: password,
	// email, tokens, sessions. They are decided for the signed-in user
	// (the principal), never for a previewed actor, and a preview refuses
	// them (SPEC §9).
	OwnAccount Rule = "own_account"
	// SignOut ends the principal's session, a preview and all: decided for
	// the principal like OwnAccount, and the one such action a preview
	// allows, so nobody is ever stuck in one.
	SignOut Rule = "sign_out"
	// EditBranding covers Settings → Branding (super admins and admins).
	EditBranding Rule = "settings.branding"
	// EditStrategyToggles turns the why and direction pages on or off.
	EditStrategyToggles Rule = "settings.strategy_toggles"
	// EditSettings is the door of PATCH /api/v1/settings: the actor owns at
	// least one of the tenant's settings fields. Each field is then checked
	// by its own rule (CheckSettingsFields).
	EditSettings Rule = "settings.edit"
	// SwitchCompany chooses which of their companies an external user's
	// session shows (the company switcher): it changes the session's view,
	// not the workspace, so a read-only preview allows it.
	SwitchCompany Rule = "companies.switch"
)

// SettingsField is a field of the tenant's settings (GET /api/v1/settings).
type SettingsField string

// The tenant's settings fields.
const (
	SettingWhyEnabled       SettingsField = "why_enabled"
	SettingDirectionEnabled SettingsField = "direction_enabled"
	SettingBranding         SettingsField = "branding"
	SettingSupport          SettingsField = "support"
)

// settingsFieldRules says which rule owns each settings field: each field
// changes only for the capability that owns it (SPEC §12).
var settingsFieldRules = map[SettingsField]Rule{
	SettingWhyEnabled:       EditStrategyToggles,
	SettingDirectionEnabled: EditStrategyToggles,
	SettingBranding:         EditBranding,
	SettingSupport:          EditBranding,
}

// CheckSettingsFields returns *ErrFieldForbidden for the first of fields a
// may not change, or nil. One refused field refuses the whole change, so
// nothing is half-applied.
func CheckSettingsFields(a Actor, s Settings, fields ...SettingsField) error {
	for _, f := range fields {
		r, ok := settingsFieldRules[f]
		if !ok || !Allows(a, s, r) {
			return &ErrFieldForbidden{Field: string(f)}
		}
	}
	return nil
}

// ViewPage is the rule for a page route: the page must be in the actor's navigation.
func ViewPage(p Page) Rule { return Rule("page:" + string(p)) }

// PageOf returns the page a rule names, if it is a page rule.
func (r Rule) PageOf() (Page, bool) {
	p, ok := strings.CutPrefix(string(r), "page:")
	return Page(p), ok
}

// actionRules says who may do each non-page action.
var actionRules = map[Rule]func(Actor) bool{
	Public:              func(Actor) bool { return true },
	SignedIn:            Actor.SignedIn,
	Whoami:              Actor.SignedIn,
	OwnAccount:          Actor.SignedIn,
	SignOut:             Actor.SignedIn,
	EditBranding:        func(a Actor) bool { return a.HasAny(SuperAdmin, Admin) },
	EditStrategyToggles: func(a Actor) bool { return a.HasAny(SuperAdmin, StrategyAdmin) },
	EditSettings:        func(a Actor) bool { return a.HasAny(SuperAdmin, Admin, StrategyAdmin) },
	SwitchCompany:       CanSwitchCompany,
}

// Known reports whether r is a rule this package can decide.
func (r Rule) Known() bool {
	if p, ok := r.PageOf(); ok {
		_, known := Info(p)
		return known
	}
	_, ok := actionRules[r]
	return ok
}

// Allows answers "may this actor follow this rule" for the tenant's settings.
// Unknown rules are refused.
func Allows(a Actor, s Settings, r Rule) bool { return allows(a, s, r, nil) }

// ForPrincipal reports whether rule r is decided for the signed-in user
// (the principal) rather than for the actor the request acts as.
func (r Rule) ForPrincipal() bool { return r == OwnAccount || r == SignOut || r == EndPreview }

// AllowedInPreview reports whether a route of rule r may be used while the
// actor is not the principal (a preview, SPEC §9): everything but the
// principal's own secrets, and starting another preview.
func (r Rule) AllowedInPreview() bool { return r != OwnAccount && r != StartPreview }
