package policy

// Page is a page key of SPEC §5. Its path is part of the contract.
type Page string

// The pages of SPEC §5.
const (
	PageHome              Page = "home"
	PageUpcoming          Page = "upcoming"
	PageHeadlines         Page = "headlines"
	PageHeatmap           Page = "heatmap"
	PageVision            Page = "vision"
	PageWhy               Page = "why"
	PageDirection         Page = "direction"
	PageStrategyDashboard Page = "strategy_dashboard"
	PageTrending          Page = "trending"
	PageIdeas             Page = "ideas"
	PageIdeasTrending     Page = "ideas_trending"
	PageRisks             Page = "risks"
	PagePeopleInsights    Page = "people_insights"
	PageSocial            Page = "social"
	PageCompanyRocks      Page = "company_rocks"
	PageRolesChart        Page = "roles_chart"
	PageOneOnOnes         Page = "one_on_ones"
	PageTeams             Page = "teams"
	PageWorkboards        Page = "workboards"
	PagePlan              Page = "plan"
	PageTickets           Page = "tickets"
	PageReports           Page = "reports"
	PageOffice365         Page = "office365"
	PageContacts          Page = "contacts"
	PageCompanies         Page = "companies"
	PageExternalContent   Page = "external_content"
	PageSettings          Page = "settings"
	PageAudit             Page = "audit"
	PageBilling           Page = "billing"
)

// Group is a section of the sidebar.
type Group string

// The sidebar groups, in order.
const (
	GroupWork     Group = "Work"
	GroupStrategy Group = "Strategy"
	GroupPortal   Group = "Portal"
	GroupAdmin    Group = "Admin"
)

// PageInfo is a page's fixed facts.
type PageInfo struct {
	Key   Page
	Path  string
	Label string
	Group Group
	// Module marks the pages external users reach through their module settings.
	Module bool
}

// Pages is every page in sidebar order. Paths are part of the contract.
var Pages = []PageInfo{
	{PageHome, "/", "Home", GroupWork, false},
	{PageUpcoming, "/upcoming", "Upcoming", GroupWork, false},
	{PageTeams, "/teams", "Teams", GroupWork, false},
	{PageWorkboards, "/workboards", "Workboards", GroupWork, false},
	{PageVision, "/strategy/vision", "Vision", GroupStrategy, false},
	{PageWhy, "/strategy/why", "Why", GroupStrategy, false},
	{PageDirection, "/strategy/direction", "Direction", GroupStrategy, false},
	{PageStrategyDashboard, "/strategy/dashboard", "Dashboard", GroupStrategy, false},
	{PageCompanyRocks, "/rocks", "Rocks", GroupStrategy, false},
	{PageRolesChart, "/roles", "Roles", GroupStrategy, false},
	{PageHeadlines, "/headlines", "Headlines", GroupStrategy, false},
	{PageHeatmap, "/heatmap", "Heatmap", GroupStrategy, false},
	{PageTrending, "/trending", "Trending", GroupStrategy, false},
	{PageIdeas, "/ideas", "Ideas", GroupStrategy, false},
	{PageIdeasTrending, "/ideas/trending", "Trending ideas", GroupStrategy, false},
	{PageRisks, "/risks", "Risks", GroupStrategy, false},
	{PagePeopleInsights, "/people", "People", GroupStrategy, false},
	{PageSocial, "/social", "Social", GroupStrategy, false},
	{PageOneOnOnes, "/one-on-ones", "1:1s", GroupStrategy, false},
	{PagePlan, "/plan", "Strategy and Plan", GroupPortal, true},
	{PageTickets, "/tickets", "Tickets", GroupPortal, true},
	{PageReports, "/reports", "Reports", GroupPortal, true},
	{PageOffice365, "/office365", "Office 365", GroupPortal, true},
	{PageContacts, "/contacts", "Contacts", GroupPortal, true},
	{PageCompanies, "/companies", "Companies", GroupPortal, true},
	{PageExternalContent, "/kb", "Knowledge base", GroupPortal, true},
	{PageSettings, "/settings", "Settings", GroupAdmin, false},
	{PageAudit, "/audit", "Audit log", GroupAdmin, false},
	{PageBilling, "/billing", "Billing", GroupAdmin, false},
}

