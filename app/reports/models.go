// Package reports holds a tenant's reports (SPEC §8): a report belongs to
// a company and a period and has ordered parts — text, a metrics table, a
// ticket summary, rocks status and a chart — any of which can be marked
// internal only.
//
// Every read starts from the policy: a list and a single report through
// policy.ReportsScope (turned into SQL in one function, selectScoped), and
// a report leaves this package as a View built by one function (build)
// from the parts its reader may see — the others are never loaded. Pages,
// fragments, the print view, the JSON and the editor's preview are all
// built from a View.
package reports

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// The limits, checked before storage. Forms carry the same numbers.
const (
	MaxTitle     = 200
	MaxText      = 50000
	MaxParts     = 30
	MaxRows      = 50
	MaxCell      = 200
	MaxSearch    = 200
	MaxPeriodDay = 400 // the longest period, in days
)

// Status is where a report is: drafts are for members only.
type Status string

// The statuses.
const (
	Draft     Status = "draft"
	Published Status = "published"
)

// Statuses lists every status.
var Statuses = []Status{Draft, Published}

// Label is the status in words.
func (s Status) Label() string {
	if s == Published {
		return "Published"
	}
	return "Draft"
}

// Kind is what a part shows.
type Kind string

// The kinds of part.
const (
	KindText          Kind = "text"
	KindMetrics       Kind = "metrics"
	KindTicketSummary Kind = "ticket_summary"
	KindRocks         Kind = "rocks"
	KindChart         Kind = "chart"
)

// Kinds lists every kind in the order the editor offers them.
var Kinds = []Kind{KindText, KindMetrics, KindTicketSummary, KindRocks, KindChart}

// Label is the kind in words.
func (k Kind) Label() string {
	switch k {
	case KindText:
		return "Text"
	case KindMetrics:
		return "Metrics table"
	case KindTicketSummary:
		return "Ticket summary"
	case KindRocks:
		return "Rocks status"
	case KindChart:
		return "Ticket chart"
	}
	return string(k)
}

// Computed reports whether a part of kind k is computed from the tickets
// when read, holding nothing of its own.
func (k Kind) Computed() bool { return k == KindTicketSummary || k == KindChart }

// RockStatus is how a rock row stands.
type RockStatus string

// The rock statuses (SPEC §6).
const (
	OnTrack  RockStatus = "on_track"
	OffTrack RockStatus = "off_track"
	Done     RockStatus = "done"
)

// RockStatuses lists every rock status.
var RockStatuses = []RockStatus{OnTrack, OffTrack, Done}

// Label is the rock status in words.
func (s RockStatus) Label() string {
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

// MetricRow is one row of a metrics part.
type MetricRow struct {
	Label  string `json:"label"`
	Value  string `json:"value"`
	Target string `json:"target,omitempty"`
}

// RockRow is one row of a rocks part. Rocks are not objects of their own
// yet, so a report holds the rows its author enters.
type RockRow struct {
	Title  string     `json:"title"`
	Owner  string     `json:"owner"`
	Status RockStatus `json:"status"`
}

// Report is one report as stored. It never leaves the package: readers
// get a View.
type Report struct {
	bun.BaseModel `bun:"table:reports,alias:r"`
	store.TenantOwned

	ID          int64     `bun:"id,pk,autoincrement"`
	CompanyID   int64     `bun:"company_id,notnull"`
	Title       string    `bun:"title,notnull"`
	PeriodStart string    `bun:"period_start,notnull"`
	PeriodEnd   string    `bun:"period_end,notnull"`
	Status      Status    `bun:"status,notnull"`
	CreatedBy   *int64    `bun:"created_by"`
	CreatedAt   time.Time `bun:"created_at,notnull"`
	UpdatedAt   time.Time `bun:"updated_at,notnull"`

	// SortKey is the list's sort key as stored, for its cursor.
	SortKey string `bun:"sort_key,scanonly"`
}

func (r *Report) facts() policy.ReportFacts {
	return policy.ReportFacts{CompanyID: r.CompanyID, Published: r.Status == Published}
}

// Part is one part of a report as stored.
type Part struct {
	bun.BaseModel `bun:"table:report_parts,alias:p"`
	store.TenantOwned

	ID           int64     `bun:"id,pk,autoincrement"`
	ReportID     int64     `bun:"report_id,notnull"`
	Position     int       `bun:"position,notnull"`
	Kind         Kind      `bun:"kind,notnull"`
	Title        string    `bun:"title,notnull"`
	InternalOnly bool      `bun:"internal_only,notnull"`
	Body         string    `bun:"body,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
	UpdatedAt    time.Time `bun:"updated_at,notnull"`
}

// companyName reads a company's name, and nothing else.
type companyName struct {
	bun.BaseModel `bun:"table:companies,alias:cn"`
	store.TenantOwned
	ID   int64  `bun:"id,pk"`
	Name string `bun:"name"`
}
