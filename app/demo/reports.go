package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/reports"
	"github.com/atrium-portal/atrium/app/store"
)

// The demo's reports (SPEC §15): "Globex Q3 QBR" with its four parts, the
// last of them internal only; a published service review whose period is
// the eight weeks before seeding, so its chart and ticket summary count
// the demo's tickets; and a draft, which external users never see. Rows
// are written directly, without audit records, as nobody wrote them.

type partSeed struct {
	kind     reports.Kind
	title    string
	internal bool
	body     string
	metrics  []reports.MetricRow
	rocks    []reports.RockRow
}

type reportSeed struct {
	title, company, author string
	start, end             string // YYYY-MM-DD; "" for the weeks before seeding
	status                 reports.Status
	parts                  []partSeed
}

var reportSeeds = map[string][]reportSeed{
	"acme": {
		{
			title: "Globex Q3 QBR", company: "Globex Corporation", author: "ken@acme.test",
			start: "2026-07-01", end: "2026-09-30", status: reports.Published,
			parts: []partSeed{
				{kind: reports.KindText, title: "Executive summary", body: "A steady quarter for **Globex**: the help desk answered within target, " +
					"the mail migration to Microsoft 365 is on track, and MFA needs a push before the year ends.\n\n" +
					"- Most tickets were requests, not incidents\n- No outage longer than an hour\n- Next QBR: early January"},
				{kind: reports.KindTicketSummary, title: "Ticket summary"},
				{kind: reports.KindRocks, title: "Rocks status", rocks: []reports.RockRow{
					{Title: "Migrate Globex mail to M365", Owner: "Carol Client", Status: reports.OnTrack},
					{Title: "Roll out MFA at Globex", Owner: "Ken Thompson", Status: reports.OffTrack},
				}},
				{kind: reports.KindText, title: "Margin analysis", internal: true,
					body: "Globex margin fell to 18% — renegotiate at renewal. Project hours ran 30% over the estimate."},
			},
		},
		{
			title: "Globex service review", company: "Globex Corporation", author: "ken@acme.test", status: reports.Published,
			parts: []partSeed{
				{kind: reports.KindText, title: "Summary", body: "The last eight weeks of support for Globex, week by week."},
				{kind: reports.KindChart, title: "Tickets per week"},
				{kind: reports.KindTicketSummary, title: "Ticket summary"},
				{kind: reports.KindMetrics, title: "Service levels", metrics: []reports.MetricRow{
					{Label: "First response time (h)", Value: "1.6", Target: "≤ 2"},
					{Label: "Resolved within SLA", Value: "94%", Target: "95%"},
					{Label: "Satisfaction", Value: "4.7 / 5", Target: "4.5 / 5"},
				}},
			},
		},
		{
			title: "Globex Q4 QBR", company: "Globex Corporation", author: "ken@acme.test",
			start: "2026-10-01", end: "2026-12-31", status: reports.Draft,
			parts: []partSeed{
				{kind: reports.KindText, title: "Executive summary", body: "Draft: the numbers come once the quarter closes."},
			},
		},
	},
	"northwind": {
		{
			title: "Contoso October review", company: "Contoso", author: "nina@northwind.test",
			start: "2026-10-01", end: "2026-10-31", status: reports.Published,
			parts: []partSeed{
				{kind: reports.KindText, title: "Summary", body: "A quiet month for Contoso."},
			},
		},
	},
}

func seedReports(ctx context.Context, tx *store.Scoped, seeds []reportSeed, companies, users map[string]int64) error {
	now := time.Now().UTC()
	for _, s := range seeds {
		start, end := s.start, s.end
		if start == "" {
			today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
			monday := today.AddDate(0, 0, -((int(today.Weekday())+6)%7)-7*7)
			start, end = monday.Format(time.DateOnly), today.Format(time.DateOnly)
		}
		r := &reports.Report{CompanyID: companies[s.company], Title: s.title, PeriodStart: start, PeriodEnd: end,
			Status: s.status, CreatedAt: now, UpdatedAt: now}
		if id, ok := users[s.author]; ok {
			r.CreatedBy = &id
		}
		n, err := tx.Select((*reports.Report)(nil)).Where("title = ?", s.title).Count(ctx)
		if err != nil {
			return fmt.Errorf("report %s: %w", s.title, err)
		}
		if n > 0 {
			continue
		}
		if _, err := tx.Insert(r).Exec(ctx); err != nil {
			return fmt.Errorf("report %s: %w", s.title, err)
		}
		for i, ps := range s.parts {
			p := &reports.Part{ReportID: r.ID, Position: i + 1, Kind: ps.kind, Title: ps.title, InternalOnly: ps.internal,
				Body: ps.body, CreatedAt: now, UpdatedAt: now}
			switch {
			case ps.metrics != nil:
				b, _ := json.Marshal(ps.metrics)
				p.Body = string(b)
			case ps.rocks != nil:
				b, _ := json.Marshal(ps.rocks)
				p.Body = string(b)
			}
			if _, err := tx.Insert(p).Exec(ctx); err != nil {
				return fmt.Errorf("report %s, part %s: %w", s.title, ps.title, err)
			}
		}
	}
	return nil
}
