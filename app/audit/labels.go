package audit

import "strings"

// labels are the actions in words, as the audit page shows them: the
// one place an action becomes a sentence. Exports and the API keep the
// action itself, for programs, and add this label.
var labels = map[Action]string{
	Login:            "Signed in",
	LoginFailed:      "Sign-in failed",
	Logout:           "Signed out",
	Invite:           "Invited someone",
	InviteResend:     "Resent an invitation",
	InviteRevoke:     "Revoked an invitation",
	InviteAccept:     "Accepted an invitation",
	PasswordReset:    "Reset a password",
	PasswordChange:   "Changed a password",
	UserChange:       "Changed a user",
	KindChange:       "Changed a user's kind",
	CapabilityChange: "Changed capabilities",
	PageAccessChange: "Changed page access",
	ModuleChange:     "Changed modules",
	Deactivate:       "Deactivated a user",
	Reactivate:       "Reactivated a user",
	SettingsChange:   "Turned pages on or off",
	BrandingChange:   "Changed the branding",
	EmailSettings:    "Changed the email settings",
	TeamChange:       "Changed a team",
	CompanyChange:    "Changed a company",
	EmailTest:        "Sent a test email",
	TicketCreate:     "Opened a ticket",
	TicketChange:     "Changed a ticket",
	TicketNote:       "Added a note to a ticket",
	TicketWatchers:   "Changed a ticket's watchers",
	TicketSettings:   "Changed the ticket settings",
	TokenCreate:      "Created an API token",
	TokenRevoke:      "Revoked an API token",
	ContactChange:    "Changed a company contact",
	// The knowledge base.
	ArticleCreate:     "Wrote an article",
	ArticleChange:     "Changed an article",
	ArticleDelete:     "Deleted an article",
	ArticleCategories: "Changed the knowledge base categories",
	ReportCreate:      "Created a report",
	ReportChange:      "Changed a report",
	ReportPublish:     "Published or unpublished a report",
	ReportDelete:      "Deleted a report",
	Office365Import:   "Imported Office 365 data",
	Office365Sync:     "Synced Office 365 data",
	PlanChange:        "Changed a company's plan",
	RockChange:        "Changed a rock",
	MetricChange:      "Changed a scorecard metric",
	IssueChange:       "Changed an issue",
	TodoChange:        "Changed a to-do",
	MessageChange:     "Posted or changed a team message",
	MeetingChange:     "Ran a meeting",
	OneOnOne:          "Changed a 1:1",
	WorkboardChange:   "Changed a workboard",
	StrategySave:      "Saved a new version of a strategy page",
	HeadlineCreate:    "Wrote a headline",
	HeadlineChange:    "Changed a headline",
	HeadlineDelete:    "Deleted a headline",
	SeatChange:        "Changed the roles chart",
	PreviewStart:      "Started a preview",
	PreviewEnd:        "Ended a preview",
}

// Label is the action in words ("Sign-in failed" for login.failed). An
// action without a label (recorded by a newer version, say) is shown
// readably rather than as a code.
func (a Action) Label() string {
	if l, ok := labels[a]; ok {
		return l
	}
	s := strings.NewReplacer(".", " ", "_", " ").Replace(string(a))
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// FilterOption is one choice of the action filter: the value Filter.Action
// takes (an action, or a prefix ending in ".") and its label.
type FilterOption struct {
	Value string
	Label string
}

// FilterOptions are the choices of the action filter, in the order the
// page lists them: everything, then groups, then single actions.
func FilterOptions() []FilterOption {
	out := []FilterOption{
		{"", "All actions"},
		{"user.", "Any change to people"},
		{"settings.", "Any change to settings"},
	}
	for _, a := range []Action{Login, LoginFailed, Logout, Invite, InviteResend, InviteRevoke, InviteAccept,
		PasswordReset, PasswordChange, UserChange, KindChange, CapabilityChange, PageAccessChange, ModuleChange,
		Deactivate, Reactivate, SettingsChange, BrandingChange, EmailSettings, TeamChange, CompanyChange, EmailTest, TokenCreate, TokenRevoke, ContactChange} {
		out = append(out, FilterOption{string(a), a.Label()})
	}
	return out
}
