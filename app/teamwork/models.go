// Package teamwork holds the work of teams (SPEC §6, page teams): rocks
// with their milestones, scorecard metrics with their weekly values (typed
// in, or computed from the portal's own tickets and Office 365 data),
// issues, to-dos and messages.
//
// Every read starts from the policy: policy.TeamWork is the actor's scope,
// turned into SQL in one function (scoped), so an object outside it is
// simply not found; every change asks policy.CanEditTeamWork of the
// object's facts. Objects leave this package as views built for their
// reader. Each write opens its own transaction and records itself in the
// audit log.
package teamwork

import (
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// The longest text each field takes, in characters, and the most items a
// list or an object holds; forms carry the same numbers as maxlength.
const (
	MaxTitle       = 200
	MaxText        = 20000
	MaxUnit        = 20
	MaxNote        = 500
	MaxMilestones  = 20
	MaxShares      = 20
	MaxList        = 500
	TrailingWeeks  = 13
	DefaultTodoDue = 7 * 24 * time.Hour
)

// Errors of the package.
var (
	// ErrNotFound means no such object in this tenant, or not one the
	// actor may see.
	ErrNotFound = errors.New("teamwork: not found")
	// ErrForbidden means the actor sees the object but may not do this to it.
	ErrForbidden = errors.New("teamwork: not allowed")
)

// By is who performs a change: the actor, whose rights decide, and the
// audit record's who.
type By struct {
	Actor policy.Actor
	Who   audit.Who
}

// Status is how a rock stands.
type Status string

// The rock statuses (SPEC §6).
const (
	OnTrack  Status = "on_track"
	OffTrack Status = "off_track"
	Done     Status = "done"
)

// Statuses lists every rock status in the order forms show them.
var Statuses = []Status{OnTrack, OffTrack, Done}

// Label is the status in words.
func (s Status) Label() string {
	switch s {
	case OnTrack:
		return "On track"
	case OffTrack:
		return "Off track"
	case Done:
		return "Done"
	}
	return string(s)
}

// Rock is one row of rocks. TeamID nil: a company rock.
type Rock struct {
	bun.BaseModel `bun:"table:rocks,alias:r"`
	store.TenantOwned

	ID          int64      `bun:"id,pk,autoincrement"`
	TeamID      *int64     `bun:"team_id"`
	Title       string     `bun:"title,notnull"`
	Description string     `bun:"description,notnull"`
	OwnerID     *int64     `bun:"owner_id"`
	DueOn       string     `bun:"due_on,notnull"`
	Status      Status     `bun:"status,notnull"`
	ArchivedAt  *time.Time `bun:"archived_at"`
	CreatedBy   *int64     `bun:"created_by"`
	CreatedAt   time.Time  `bun:"created_at,notnull"`
	UpdatedAt   time.Time  `bun:"updated_at,notnull"`
}

// RockShare shows a rock in a team other than its home team.
type RockShare struct {
	bun.BaseModel `bun:"table:rock_shares,alias:rs"`
	store.TenantOwned

	RockID int64 `bun:"rock_id,pk"`
	TeamID int64 `bun:"team_id,pk"`
}

// Milestone is a dated step of a rock.
type Milestone struct {
	bun.BaseModel `bun:"table:rock_milestones,alias:rm"`
	store.TenantOwned

	ID     int64  `bun:"id,pk,autoincrement" json:"id"`
	RockID int64  `bun:"rock_id,notnull" json:"-"`
	Title  string `bun:"title,notnull" json:"title"`
	DueOn  string `bun:"due_on,notnull" json:"due_on"`
	Done   bool   `bun:"done,notnull" json:"done"`
}

// Metric is one row of metrics.
type Metric struct {
	bun.BaseModel `bun:"table:metrics,alias:m"`
	store.TenantOwned

	ID         int64      `bun:"id,pk,autoincrement"`
	TeamID     int64      `bun:"team_id,notnull"`
	Title      string     `bun:"title,notnull"`
	OwnerID    *int64     `bun:"owner_id"`
	Unit       string     `bun:"unit,notnull"`
	Comparator Comparator `bun:"comparator,notnull"`
	Goal       float64    `bun:"goal,notnull"`
	GoalMax    *float64   `bun:"goal_max"`
	Source     Source     `bun:"source,notnull"`
	CompanyID  *int64     `bun:"company_id"`
	Position   int        `bun:"position,notnull"`
	CreatedBy  *int64     `bun:"created_by"`
	CreatedAt  time.Time  `bun:"created_at,notnull"`
	UpdatedAt  time.Time  `bun:"updated_at,notnull"`
}

// MetricShare shows a metric in a team other than its home team.
type MetricShare struct {
	bun.BaseModel `bun:"table:metric_shares,alias:ms"`
	store.TenantOwned

	MetricID int64 `bun:"metric_id,pk"`
	TeamID   int64 `bun:"team_id,pk"`
}

// Value is a metric's value of one week.
type Value struct {
	bun.BaseModel `bun:"table:metric_values,alias:mv"`
	store.TenantOwned

	MetricID  int64     `bun:"metric_id,pk"`
	Week      string    `bun:"week,pk"`
	Value     float64   `bun:"value,notnull"`
	Note      string    `bun:"note,notnull"`
	EnteredBy *int64    `bun:"entered_by"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

// Issue is one row of issues.
type Issue struct {
	bun.BaseModel `bun:"table:issues,alias:i"`
	store.TenantOwned

	ID          int64      `bun:"id,pk,autoincrement"`
	TeamID      int64      `bun:"team_id,notnull"`
	Title       string     `bun:"title,notnull"`
	Description string     `bun:"description,notnull"`
	OwnerID     *int64     `bun:"owner_id"`
	Priority    Priority   `bun:"priority,notnull"`
	Term        Term       `bun:"term,notnull"`
	TopRank     *int       `bun:"top_rank"`
	Status      string     `bun:"status,notnull"`
	SolvedAt    *time.Time `bun:"solved_at"`
	CreatedBy   *int64     `bun:"created_by"`
	CreatedAt   time.Time  `bun:"created_at,notnull"`
	UpdatedAt   time.Time  `bun:"updated_at,notnull"`
}

// Todo is one row of todos.
type Todo struct {
	bun.BaseModel `bun:"table:todos,alias:td"`
	store.TenantOwned

	ID        int64      `bun:"id,pk,autoincrement"`
	TeamID    int64      `bun:"team_id,notnull"`
	Title     string     `bun:"title,notnull"`
	OwnerID   *int64     `bun:"owner_id"`
	DueOn     string     `bun:"due_on,notnull"`
	DoneAt    *time.Time `bun:"done_at"`
	IssueID   *int64     `bun:"issue_id"`
	CreatedBy *int64     `bun:"created_by"`
	CreatedAt time.Time  `bun:"created_at,notnull"`
}

// Message is one row of messages.
type Message struct {
	bun.BaseModel `bun:"table:messages,alias:msg"`
	store.TenantOwned

	ID           int64     `bun:"id,pk,autoincrement"`
	TeamID       int64     `bun:"team_id,notnull"`
	Title        string    `bun:"title,notnull"`
	Body         string    `bun:"body,notnull"`
	AuthorID     *int64    `bun:"author_id"`
	CascadedFrom *int64    `bun:"cascaded_from"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
}

// Ref names an object inside another: a team, a user, a company.
type Ref struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
