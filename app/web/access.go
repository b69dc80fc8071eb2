package web

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/articles"
	"github.com/atrium-portal/atrium/app/contacts"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/plan"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/reports"
	"github.com/atrium-portal/atrium/app/teamwork"
	"github.com/atrium-portal/atrium/app/tickets"
)

// The access explainer: "may this user open this address, and why?"
// (SPEC §12, GET /api/v1/users/{id}/access?path=). It finds the route the
// address would reach, asks policy.ExplainRoute (the very function every
// request is authorized with), then, for an address of one object, the
// object's Explain… (the very function its page's decision is), each with
// a policy.Why that records the rules it applied. So the explanation and
// the decision cannot disagree.

// MaxAccessPath bounds the address an admin pastes.
const MaxAccessPath = 2000

// getRoute is one GET route, in the order Fiber tries them.
type getRoute struct {
	path  string
	segs  []string
	rule  policy.Rule
	page  policy.Page
	check objectCheck
}

// objectCheck explains one object of a route: params are the route's
// parameters, part the report part named by the address's #part-ID.
type objectCheck func(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error)

// accessCase is one explanation in progress.
type accessCase struct {
	st    *reqState
	actor policy.Actor
	cfg   *tickets.Config
	why   *policy.Why
	part  int64
}

// objectChecks name the object behind each GET route with an ID, and how
// its access is explained. A test fails for a GET route with a parameter
// that is neither here nor in routeDecides.
var objectChecks = map[string]objectCheck{
	"/tickets/:id":                         explainTicket,
	"/api/v1/tickets/:id":                  explainTicket,
	"/api/v1/tickets/:id/notes":            explainTicket,
	"/reports/:id":                         explainReport,
	"/reports/:id/print":                   explainReport,
	"/reports/:id/edit":                    explainReport,
	"/api/v1/reports/:id":                  explainReport,
	"/kb/:id":                              explainArticle,
	"/kb/:id/edit":                         explainArticle,
	"/api/v1/articles/:id":                 explainArticle,
	"/contacts/:id":                        explainContact,
	"/api/v1/contacts/:id":                 explainContact,
	"/office365/:id":                       explainOffice365,
	"/office365/:id/users.csv":             explainOffice365,
	"/api/v1/companies/:id":                explainCompany,
	"/api/v1/plan/items/:id":               explainPlanItem,
	"/users/:id":                           explainUser,
	"/api/v1/users/:id":                    explainUser,
	"/api/v1/boards/:id":                   explainBoard,
	"/api/v1/teams/:id":                    explainTeam,
	"/teams/:id":                           explainTeam,
	"/api/v1/rocks/:id":                    explainTeamWork(teamwork.KindRock),
	"/api/v1/metrics/:id":                  explainTeamWork(teamwork.KindMetric),
	"/api/v1/issues/:id":                   explainTeamWork(teamwork.KindIssue),
	"/api/v1/todos/:id":                    explainTeamWork(teamwork.KindTodo),
	"/api/v1/messages/:id":                 explainTeamWork(teamwork.KindMessage),
	"/api/v1/meetings/:id":                 explainTeamWork(teamwork.KindMeeting),
	"/teams/:id/meetings/:mid":             explainMeeting,
	"/teams/:id/meetings/:mid/clock":       explainMeeting,
	"/one-on-ones/:id":                     explainOneOnOne,
	"/api/v1/workboards/:id":               explainItem(false),
	"/workboards/:id":                      explainItem(false),
	"/cards/:id":                           explainItem(true),
	"/api/v1/cards/:id":                    explainItem(true),
	"/api/v1/one_on_ones/:id":              explainOneOnOne,
	"/api/v1/users/:id/access":             nil, // the explainer itself: its rule decides
	"/users/:id/access":                    nil,
	"/tickets/:id/audience":                nil, // "who can see this?": administration, its rule decides
	"/reports/:id/parts/:part_id/audience": nil,
	"/api/v1/pages/:key":                   nil, // answers 403 itself for a page not in the navigation
	"/brand/:kind":                         nil,
	"/invite/:token":                       nil,
	"/reset/:token":                        nil,
	"/static/*":                            nil,
	"/settings/users/:id":                  nil, // administration: the rule decides, then the user's rank
	"/settings/teams/:id":                  nil,
	"/settings/companies/:id":              nil,
	"/settings/email/test/:id":             nil,
	"/api/v1/invitations/:id":              nil,
}

