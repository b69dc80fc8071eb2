package web

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/plan"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/reports"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The Strategy and Plan page (/plan): one company's goals, its roadmap of
// initiatives by quarter and its QBR history. Members write items through
// the forms on the page; external editors update an item's status and
// comment; viewers read. Every form posts, and htmx swaps the refused
// form in place with its errors; a saved form leads back to the item.

// planBy is who changes the plan in this request.
func (s *Server) planBy(c *fiber.Ctx) plan.By { return plan.By{Actor: state(c).actor, Who: s.who(c)} }

func planURL(companyID int64) string { return "/plan?company_id=" + strconv.FormatInt(companyID, 10) }

func planItemURL(id int64) string { return "/plan/items/" + strconv.FormatInt(id, 10) }

func planStatusBadge(st plan.Status) ui.Badge {
	return ui.Badge{Class: "badge-plan-" + strings.ReplaceAll(string(st), "_", "-"), Label: st.Label()}
}

func planStatusOptions() []ui.Option {
	out := make([]ui.Option, 0, len(plan.Statuses))
	for _, st := range plan.Statuses {
		out = append(out, ui.Option{Value: string(st), Label: st.Label()})
	}
	return out
}

// planBudgetText is a budget in cents as the form shows it: "4000", "12500.50".
func planBudgetText(cents *int64) string {
	if cents == nil {
		return ""
	}
	s := strconv.FormatInt(*cents/100, 10)
	if c := *cents % 100; c != 0 {
		s += "." + strconv.FormatInt(100+c, 10)[1:]
	}
	return s
}

// parseBudget reads a budget typed in dollars ("$4,000", "12500.5") as
// cents; "" is no estimate (0).
func parseBudget(s string) (int64, bool) {
	s = strings.NewReplacer("$", "", ",", "", " ", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, true
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || strings.ContainsAny(whole+frac, "+-") {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/100-1 {
		return 0, false
	}
	var f int64
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return 0, false
		}
		if len(frac) == 1 {
			f *= 10
		}
	}
	return w*100 + f, true
}

// planValues are an item form's fields as typed.
type planValues struct {
	kind, title, desc, quarter, status, budget, owner string
}

func planValuesOf(it *plan.Item) planValues {
	v := planValues{kind: string(it.Kind), title: it.Title, desc: it.Description, quarter: it.Quarter, status: string(it.Status),
		budget: planBudgetText(it.BudgetEstimate)}
	if it.Owner != nil {
		v.owner = strconv.FormatInt(it.Owner.ID, 10)
	}
	return v
}

// planItemForm is the form that adds an item to company companyID (id 0)
// or changes item id.
func planItemForm(id, companyID int64, v planValues, owners []ui.Option, errs valid.Errors) *ui.PlanItemForm {
	f := &ui.PlanItemForm{Action: "/plan/items", Submit: "Add to plan", Prefix: "plan-new",
		CompanyID: strconv.FormatInt(companyID, 10),
		Kind:      ui.Field{Name: "kind", Value: v.kind, Error: errs["kind"]},
		Title:     ui.Field{Name: "title", Value: v.title, Error: errs["title"]},
		Desc:      ui.Field{Name: "description", Value: v.desc, Error: errs["description"]},
		Quarter:   ui.Field{Name: "quarter", Value: v.quarter, Error: errs["quarter"]},
		Status:    ui.Field{Name: "status", Value: v.status, Error: errs["status"]},
		Budget:    ui.Field{Name: "budget_estimate", Value: v.budget, Error: errs["budget_estimate"]},
		Owner:     ui.Field{Name: "owner_id", Value: v.owner, Error: errs["owner"]},
		Kinds:     []ui.Option{{Value: string(plan.Initiative), Label: "Initiative"}, {Value: string(plan.Goal), Label: "Goal"}},
		Statuses:  planStatusOptions(),
		Owners:    owners,
		Open:      len(errs) > 0,
	}
	if id != 0 {
		f.Action, f.Submit, f.Prefix = planItemURL(id), "Save", "plan-edit-"+strconv.FormatInt(id, 10)
		f.CompanyID, f.DeleteAction = "", planItemURL(id)+"/delete"
	}
	if len(errs) > 0 {
		f.FormError = "Nothing was saved. Fix the fields marked below."
		if msg := errs["company"]; msg != "" {
			f.FormError = msg
		}
	}
	return f
}