// Info returns the facts of page p.
func Info(p Page) (PageInfo, bool) {
	for _, info := range Pages {
		if info.Key == p {
			return info, true
		}
	}
	return PageInfo{}, false
}

// ceiling is SPEC §5's table: may a user of this kind and these capabilities
// ever have page p, before tenant toggles, hidden pages and modules.
func ceiling(a Actor, p Page) bool {
	info, ok := Info(p)
	if !ok {
		return false
	}
	switch a.Kind {
	case Member:
		switch p {
		case PageSettings:
			return len(a.Capabilities) > 0 && a.HasAny(Capabilities...)
		case PageAudit:
			return a.HasAny(SuperAdmin, Admin)
		case PageBilling:
			return a.HasAny(SuperAdmin, BillingAdmin)
		}
		return true
	case Guest:
		return p == PageHome || p == PageUpcoming || p == PageWorkboards
	case Client:
		return p == PageHome || p == PageUpcoming || p == PageTeams
	case ExternalEditor, ExternalViewer:
		return p == PageHome || info.Module
	}
	return false
}

// NavItem is one entry of a user's navigation.
type NavItem struct {
	Key   Page   `json:"key"`
	Label string `json:"label"`
	Path  string `json:"path"`
	Group Group  `json:"-"`
}

// Navigation is the actor's pages in sidebar order, each under the label
// this actor sees (an external user's module label replaces the name).
func Navigation(a Actor, s Settings) []NavItem {
	var out []NavItem
	for _, info := range Pages {
		if !CanSeePage(a, s, info.Key) {
			continue
		}
		out = append(out, NavItem{Key: info.Key, Label: Label(a, info.Key), Path: info.Path, Group: info.Group})
	}
	return out
}

// CanSeePage reports whether page p is in the actor's navigation; a page
// outside it is refused even when its URL is typed. canSeePage decides,
// and narrates for the access explainer.
func CanSeePage(a Actor, s Settings, p Page) bool { return canSeePage(a, s, p, nil) }

// Label is page p's name for this actor: an external user's module label
// when one is set, else the page's own name.
func Label(a Actor, p Page) string {
	info, _ := Info(p)
	if a.Kind.External() && info.Module {
		if m, ok := a.Modules[p]; ok && m.Label != "" {
			return m.Label
		}
	}
	return info.Label
}

// Descriptions say in one line what each page holds; page headers and
// empty states use them.
var Descriptions = map[Page]string{
	PageHome:              "Your work across everything you can see.",
	PageUpcoming:          "Your tasks and to-dos by due date.",
	PageHeadlines:         "Company headlines and announcements.",
	PageHeatmap:           "Risks by likelihood and impact; cards by status per team.",
	PageVision:            "Core values, core focus, the 10-year target and the plans that lead there.",
	PageWhy:               "Why the company exists.",
	PageDirection:         "Where the company is heading.",
	PageStrategyDashboard: "Progress of rocks and cards.",
	PageTrending:          "The most active items of the last 7 and 30 days.",
	PageIdeas:             "Ideas, with votes.",
	PageIdeasTrending:     "The ideas gathering the most votes.",
	PageRisks:             "The risk register: likelihood, impact, owner and mitigation.",
	PagePeopleInsights:    "Influencers, innovators and team players, computed from activity.",
	PageSocial:            "Activity by team and #tag.",
	PageCompanyRocks:      "This quarter's company rocks.",
	PageRolesChart:        "The accountability chart.",
	PageOneOnOnes:         "1:1s with your manager or your reports.",
	PageTeams:             "Teams with their meetings, rocks, scorecard, issues, to-dos and messages.",
	PageWorkboards:        "Workboards, their cards and tasks.",
	PagePlan:              "Strategy and plan, per company.",
	PageTickets:           "Tickets.",
	PageReports:           "Reports.",
	PageOffice365:         "Microsoft 365 licences and users, per company.",
	PageContacts:          "Company contacts.",
	PageCompanies:         "Companies.",
	PageExternalContent:   "Knowledge base articles shared with companies.",
	PageSettings:          "Administration.",
	PageAudit:             "Who did what, when.",
	PageBilling:           "Plan, seats and billing contact.",
}
