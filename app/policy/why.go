package policy

import (
	"fmt"
	"slices"
	"strings"
)

// Why records, in words, the rules a decision applied: the access
// explainer's answer to "why can (or can't) this person see this?" (SPEC
// §12, GET /api/v1/users/{id}/access). The decisions take a *Why and
// narrate as they decide, so an explanation cannot disagree with the
// decision it explains. A nil *Why records nothing; it is what every
// route and list passes.
type Why struct {
	// Name is the user's name, as the reasons call them.
	Name string
	// Names name the objects the reasons mention.
	Names Names
	// Objects adds, after an object's verdict, what the reader sees of it:
	// hidden fields, note types, internal-only parts.
	Objects bool
	reasons []string
}

// Names are the names of the tenant's objects, by ID, for the reasons.
type Names struct {
	Boards    map[int64]string
	Companies map[int64]string
	NoteTypes map[int64]string
	Fields    map[TicketField]string
}

// says records the reason words makes and returns ok, so a decision reads
// `return w.says(false, func() string { return "…" })`. words runs only
// when someone reads the reasons: routes and lists, which pass no Why, pay
// for no words.
func (w *Why) says(ok bool, words func() string) bool {
	if w != nil {
		// A rule applied twice (the page of a route's section, then of its
		// object) is said once.
		if r := words(); !slices.Contains(w.reasons, r) {
			w.reasons = append(w.reasons, r)
		}
	}
	return ok
}

// Add records a reason found outside the policy: that the object asked
// about does not exist.
func (w *Why) Add(reason string) { w.says(false, func() string { return reason }) }

// Reasons are the reasons recorded, in the order the rules were applied.
func (w *Why) Reasons() []string {
	if w == nil {
		return nil
	}
	return w.reasons
}

// explaining reports whether reasons are wanted: a decision skips the
// words (and the lookups they need) when nobody reads them.
func (w *Why) explaining() bool { return w != nil }

func (w *Why) who() string {
	if w == nil || w.Name == "" {
		return "This user"
	}
	return w.Name
}

func (w *Why) company(id int64) string {
	if id == 0 {
		return "no company"
	}
	if n := w.Names.Companies[id]; n != "" {
		return n
	}
	return fmt.Sprintf("company %d", id)
}

func (w *Why) board(id int64) string {
	if n := w.Names.Boards[id]; n != "" {
		return "the " + n + " board"
	}
	return fmt.Sprintf("board %d", id)
}

func (w *Why) noteType(id int64) string {
	if n := w.Names.NoteTypes[id]; n != "" {
		return n
	}
	return fmt.Sprintf("type %d", id)
}

func (w *Why) field(f TicketField) string {
	if n := w.Names.Fields[f]; n != "" {
		return n
	}
	return f.Label()
}

func (w *Why) companies(ids []int64) string {
	if len(ids) == 0 {
		return "no company"
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = w.company(id)
	}
	return list(names)
}

// Plural is the kind's name for a group of its users, in running text
// ("external editors").
func (k Kind) Plural() string { return strings.ToLower(k.PluralLabel()) }

// PluralLabel is the kind's name for a group of its users as a heading or
// column ("External editors").
func (k Kind) PluralLabel() string { return k.Label() + "s" }

// article is "a" or "an" before the kind's name in running text.
func (k Kind) article() string {
	if k == ExternalEditor || k == ExternalViewer {
		return "an " + strings.ToLower(k.Label())
	}
	return "a " + strings.ToLower(k.Label())
}

