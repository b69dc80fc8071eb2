package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/plan"
	"github.com/atrium-portal/atrium/app/store"
)

// The demo's Strategy and Plan (SPEC §5, page plan): Globex's goals and
// roadmap, the way an MSP shows a client where its IT is heading, with a
// comment from Erin; a smaller plan for Initech. Rows are written
// directly, without audit records, as nobody wrote them.

type planSeed struct {
	company, title, description, quarter, owner string
	kind                                        plan.Kind
	status                                      plan.Status
	budget                                      int64 // cents; 0 for none
	comments                                    []planCommentSeed
}

type planCommentSeed struct{ author, body string }

var planSeeds = map[string][]planSeed{
	"acme": {
		{company: "Globex Corporation", kind: plan.Goal, status: plan.InProgress, title: "Every employee on MFA by year end",
			description: "No account without a second factor, office and remote staff alike."},
		{company: "Globex Corporation", kind: plan.Goal, status: plan.Planned, title: "Move off the on-premises file server",
			description: "Files live in SharePoint and OneDrive; the old server is retired."},
		{company: "Globex Corporation", kind: plan.Initiative, status: plan.Done, quarter: "2026-Q3", owner: "ken@acme.test", budget: 150000,
			title: "Mail migration to Microsoft 365", description: "Mailboxes moved from the hosted Exchange to Microsoft 365."},
		{company: "Globex Corporation", kind: plan.Initiative, status: plan.InProgress, quarter: "2026-Q4", owner: "ken@acme.test", budget: 400000,
			title: "Roll out MFA", description: "Authenticator app for every user; hardware keys for the finance team.",
			comments: []planCommentSeed{{author: "erin@globex.test", body: "Finance is ready for their keys in the first week of December."}}},
		{company: "Globex Corporation", kind: plan.Initiative, status: plan.Planned, quarter: "2027-Q1", owner: "ken@acme.test", budget: 1250000,
			title: "SharePoint migration", description: "Department shares move to SharePoint sites, with permissions reviewed on the way."},
		{company: "Globex Corporation", kind: plan.Initiative, status: plan.Planned, quarter: "2027-Q2", budget: 800000,
			title: "Replace firewall", description: "The current firewall reaches end of support in mid-2027."},
		{company: "Initech", kind: plan.Goal, status: plan.Planned, title: "Reliable printing in every office"},
		{company: "Initech", kind: plan.Initiative, status: plan.Planned, quarter: "2027-Q1", budget: 250000,
			title: "Managed print rollout", description: "One print service with monitoring, replacing the office printers' own drivers."},
	},
}

// seedPlan adds each missing plan item, found by company and title, and
// its comments, found by item and body.
func seedPlan(ctx context.Context, tx *store.Scoped, seeds []planSeed, companies, users map[string]int64) error {
	now := time.Now().UTC()
	for i, s := range seeds {
		companyID, ok := companies[s.company]
		if !ok {
			return fmt.Errorf("plan item %s: no company %s", s.title, s.company)
		}
		r := &plan.Row{CompanyID: companyID, Kind: s.kind, Title: s.title, Description: s.description, Quarter: s.quarter,
			Status: s.status, Position: i + 1, CreatedAt: now, UpdatedAt: now}
		if s.budget != 0 {
			b := s.budget
			r.BudgetEstimate = &b
		}
		if s.owner != "" {
			id, ok := users[s.owner]
			if !ok {
				return fmt.Errorf("plan item %s: no user %s", s.title, s.owner)
			}
			r.OwnerID = &id
		}
		if err := ensure(ctx, tx, r, "company_id = ? AND title = ?", companyID, s.title); err != nil {
			return fmt.Errorf("plan item %s: %w", s.title, err)
		}
		for _, c := range s.comments {
			author, ok := users[c.author]
			if !ok {
				return fmt.Errorf("plan comment on %s: no user %s", s.title, c.author)
			}
			cr := &plan.CommentRow{ItemID: r.ID, AuthorID: author, Body: c.body, CreatedAt: now}
			if err := ensure(ctx, tx, cr, "item_id = ? AND body = ?", r.ID, c.body); err != nil {
				return fmt.Errorf("plan comment on %s: %w", s.title, err)
			}
		}
	}
	return nil
}
