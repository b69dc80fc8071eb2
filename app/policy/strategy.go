package policy

// Strategy (SPEC §5–6): the vision, why and direction documents, the
// company headlines and the roles chart. All of them are company pages:
// members read them (the ceiling of SPEC §5), guests, clients and external
// users never do, and the why and direction pages follow the tenant's
// toggles. Each is written by its own capability:
//
//   - vision, why and direction: super admins and strategy admins;
//   - headlines: super admins and headlines admins;
//   - the roles chart: super admins and admins.
//
// A writer must also have the page (an admin who hid the page from a
// strategy admin has taken the page away, editing included); the routes
// of each page are in its section, so the page's own rule holds too.

// The rules of the strategy pages.
const (
	// EditVision covers saving a new version of the vision, why or
	// direction document.
	EditVision Rule = "strategy.edit"
	// EditHeadlines covers writing, changing and deleting headlines.
	EditHeadlines Rule = "headlines.edit"
	// EditRolesChart covers adding, changing and removing the seats of the
	// roles chart.
	EditRolesChart Rule = "roles_chart.edit"
)

func init() {
	actionRules[EditVision] = CanEditVision
	actionRules[EditHeadlines] = CanEditHeadlines
	actionRules[EditRolesChart] = CanEditRolesChart
	ruleWords[EditVision] = "The vision, why and direction are written by super admins and strategy admins"
	ruleWords[EditHeadlines] = "Headlines are written by super admins and headlines admins"
	ruleWords[EditRolesChart] = "The roles chart is changed by super admins and admins"
}

// CanEditVision reports whether actor a may write the vision, why and
// direction documents: super admins and strategy admins.
func CanEditVision(a Actor) bool { return a.HasAny(SuperAdmin, StrategyAdmin) }

// CanEditHeadlines reports whether actor a may write headlines: super
// admins and headlines admins.
func CanEditHeadlines(a Actor) bool { return a.HasAny(SuperAdmin, HeadlinesAdmin) }

// CanEditRolesChart reports whether actor a may change the roles chart:
// super admins and admins.
func CanEditRolesChart(a Actor) bool { return a.HasAny(SuperAdmin, Admin) }

// MayHoldSeat reports whether a user of kind k can sit in a seat of the
// roles chart: the company's own people, members.
func MayHoldSeat(k Kind) bool { return k == Member }

// CanReadStrategy reports whether actor a may read the objects of strategy
// page p (a version of a document, a headline, a seat) with the tenant's
// settings s: exactly when the page is in their navigation. Anyone else
// is told the object does not exist.
func CanReadStrategy(a Actor, s Settings, p Page) bool { return ExplainStrategyObject(a, s, p, nil) }

// ExplainStrategyObject is CanReadStrategy, narrated for the access
// explainer.
func ExplainStrategyObject(a Actor, s Settings, p Page, w *Why) bool {
	switch p {
	case PageVision, PageWhy, PageDirection, PageHeadlines, PageRolesChart:
	default:
		return w.says(false, func() string { return "This is not a strategy page." })
	}
	return canSeePage(a, s, p, w)
}

// StrategyPages are the pages whose objects CanReadStrategy decides.
var StrategyPages = []Page{PageVision, PageWhy, PageDirection, PageHeadlines, PageRolesChart}

// AllStrategyPagesOn are the tenant settings under which no strategy page
// is turned off: for reads that do not depend on the toggles (headlines,
// the roles chart, the vision).
func AllStrategyPagesOn() Settings { return Settings{WhyEnabled: true, DirectionEnabled: true} }