// matchGET finds the GET route path would reach, with its parameters.
func (s *Server) matchGET(path string) (getRoute, map[string]string, bool) {
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for _, r := range s.gets {
		if params, ok := matchSegs(r.segs, segs); ok {
			return r, params, true
		}
	}
	return getRoute{}, nil, false
}

func matchSegs(pattern, segs []string) (map[string]string, bool) {
	params := map[string]string{}
	for i, p := range pattern {
		if p == "*" {
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		switch {
		case strings.HasPrefix(p, ":"):
			if segs[i] == "" {
				return nil, false
			}
			params[p[1:]] = segs[i]
		case !strings.EqualFold(p, segs[i]):
			return nil, false
		}
	}
	return params, len(pattern) == len(segs)
}

// Verdict is the explainer's answer.
type Verdict struct {
	Allowed bool     `json:"allowed"`
	Reasons []string `json:"reasons"`
}

// badAccessPath is the field error of an address the explainer cannot read.
func badAccessPath(msg string) error {
	return &httpError{Status: 400, Code: "invalid", Message: "Check the address.", Fields: map[string]string{"path": msg}}
}

// explainAccess answers whether user u may open raw (a path, or a whole
// link of this workspace), and why.
func (s *Server) explainAccess(ctx context.Context, st *reqState, u *people.User, raw string) (Verdict, error) {
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return Verdict{}, badAccessPath("Enter an address, such as /tickets/12.")
	case len(raw) > MaxAccessPath:
		return Verdict{}, badAccessPath("This address is too long.")
	}
	link, err := url.Parse(raw)
	if err != nil || (link.Path == "" && link.Fragment == "") || (link.Path != "" && !strings.HasPrefix(link.Path, "/")) {
		return Verdict{}, badAccessPath("Enter an address of this workspace, such as /tickets/12.")
	}
	why := &policy.Why{Name: u.DisplayName(), Objects: true}
	switch u.Status {
	case people.Invited:
		return Verdict{Reasons: []string{u.DisplayName() + " has not accepted their invitation yet, so they cannot open anything."}}, nil
	case people.Deactivated:
		return Verdict{Reasons: []string{u.DisplayName() + " is deactivated, so they cannot sign in or open anything."}}, nil
	}
	r, params, ok := s.matchGET(link.Path)
	if !ok {
		return Verdict{Reasons: []string{"There is no page at " + link.Path + "."}}, nil
	}
	x := &accessCase{st: st, actor: u.Actor(), why: why}
	if id, ok := strings.CutPrefix(link.Fragment, "part-"); ok {
		if x.part, err = strconv.ParseInt(id, 10, 64); err != nil || x.part <= 0 {
			return Verdict{}, badAccessPath("A report part is named #part- and its number.")
		}
	}
	if err := s.accessNames(ctx, x); err != nil {
		return Verdict{}, err
	}
	allowed := policy.ExplainRoute(x.actor, settingsOf(st.tenant), r.page, r.rule, why)
	if allowed && r.check != nil {
		if allowed, err = r.check(s, ctx, x, params); err != nil {
			return Verdict{}, err
		}
	}
	return Verdict{Allowed: allowed, Reasons: why.Reasons()}, nil
}

