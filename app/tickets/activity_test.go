package tickets_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tickets"
)

// TestCompanyActivityCountsEachTicket: a report's ticket counts equal
// counts made here ticket by ticket from the company's every ticket, over
// tickets opened and closed before, in and after the period, on boards
// its users see and on a members-only one.
func TestCompanyActivityCountsEachTicket(t *testing.T) {
	ctx := context.Background()
	db, user := seedDemo(t)
	cfg, err := tickets.LoadConfig(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	_, ada := user("ada@acme.test")
	globex := globexOf(t, db, cfg, ada)
	from := time.Date(2026, 9, 7, 0, 0, 0, 0, time.UTC) // a Monday
	to := from.AddDate(0, 0, 48)
	statuses := tickets.Statuses
	priorities := tickets.Priorities
	for i := range 60 {
		board := cfg.Boards[i%len(cfg.Boards)]
		title := fmt.Sprintf("Activity %d", i)
		st, pr := statuses[i%len(statuses)], priorities[i%len(priorities)]
		v, err := tickets.Create(ctx, db, tickets.By{Actor: ada}, tickets.NewTicket{BoardID: board.ID, CompanyID: globex,
			Fields: tickets.Fields{Title: &title, Status: &st, Priority: &pr}})
		if err != nil {
			t.Fatal(err)
		}
		opened := from.AddDate(0, 0, -20+i*2).Add(time.Duration(i) * time.Hour)
		changed := opened.AddDate(0, 0, i%17)
		if err := tickets.Backdate(ctx, db, "ticket", v.ID, opened, changed); err != nil {
			t.Fatal(err)
		}
	}
	got, err := tickets.CompanyActivity(ctx, db, globex, from, to)
	if err != nil {
		t.Fatal(err)
	}

	// The same counts, ticket by ticket.
	end := to.AddDate(0, 0, 1)
	shared := policy.SharedBoards(cfg.Rules, globex)
	want := &tickets.Activity{ByStatus: map[tickets.Status]int{}, ByPriority: map[tickets.Priority]int{}, Weeks: got.Weeks}
	weeks := make([]tickets.Week, len(got.Weeks))
	for i, w := range got.Weeks {
		weeks[i] = tickets.Week{Start: w.Start}
	}
	want.Weeks = weeks
	week := func(at time.Time) int {
		for i := len(weeks) - 1; i >= 0; i-- {
			if !at.Before(weeks[i].Start) {
				return i
			}
		}
		return -1
	}
	var rows []struct {
		BoardID   int64            `bun:"board_id"`
		Status    tickets.Status   `bun:"status"`
		Priority  tickets.Priority `bun:"priority"`
		CreatedAt time.Time        `bun:"created_at"`
		UpdatedAt time.Time        `bun:"updated_at"`
	}
	if err := db.RawRead("SELECT board_id, status, priority, created_at, updated_at FROM tickets WHERE tenant_id = ? AND company_id = ?", db.TenantID(), globex).Scan(ctx, &rows); err != nil {
		t.Fatal(err)
	}
	counted := 0
	for _, r := range rows {
		onShared := false
		for _, b := range shared {
			onShared = onShared || b == r.BoardID
		}
		if !onShared {
			continue
		}
		if c := r.CreatedAt.UTC(); !c.Before(from) && c.Before(end) {
			counted++
			want.Opened++
			want.ByStatus[r.Status]++
			want.ByPriority[r.Priority]++
			weeks[week(c)].Opened++
		}
		if u := r.UpdatedAt.UTC(); r.Status.Done() && !u.Before(from) && u.Before(end) {
			weeks[week(u)].Closed++
		}
	}
	closed := 0
	for _, w := range weeks {
		closed += w.Closed
	}
	if counted < 10 || closed < 5 {
		t.Fatalf("%d tickets opened and %d closed in the period: the test data misses its point", counted, closed)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("activity\n got %+v\nwant %+v", got, want)
	}
}
