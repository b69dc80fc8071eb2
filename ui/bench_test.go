package ui_test

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/ui"
)

// Benchmarks of rendering whole pages, layout included, into io.Discard:
//
//	go test ./ui -run '^$' -bench . -benchmem -count 6
func BenchmarkTicketsPage(b *testing.B) {
	for _, rows := range []int{25, 50, 200} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			f, v := ticketsPage(rows)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := ui.TicketsPage(f, v).Render(ctx, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// ticketsPage is the tickets list an external editor of several companies
// sees: the sidebar of the demo, filters, and rows with every column.
func ticketsPage(rows int) (ui.Frame, ui.TicketsView) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	f := ui.Frame{
		Title: "Tickets", Brand: ui.Brand{AppName: "Acme Portal", CSSURL: "/brand.css?v=1"},
		Nav: []ui.NavGroup{
			{Title: "", Links: []ui.NavLink{{Key: "home", Label: "Home", Path: "/"}, {Key: "tickets", Label: "Tickets", Path: "/tickets", Current: true},
				{Key: "reports", Label: "Reports", Path: "/reports"}, {Key: "kb", Label: "Knowledge base", Path: "/kb"}}},
			{Title: "Workspace", Links: []ui.NavLink{{Key: "plan", Label: "Plan", Path: "/plan"}, {Key: "contacts", Label: "Contacts", Path: "/contacts"},
				{Key: "office365", Label: "Office 365", Path: "/office365"}}},
		},
		Crumbs:  []ui.Crumb{{Label: "Tickets", Path: "/tickets"}},
		User:    ui.Person{Name: "Erin Example", Email: "erin@globex.test", KindLabel: "External editor"},
		CSRF:    "csrf-token-of-the-session",
		StaticV: "abc123",
	}
	companies := []string{"Globex Corporation", "Initech", "Umbrella Ltd"}
	statuses := []ui.Badge{{Class: "badge-new", Label: "New"}, {Class: "badge-progress", Label: "In progress"}, {Class: "badge-done", Label: "Resolved"}}
	v := ui.TicketsView{
		List: ui.ListView{
			ID: "tickets-list", Path: "/tickets", Label: "Tickets", Query: url.Values{}, Count: rows * 4, One: "ticket", Many: "tickets",
			Rows: rows, Sort: "-updated", Sorts: []ui.Option{{Value: "-updated", Label: "Recently updated", Selected: true}, {Value: "-created", Label: "Newest"}},
			Filters: []ui.ListFilter{
				{Name: "q", Label: "Search", Type: "search"},
				{Name: "company_id", Label: "Company", Options: []ui.Option{{Label: "Any"}, {Value: "1", Label: companies[0]}, {Value: "2", Label: companies[1]}}},
				{Name: "status", Label: "Status", Options: []ui.Option{{Label: "Any"}, {Value: "new", Label: "New"}, {Value: "resolved", Label: "Resolved"}}},
			},
			Next: "/tickets?cursor=abc",
		},
		Cols:   ui.TicketColumns{Status: true, Priority: true, Assignee: true},
		NewURL: "/tickets/new", ExportURL: "/tickets.csv", Now: now,
	}
	for i := 0; i < rows; i++ {
		v.Rows = append(v.Rows, ui.TicketRow{
			Number: int64(1000 + i), Title: fmt.Sprintf("VPN drops every hour for the branch office <%d> & more", i),
			URL: fmt.Sprintf("/tickets/%d", 1000+i), Company: companies[i%len(companies)], Status: statuses[i%len(statuses)],
			Priority: ui.Badge{Class: "badge-high", Label: "High"}, Assignee: "Ken Member", Updated: now.Add(-time.Duration(i) * time.Hour),
		})
	}
	return f, v
}