// accessNames loads what the reasons name: companies, boards, note types
// and ticket fields.
func (s *Server) accessNames(ctx context.Context, x *accessCase) error {
	cfg, err := tickets.LoadConfig(ctx, x.st.db)
	if err != nil {
		return err
	}
	x.cfg = cfg
	n := policy.Names{Boards: map[int64]string{}, Companies: map[int64]string{}, NoteTypes: map[int64]string{}, Fields: map[policy.TicketField]string{}}
	for _, b := range cfg.Boards {
		n.Boards[b.ID] = b.Name
	}
	for _, t := range cfg.NoteTypes {
		n.NoteTypes[t.ID] = t.Name
	}
	for _, f := range cfg.Fields() {
		n.Fields[f] = cfg.FieldLabel(f)
	}
	cs, err := people.Companies(ctx, x.st.db, everything(x.st))
	if err != nil {
		return err
	}
	for _, c := range cs {
		n.Companies[c.ID] = c.Name
	}
	x.why.Names = n
	return nil
}

// everything is the actor that loads an object whoever may see it, so the
// explainer can say why someone may not: the platform's operator of the
// request's tenant, asked for on purpose (only admins reach the explainer,
// and it shows them no content, only the rules).
func everything(st *reqState) policy.Actor { return policy.Operator(st.tenant.ID) }