// list joins words as a sentence does: "a", "a and b", "a, b and c".
func list(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func kindList(ks []Kind) string {
	words := make([]string, len(ks))
	for i, k := range ks {
		words[i] = k.Plural()
	}
	return list(words)
}

// ExplainAccess is the rule of the access explainer and of "who can see
// this?": super admins and admins, the people who set up what others see.
const ExplainAccess Rule = "access.explain"

func init() { actionRules[ExplainAccess] = func(a Actor) bool { return a.HasAny(SuperAdmin, Admin) } }

// ruleWords say who each action rule is for, as the explainer words it.
// A test fails for a rule without words.
var ruleWords = map[Rule]string{
	Public:               "Anyone may open this, signed in or not",
	SignedIn:             "Any signed-in user may open this",
	Whoami:               "Any signed-in user may ask who they are",
	OwnAccount:           "A user's own account pages are theirs alone",
	SignOut:              "Any signed-in user may sign out",
	EditBranding:         "Branding is changed by super admins and admins",
	EditStrategyToggles:  "The why and direction pages are turned on and off by super admins and strategy admins",
	EditSettings:         "The workspace's settings are changed by super admins, admins and strategy admins",
	InviteUsers:          "Inviting people is for super admins, admins and people admins",
	ManageUsers:          "Managing users is for super admins, admins and people admins",
	ManagePageAccess:     "Hiding pages from users is for super admins, admins and people admins",
	ManageModules:        "External users' modules are set by super admins, admins and people admins",
	ManageTestUser:       "The test user is chosen by super admins and admins",
	ManageTeams:          "Teams are managed by super admins and people admins",
	ManageCompanies:      "Companies are managed by super admins and admins",
	ViewAudit:            "The audit log is for super admins and admins",
	ManageEmail:          "Email settings are for super admins",
	ManageIntegrations:   "Integrations are managed by super admins and admins",
	CreateTickets:        "Tickets are opened by members and external editors who have the tickets page",
	EditTickets:          "Tickets are changed by members and external editors who have the tickets page",
	ManageTicketSettings: "Ticket settings are for super admins and admins",
	EditContacts:         "Contacts are changed by members and external editors who have the contacts page",
	EditArticles:         "Knowledge base articles are written by members who have the page",
	EditReports:          "Reports are written by members who have the reports page",
	EditOffice365:        "Microsoft 365 data is imported by members who have the page",
	EditPlan:             "Plan items are written by members who have the plan page",
	CommentPlan:          "Plan items are commented on by members and external editors who have the plan page",
	ReadTeamWork:         "Teams' work is read by members, and by clients in their teams",
	WorkInTeams:          "Teams' rocks, scorecards, issues, to-dos and messages are worked on by members and clients who have the teams page",
	HoldOneOnOnes:        "1:1s are held by members who have the 1:1s page, each with their manager or a report",
	CreateWorkboards:     "Workboards and cards are created by members who have the workboards page",
	WorkOnBoards:         "Work on workboards is for members and guests who have the workboards page",
	SendIssues:           "Sending an issue to another team is for members who have the teams page",
	CascadeMessages:      "Cascading a message to other teams is for members who have the teams page",
	EditCompanyRocks:     "Company rocks are set by super admins and strategy admins",
	StartPreview:         "Previews are for super admins and admins",
	EndPreview:           "Anyone previewing may end their preview",
	ExplainAccess:        "Explaining who sees what is for super admins and admins",
	SwitchCompany:        "Choosing one of their companies is for external users",
}

// ExplainRoute is the decision of a route in section (a page, or "") with
// rule r, as the web server's authorize makes it for every request: the
// section's page must be the actor's, and the rule must allow them. w
// records why; the server passes nil.
func ExplainRoute(a Actor, s Settings, section Page, r Rule, w *Why) bool {
	if section != "" && !canSeePage(a, s, section, w) {
		return false
	}
	return allows(a, s, r, w)
}

// allows is Allows, narrated.
func allows(a Actor, s Settings, r Rule, w *Why) bool {
	if p, ok := r.PageOf(); ok {
		return canSeePage(a, s, p, w)
	}
	check, ok := actionRules[r]
	if !ok {
		return w.says(false, func() string { return "Nobody may open this: it follows no rule Atrium knows." })
	}
	if r != Public && !a.SignedIn() {
		return w.says(false, func() string { return fmt.Sprintf("%s is not an active user of this workspace.", w.who()) })
	}
	if !check(a) {
		return w.says(false, func() string { return fmt.Sprintf("%s, and %s is not one of them.", ruleWords[r], w.who()) })
	}
	if !w.explaining() {
		return true
	}
	return w.says(true, func() string { return fmt.Sprintf("%s; %s qualifies.", ruleWords[r], w.who()) })
}

// canSeePage is CanSeePage, narrated: kind and capabilities (SPEC §5's
// table, the ceiling), the tenant's toggles, pages an admin hid, and an
// external user's modules.
func canSeePage(a Actor, s Settings, p Page, w *Why) bool {
	info, known := Info(p)
	if !known {
		return w.says(false, func() string { return "There is no such page." })
	}
	if !a.SignedIn() {
		return w.says(false, func() string { return fmt.Sprintf("%s is not an active user of this workspace.", w.who()) })
	}
	if !ceiling(a, p) {
		return w.says(false, func() string { return fmt.Sprintf("%s", ceilingWords(a, info, w)) })
	}
	if (p == PageWhy && !s.WhyEnabled) || (p == PageDirection && !s.DirectionEnabled) {
		return w.says(false, func() string { return fmt.Sprintf("The %s page is turned off for the whole workspace.", info.Label) })
	}
	// Home is where everyone lands; hiding it would leave a user nowhere.
	// Settings stay with super admins: hiding them from each other would
	// leave the tenant with nobody who can administer it.
	if p != PageHome && (p != PageSettings || !a.Has(SuperAdmin)) {
		for _, h := range a.HiddenPages {
			if h == p {
				return w.says(false, func() string {
					return fmt.Sprintf("An admin hid the %s page from %s (their page access).", info.Label, w.who())
				})
			}
		}
	}
	if a.Kind.External() && info.Module {
		m := a.Modules[p]
		if !m.Show {
			return w.says(false, func() string {
				return fmt.Sprintf("%s is %s, who sees the %s page only as a module, and their %s module is not shown.",
					w.who(), a.Kind.article(), info.Label, info.Label)
			})
		}
		if !w.explaining() {
			return true
		}
		if m.Label != "" && m.Label != info.Label {
			return w.says(true, func() string {
				return fmt.Sprintf("%s is %s, and their %s module is shown, under the name “%s”.", w.who(), a.Kind.article(), info.Label, m.Label)
			})
		}
		return w.says(true, func() string {
			return fmt.Sprintf("%s is %s, and their %s module is shown.", w.who(), a.Kind.article(), info.Label)
		})
	}
	if !w.explaining() {
		return true
	}
	return w.says(true, func() string { return fmt.Sprintf("%s", ceilingWords(a, info, w)) })
}

// ceilingWords say what SPEC §5's table decides for a's kind and page:
// why it is open to them, or why it never is.
func ceilingWords(a Actor, info PageInfo, w *Why) string {
	open := ceiling(a, info.Key)
	if a.Kind == Member {
		switch info.Key {
		case PageSettings:
			if open {
				return fmt.Sprintf("Settings are for members with an admin capability, and %s has one.", w.who())
			}
			return fmt.Sprintf("Settings are for members with an admin capability, and %s has none.", w.who())
		case PageAudit:
			if open {
				return fmt.Sprintf("The audit log is for super admins and admins, and %s is one.", w.who())
			}
			return fmt.Sprintf("The audit log is for super admins and admins, and %s is neither.", w.who())
		case PageBilling:
			if open {
				return fmt.Sprintf("Billing is for super admins and billing admins, and %s is one.", w.who())
			}
			return fmt.Sprintf("Billing is for super admins and billing admins, and %s is neither.", w.who())
		}
	}
	if open {
		return fmt.Sprintf("%s is %s, and the %s page is open to %s.", w.who(), a.Kind.article(), info.Label, a.Kind.Plural())
	}
	return fmt.Sprintf("%s is %s, and the %s page is never open to %s.", w.who(), a.Kind.article(), info.Label, a.Kind.Plural())
}