func planStatusForm(id int64, status string, errMsg string) *ui.PlanStatusForm {
	return &ui.PlanStatusForm{Action: planItemURL(id) + "/status", Prefix: "plan-status-" + strconv.FormatInt(id, 10),
		Status: ui.Field{Name: "status", Value: status, Error: errMsg}, Options: planStatusOptions()}
}

func planCommentForm(id int64, body, errMsg string) *ui.PlanCommentForm {
	return &ui.PlanCommentForm{Action: planItemURL(id) + "/comments", Prefix: "plan-comment-" + strconv.FormatInt(id, 10),
		Body: ui.Field{Name: "body", Value: body, Error: errMsg}}
}

// planOwners are the choices of an item's owner: none, then the members.
func (s *Server) planOwners(c *fiber.Ctx) ([]ui.Option, error) {
	us, err := plan.Owners(c.UserContext(), state(c).db)
	if err != nil {
		return nil, err
	}
	out := []ui.Option{{Value: "", Label: "Not assigned"}}
	for _, u := range us {
		out = append(out, ui.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
	}
	return out, nil
}

// planItemView is an item as the page shows it, with the forms its reader
// may use.
func planItemView(it *plan.Item, owners []ui.Option) ui.PlanItemView {
	v := ui.PlanItemView{ID: it.ID, Kind: string(it.Kind), Title: it.Title, Description: it.Description, Quarter: it.Quarter,
		Status: planStatusBadge(it.Status), Budget: it.Budget()}
	if it.Owner != nil {
		v.Owner = it.Owner.Name
	}
	for _, c := range it.Comments {
		v.Comments = append(v.Comments, ui.PlanComment{Author: c.Author.Name, Body: c.Body, At: c.CreatedAt})
	}
	if it.CanEdit {
		v.EditForm = planItemForm(it.ID, it.Company.ID, planValuesOf(it), owners, nil)
	} else if it.CanComment {
		v.StatusForm = planStatusForm(it.ID, string(it.Status), "")
	}
	if it.CanComment {
		v.CommentForm = planCommentForm(it.ID, "", "")
	}
	return v
}

// planPage is GET /plan: the plan of the company in ?company_id= or, by
// default, the first of the reader's companies with items.
func (s *Server) planPage(c *fiber.Ctx) error {
	var companyID int64
	if v := c.Query("company_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return errNotFound
		}
		companyID = id
	}
	return s.renderPlan(c, 200, companyID, nil)
}

