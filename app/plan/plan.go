// Package plan holds each client company's Strategy and Plan (SPEC §5,
// page plan): the goals the company works towards and the initiatives that
// reach them, quarter by quarter, each with a status, a budget estimate and
// an owner at the MSP, and the comments the client and the MSP leave on
// them. The page shows it next to the company's QBR history (its reports).
//
// Every read starts from policy.PlanScope, turned into SQL by the store's
// one scope function, so an item outside the reader's scope is simply not
// found. Members write items (policy.CanEditPlan); external editors of the
// item's company comment and update its status (policy.CanCommentPlan,
// policy.CanSetPlanStatus). Every write runs in its own transaction and
// leaves an audit record.
package plan

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// The longest text each field takes, in characters, and the most items
// one company's plan holds. Forms carry the same numbers as maxlength.
const (
	MaxTitle       = 200
	MaxDescription = 5000
	MaxComment     = 5000
	MaxItems       = 200
	// MaxBudget is the largest budget estimate, in cents: a billion.
	MaxBudget = 100_000_000_000
)

// ErrNotFound means no such item (or company plan) in the tenant, or none
// the actor may see.
var ErrNotFound = errors.New("plan: not found")

// Kind is what an item is.
type Kind string

// The kinds of item.
const (
	Goal       Kind = "goal"
	Initiative Kind = "initiative"
)

// Status is where an item stands.
type Status string

// The statuses, in the order forms offer them.
const (
	Planned    Status = "planned"
	InProgress Status = "in_progress"
	Done       Status = "done"
	OnHold     Status = "on_hold"
)

// Statuses are the statuses in the order forms offer them.
var Statuses = []Status{Planned, InProgress, Done, OnHold}

// Label is the status in words.
func (s Status) Label() string {
	switch s {
	case Planned:
		return "Planned"
	case InProgress:
		return "In progress"
	case Done:
		return "Done"
	case OnHold:
		return "On hold"
	}
	return string(s)
}

func (s Status) valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Row is a plan item as stored.
type Row struct {
	bun.BaseModel `bun:"table:plan_items,alias:pi"`
	store.TenantOwned

	ID             int64     `bun:"id,pk,autoincrement"`
	CompanyID      int64     `bun:"company_id,notnull"`
	Kind           Kind      `bun:"kind,notnull"`
	Title          string    `bun:"title,notnull"`
	Description    string    `bun:"description,notnull"`
	Quarter        string    `bun:"quarter,notnull"`
	Status         Status    `bun:"status,notnull"`
	BudgetEstimate *int64    `bun:"budget_estimate"`
	OwnerID        *int64    `bun:"owner_id"`
	Position       int       `bun:"position,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	UpdatedAt      time.Time `bun:"updated_at,notnull"`
}

// CommentRow is a comment as stored.
type CommentRow struct {
	bun.BaseModel `bun:"table:plan_comments,alias:pc"`
	store.TenantOwned

	ID        int64     `bun:"id,pk,autoincrement"`
	ItemID    int64     `bun:"item_id,notnull"`
	AuthorID  int64     `bun:"author_id,notnull"`
	Body      string    `bun:"body,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// UserRef names a user: an item's owner, a comment's author.
type UserRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Comment is a comment as its reader sees it.
type Comment struct {
	ID        int64     `json:"id"`
	Author    UserRef   `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Item is a plan item as its reader sees it, for pages and JSON alike.
// Budget estimates are in cents and shown to every reader of the plan:
// they are the client's own roadmap budget.
type Item struct {
	ID             int64             `json:"id"`
	Company        people.CompanyRef `json:"company"`
	Kind           Kind              `json:"kind"`
	Title          string            `json:"title"`
	Description    string            `json:"description"`
	Quarter        string            `json:"quarter"`
	Status         Status            `json:"status"`
	BudgetEstimate *int64            `json:"budget_estimate"`
	Owner          *UserRef          `json:"owner"`
	Position       int               `json:"position"`
	Comments       []Comment         `json:"comments"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	// CanEdit: the reader may change the item's fields and delete it.
	CanEdit bool `json:"-"`
	// CanComment: the reader may comment and update the status.
	CanComment bool `json:"-"`
}

// Budget is the budget estimate in words: "$4,000" or "$12,500.50"; "" for none.
func (it *Item) Budget() string {
	if it.BudgetEstimate == nil {
		return ""
	}
	return Money(*it.BudgetEstimate)
}

// Money is an amount of cents in words: "$4,000", "$12.50".
func Money(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	d := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, r := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	s := "$" + b.String()
	if c := cents % 100; c != 0 {
		s += fmt.Sprintf(".%02d", c)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Plan is one company's plan: its goals, then its initiatives in the order
// of their quarters.
type Plan struct {
	Company     people.CompanyRef `json:"company"`
	Goals       []Item            `json:"goals"`
	Initiatives []Item            `json:"initiatives"`
}

// QuarterGroup is the initiatives of one quarter.
type QuarterGroup struct {
	Quarter string
	Items   []Item
}

// Roadmap is the plan's initiatives grouped by quarter, earliest first.
func (p *Plan) Roadmap() []QuarterGroup {
	var out []QuarterGroup
	for _, it := range p.Initiatives {
		if n := len(out); n == 0 || out[n-1].Quarter != it.Quarter {
			out = append(out, QuarterGroup{Quarter: it.Quarter})
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, it)
	}
	return out
}

// scopeTable scopes plan items by their company: ScopeMember narrows
// company_id to the companies the actor is assigned to.
var scopeTable = store.ScopeTable{
	List: policy.ListPlan, Table: "plan_items", Column: "company_id",
	Members: "SELECT company_id FROM user_companies WHERE user_id = ? AND tenant_id = ?",
}

// scoped starts a select of plan items narrowed to the tenant and to
// actor a's scope.
func scoped(db *store.Scoped, model any, a policy.Actor) *bun.SelectQuery {
	return db.SelectScoped(model, policy.PlanScope(a), scopeTable)
}