// objectID is route parameter name as an ID; anything else is no object.
func objectID(params map[string]string, name string) (int64, bool) {
	id, err := strconv.ParseInt(params[name], 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == params[name]
}

// noSuch is the verdict's reason for an address whose object does not exist.
func noSuch(x *accessCase, what string) (bool, error) {
	x.why.Add("There is no such " + what + " in this workspace.")
	return false, nil
}

func explainTicket(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := objectID(params, "id")
	if !ok {
		return noSuch(x, "ticket")
	}
	v, err := tickets.Get(ctx, x.st.db, everything(x.st), x.cfg, id)
	if errors.Is(err, tickets.ErrNotFound) {
		return noSuch(x, "ticket")
	}
	if err != nil {
		return false, err
	}
	return policy.ExplainTicket(x.actor, x.cfg.Rules, v.Facts(), x.why), nil
}

func explainReport(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := objectID(params, "id")
	if !ok {
		return noSuch(x, "report")
	}
	v, err := reports.Get(ctx, x.st.db, everything(x.st), s.md, id)
	if errors.Is(err, reports.ErrNotFound) {
		return noSuch(x, "report")
	}
	if err != nil {
		return false, err
	}
	facts := policy.ReportFacts{CompanyID: v.Company.ID, Published: v.Status == reports.Published}
	part := x.part
	if pid, ok := params["part_id"]; ok {
		if part, ok = objectID(map[string]string{"p": pid}, "p"); !ok {
			return noSuch(x, "report part")
		}
	}
	if part == 0 {
		return policy.ExplainReport(x.actor, facts, x.why), nil
	}
	for _, p := range v.Parts {
		if p.ID == part {
			return policy.ExplainReportPart(x.actor, facts, p.InternalOnly, x.why), nil
		}
	}
	return noSuch(x, "part in this report")
}

func explainArticle(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := objectID(params, "id")
	if !ok {
		return noSuch(x, "article")
	}
	v, err := articles.Get(ctx, x.st.db, everything(x.st), s.md, id)
	if errors.Is(err, articles.ErrNotFound) {
		return noSuch(x, "article")
	}
	if err != nil {
		return false, err
	}
	f := policy.ArticleFacts{Audience: v.Audience, Published: v.Published}
	for _, c := range v.Companies {
		f.Companies = append(f.Companies, c.ID)
	}
	return policy.ExplainArticle(x.actor, f, x.why), nil
}

func explainContact(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := objectID(params, "id")
	if !ok {
		return noSuch(x, "contact")
	}
	v, err := contacts.Get(ctx, x.st.db, everything(x.st), id)
	if errors.Is(err, contacts.ErrNotFound) {
		return noSuch(x, "contact")
	}
	if err != nil {
		return false, err
	}
	return policy.ExplainContact(x.actor, v.Company.ID, x.why), nil
}

func explainOffice365(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := s.companyParam(ctx, x, params)
	if !ok {
		return noSuch(x, "company")
	}
	return policy.ExplainOffice365(x.actor, id, x.why), nil
}

func explainCompany(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := s.companyParam(ctx, x, params)
	if !ok {
		return noSuch(x, "company")
	}
	return policy.ExplainCompany(x.actor, id, x.why), nil
}

// companyParam is the :id of a company route when that company exists.
func (s *Server) companyParam(ctx context.Context, x *accessCase, params map[string]string) (int64, bool) {
	id, ok := objectID(params, "id")
	if !ok {
		return 0, false
	}
	_, named := x.why.Names.Companies[id]
	return id, named
}

func explainPlanItem(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := objectID(params, "id")
	if !ok {
		return noSuch(x, "plan item")
	}
	it, err := plan.Get(ctx, x.st.db, everything(x.st), id)
	if errors.Is(err, plan.ErrNotFound) {
		return noSuch(x, "plan item")
	}
	if err != nil {
		return false, err
	}
	return policy.ExplainPlanItem(x.actor, it.Company.ID, x.why), nil
}

func explainUser(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := objectID(params, "id")
	if !ok {
		return noSuch(x, "user")
	}
	if _, err := people.UserByID(ctx, x.st.db, id); errors.Is(err, people.ErrNotFound) {
		return noSuch(x, "user")
	} else if err != nil {
		return false, err
	}
	return policy.ExplainUser(x.actor, id, x.why), nil
}

func explainBoard(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := objectID(params, "id")
	if _, found := x.cfg.Board(id); !ok || !found {
		return noSuch(x, "board")
	}
	return policy.ExplainBoard(x.actor, x.cfg.Rules, id, x.why), nil
}

func explainTeam(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := objectID(params, "id")
	if !ok {
		return noSuch(x, "team")
	}
	t, err := people.TeamFor(ctx, x.st.db, everything(x.st), settingsOf(x.st.tenant), id)
	if errors.Is(err, people.ErrNotFoundTeam) {
		return noSuch(x, "team")
	}
	if err != nil {
		return false, err
	}
	in := false
	for _, m := range t.Members {
		in = in || m.ID == x.actor.UserID
	}
	return policy.ExplainTeam(x.actor, in, x.why), nil
}

// accessUser is the user of an explainer route's :id, 404 outside the
// tenant.
func (s *Server) accessUser(c *fiber.Ctx) (*people.User, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	u, err := people.UserByID(c.UserContext(), state(c).db, id)
	if errors.Is(err, people.ErrNotFound) {
		return nil, errNotFound
	}
	return u, err
}

// apiAccess is GET /api/v1/users/ID/access?path=PATH (SPEC §12).
func (s *Server) apiAccess(c *fiber.Ctx) error {
	u, err := s.accessUser(c)
	if err != nil {
		return err
	}
	v, err := s.explainAccess(c.UserContext(), state(c), u, c.Query("path"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// ExplainedRoutes are the routes objectChecks names, for the test that
// every GET route with a parameter is among them.
func ExplainedRoutes() []string {
	out := make([]string, 0, len(objectChecks))
	for p := range objectChecks {
		out = append(out, p)
	}
	return out
}

// explainTeamWork explains an object of teams' work of kind (teamwork.KindRock, …).
func explainTeamWork(kind string) objectCheck {
	return func(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
		id, ok := objectID(params, "id")
		if !ok {
			return noSuch(x, kind)
		}
		f, err := teamwork.FactsOf(ctx, x.st.db, kind, id)
		if errors.Is(err, teamwork.ErrNotFound) {
			return noSuch(x, kind)
		}
		if err != nil {
			return false, err
		}
		return policy.ExplainTeamWork(x.actor, f, x.why), nil
	}
}

// explainMeeting explains a meeting's page: the meeting of :mid.
func explainMeeting(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	return explainTeamWork(teamwork.KindMeeting)(s, ctx, x, map[string]string{"id": params["mid"]})
}

func explainOneOnOne(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := objectID(params, "id")
	if !ok {
		return noSuch(x, "1:1")
	}
	f, err := teamwork.OneOnOneFacts(ctx, x.st.db, id)
	if errors.Is(err, teamwork.ErrNotFound) {
		return noSuch(x, "1:1")
	}
	if err != nil {
		return false, err
	}
	return policy.ExplainOneOnOne(x.actor, f, x.why), nil
}