// renderPlan renders the plan of company companyID (0: the default one);
// adjust, when set, replaces a refused form on the page.
func (s *Server) renderPlan(c *fiber.Ctx, status int, companyID int64, adjust func(v *ui.PlanView)) error {
	st := state(c)
	ctx := c.UserContext()
	cs, err := plan.Companies(ctx, st.db, st.actor)
	if err != nil {
		return err
	}
	v := ui.PlanView{Desc: "Where your company is heading: its goals, the initiatives that reach them quarter by quarter, and its quarterly business reviews.", Now: time.Now()}
	if companyID == 0 {
		for _, co := range cs {
			if co.Items > 0 {
				companyID = co.ID
				break
			}
		}
		if companyID == 0 && len(cs) > 0 {
			companyID = cs[0].ID
		}
	}
	for _, co := range cs {
		v.Companies = append(v.Companies, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name})
	}
	if companyID != 0 {
		p, err := plan.List(ctx, st.db, st.actor, companyID)
		if err != nil {
			return err
		}
		v.CompanyID, v.Company = strconv.FormatInt(companyID, 10), p.Company.Name
		var owners []ui.Option
		if policy.CanEditPlan(st.actor) {
			if owners, err = s.planOwners(c); err != nil {
				return err
			}
			v.NewForm = planItemForm(0, companyID, planValues{kind: string(plan.Initiative), status: string(plan.Planned)}, owners, nil)
		}
		for i := range p.Goals {
			v.Goals = append(v.Goals, planItemView(&p.Goals[i], owners))
		}
		for _, q := range p.Roadmap() {
			pq := ui.PlanQuarter{Quarter: q.Quarter}
			for i := range q.Items {
				pq.Items = append(pq.Items, planItemView(&q.Items[i], owners))
			}
			v.Roadmap = append(v.Roadmap, pq)
		}
		if policy.ReportsScope(st.actor).None() {
			v.ShowReports = false
		} else {
			v.ShowReports = true
			rs, _, err := reports.List(ctx, st.db, st.actor, reports.Query{CompanyID: companyID}, store.Page{Limit: 50})
			if err != nil {
				return err
			}
			for _, r := range rs {
				v.Reports = append(v.Reports, ui.PlanReport{Title: r.Title, URL: reportURL(r.ID), Period: r.Period(), Draft: r.Status == reports.Draft})
			}
		}
	}
	if adjust != nil {
		adjust(&v)
	}
	return render(c, status, ui.PlanPage(s.moduleFrame(c, policy.PagePlan, ""), v))
}

// planItemSubmit is POST /plan/items (add) and POST /plan/items/ID (save):
// members only.
func (s *Server) planItemSubmit(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	st := state(c)
	v := planValues{kind: c.FormValue("kind"), title: c.FormValue("title"), desc: c.FormValue("description"), quarter: c.FormValue("quarter"),
		status: c.FormValue("status"), budget: c.FormValue("budget_estimate"), owner: c.FormValue("owner_id")}
	kind, status := plan.Kind(v.kind), plan.Status(v.status)
	in := plan.Input{Kind: &kind, Title: &v.title, Description: &v.desc, Quarter: &v.quarter, Status: &status}
	errs := valid.Errors{}
	if cents, ok := parseBudget(v.budget); ok {
		in.BudgetEstimate = &cents
	} else {
		errs.Add("budget_estimate", "Enter an amount in dollars, like 4000 or 12500.50.")
	}
	owner, oerr := formInt(c, "owner_id", "owner")
	if oerr != nil {
		errs.Add("owner", "Choose a member of your team.")
	} else if owner == nil {
		owner = new(int64)
	}
	in.OwnerID = owner
	var companyID int64
	if id == 0 {
		cid, cerr := formInt(c, "company_id", "company")
		if cerr != nil || cid == nil {
			return errNotFound
		}
		companyID, in.CompanyID = *cid, cid
	} else {
		it, err := plan.Get(c.UserContext(), st.db, st.actor, id)
		if err != nil {
			return err
		}
		companyID = it.Company.ID
	}
	var saved *plan.Item
	if len(errs) == 0 {
		if id == 0 {
			saved, err = plan.Create(c.UserContext(), st.db, s.planBy(c), in)
		} else {
			saved, err = plan.Update(c.UserContext(), st.db, s.planBy(c), id, in)
		}
		if err == nil {
			return planDone(c, companyID, saved.ID)
		}
		if !errors.As(err, &errs) {
			return err
		}
	}
	owners, err := s.planOwners(c)
	if err != nil {
		return err
	}
	form := planItemForm(id, companyID, v, owners, errs)
	return s.planRefused(c, 400, companyID, ui.PlanItemFormView(*form, st.session.CSRFToken), func(pv *ui.PlanView) {
		if id == 0 {
			pv.NewForm = form
			return
		}
		eachPlanItem(pv, id, func(it *ui.PlanItemView) { it.EditForm = form })
	})
}

