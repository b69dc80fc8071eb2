package policy

import "slices"

// Strategy and Plan (SPEC §5, page plan): each client company's roadmap —
// its goals and the initiatives that reach them, quarter by quarter, with
// a status, an owner at the MSP and a budget estimate — and the comments
// the client and the MSP leave on them.
//
// Members see every company's plan and write it: items, their titles,
// descriptions, quarters, budgets and owners. External users with the plan
// page read the plans of their assigned companies, budget estimates
// included (the budget is the client's own roadmap budget: the plan is
// where the MSP shows it to them). External editors among them also
// comment on an item and update its status (SPEC §5: "external editors
// comment and update status where permitted"): every item of their
// companies, goals and initiatives alike; nothing else of an item is
// theirs to change. External viewers read only.

// ListPlan is the list of plan items.
const ListPlan List = "plan"

// EditPlan covers creating, changing and deleting plan items, budget and
// owner included: members with the plan page.
const EditPlan Rule = "plan.edit"

// CommentPlan covers commenting on plan items and updating their status:
// members and external editors with the plan page. Which company's items
// is CanCommentPlan and CanSetPlanStatus.
const CommentPlan Rule = "plan.comment"

func init() {
	actionRules[EditPlan] = mayEditPlan
	actionRules[CommentPlan] = mayCommentPlan
}

// planPage reports whether the plan page is within the actor's kind, not
// hidden from them and, for external users, shown by their module settings.
func (a Actor) planPage() bool { return CanSeePage(a, Settings{}, PagePlan) }

func mayEditPlan(a Actor) bool { return a.Kind == Member && a.planPage() }

func mayCommentPlan(a Actor) bool {
	return (a.Kind == Member || a.Kind == ExternalEditor) && a.planPage()
}

// PlanScope is the plan items an actor may list and open, by their
// company: members every company's, external users with the plan page
// those of their assigned companies (ScopeMember), anyone else none.
func PlanScope(a Actor) Scope {
	switch {
	case !a.planPage():
	case a.Kind == Member:
		return scope(a, ListPlan, ScopeAll)
	case a.Kind.External():
		return scope(a, ListPlan, ScopeMember)
	}
	return scope(a, ListPlan, ScopeNone)
}

// CanEditPlan reports whether a may create, change (title, description,
// quarter, budget, owner) and delete items of any company: members only.
func CanEditPlan(a Actor) bool { return mayEditPlan(a) }

// CanCommentPlan reports whether a may comment on an item of company
// companyID: members for any company, external editors for their
// assigned companies.
func CanCommentPlan(a Actor, companyID int64) bool {
	if !mayCommentPlan(a) {
		return false
	}
	return a.Kind == Member || (companyID != 0 && slices.Contains(a.Companies, companyID))
}

// CanSetPlanStatus reports whether a may update the status of an item of
// company companyID: the same people as may comment on it.
func CanSetPlanStatus(a Actor, companyID int64) bool { return CanCommentPlan(a, companyID) }