// planRefused answers a refused form: htmx gets fragment, anything else
// the page with the form in place.
func (s *Server) planRefused(c *fiber.Ctx, status int, companyID int64, fragment templ.Component, adjust func(*ui.PlanView)) error {
	if isHTMX(c) {
		return render(c, status, fragment)
	}
	return s.renderPlan(c, status, companyID, adjust)
}

// planDone leads back to the plan after a create, change or delete: at the
// item for a plain form post; for htmx without the fragment, as a browser
// told to go to the same address with only another fragment would not
// reload the page.
func planDone(c *fiber.Ctx, companyID, itemID int64) error {
	to := planURL(companyID)
	if itemID != 0 && !isHTMX(c) {
		to += "#" + (ui.PlanItemView{ID: itemID}).Anchor()
	}
	return redirect(c, to)
}

// planItemAnswer answers a status or comment form on item id: htmx gets
// the item (its form refused when adjust says so), anything else the page
// at the item, or the page with the refused form in place.
func (s *Server) planItemAnswer(c *fiber.Ctx, status int, id int64, adjust func(*ui.PlanItemView)) error {
	st := state(c)
	it, err := plan.Get(c.UserContext(), st.db, st.actor, id)
	if err != nil {
		return err
	}
	if status == 200 && !isHTMX(c) {
		return redirect(c, planURL(it.Company.ID)+"#"+(ui.PlanItemView{ID: id}).Anchor())
	}
	var owners []ui.Option
	if it.CanEdit {
		if owners, err = s.planOwners(c); err != nil {
			return err
		}
	}
	v := planItemView(it, owners)
	if adjust != nil {
		adjust(&v)
	}
	return s.planRefused(c, status, it.Company.ID, ui.PlanItem(v, st.session.CSRFToken, time.Now()), func(pv *ui.PlanView) {
		if adjust != nil {
			eachPlanItem(pv, id, adjust)
		}
	})
}

// planStatusSubmit is POST /plan/items/ID/status: members and external
// editors of the item's company.
func (s *Server) planStatusSubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	status := c.FormValue("status")
	_, err = plan.SetStatus(c.UserContext(), state(c).db, s.planBy(c), id, plan.Status(status))
	if err == nil {
		return s.planItemAnswer(c, 200, id, nil)
	}
	var errs valid.Errors
	if !errors.As(err, &errs) {
		return err
	}
	return s.planItemAnswer(c, 400, id, func(it *ui.PlanItemView) { it.StatusForm = planStatusForm(id, status, errs["status"]) })
}

// planCommentSubmit is POST /plan/items/ID/comments: members and external
// editors of the item's company.
func (s *Server) planCommentSubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	body := c.FormValue("body")
	_, err = plan.AddComment(c.UserContext(), state(c).db, s.planBy(c), id, body)
	if err == nil {
		return s.planItemAnswer(c, 200, id, nil)
	}
	var errs valid.Errors
	if !errors.As(err, &errs) {
		return err
	}
	return s.planItemAnswer(c, 400, id, func(it *ui.PlanItemView) { it.CommentForm = planCommentForm(id, body, errs["body"]) })
}

// planItemDelete is POST /plan/items/ID/delete: members only.
func (s *Server) planItemDelete(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	st := state(c)
	it, err := plan.Get(c.UserContext(), st.db, st.actor, id)
	if err != nil {
		return err
	}
	if err := plan.Delete(c.UserContext(), st.db, s.planBy(c), id); err != nil {
		return err
	}
	return planDone(c, it.Company.ID, 0)
}

// eachPlanItem calls fn with item id of the page, wherever it is.
func eachPlanItem(v *ui.PlanView, id int64, fn func(*ui.PlanItemView)) {
	for i := range v.Goals {
		if v.Goals[i].ID == id {
			fn(&v.Goals[i])
		}
	}
	for q := range v.Roadmap {
		for i := range v.Roadmap[q].Items {
			if v.Roadmap[q].Items[i].ID == id {
				fn(&v.Roadmap[q].Items[i])
			}
		}
	}
}
