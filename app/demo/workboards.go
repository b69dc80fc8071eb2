package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/workboards"
)

// The demo's workboards (SPEC §15): "Website relaunch" (restricted; ken,
// gina) with "Homepage copy" (restricted; ken, gina) and "Acquisition
// plan" (top secret; ada, alan); "Office move" (open) with "Pick movers".
// They are written as rows: the seed is the starting point, not a change
// anyone made.

type cardSeed struct {
	title, summary string
	security       policy.Security
	members        []string
	tasks          []taskSeed
}

type taskSeed struct {
	title, assignee, status string
	dueDays                 int
}

var workboardSeeds = map[string][]struct {
	name, description string
	security          policy.Security
	members           []string
	cards             []cardSeed
	tasks             []taskSeed
}{"acme": {
	{name: "Website relaunch", description: "The new acme.example: copy, design and the move to the new CMS.", security: policy.Restricted,
		members: []string{"ken@acme.test", "gina@guest.test"},
		cards: []cardSeed{
			{title: "Homepage copy", security: policy.Restricted, members: []string{"ken@acme.test", "gina@guest.test"},
				summary: "Hero text, three service blurbs and the call to action. **Tone:** plain, confident, no jargon.",
				tasks: []taskSeed{{title: "Draft the hero text", assignee: "gina@guest.test", status: workboards.Doing, dueDays: 3},
					{title: "Review the service blurbs", assignee: "ken@acme.test", status: workboards.Todo, dueDays: 6}}},
			{title: "Acquisition plan", security: policy.TopSecret, members: []string{"ada@acme.test", "alan@acme.test"},
				summary: "Which web agency to buy, at what price, and when to tell the team.",
				tasks:   []taskSeed{{title: "Value the agency's client book", assignee: "alan@acme.test", status: workboards.Todo, dueDays: 10}}},
		},
		tasks: []taskSeed{{title: "Pick the new CMS", assignee: "ken@acme.test", status: workboards.Todo, dueDays: 8}}},
	{name: "Office move", description: "Moving the Acme office to the second floor in January.", security: policy.Open,
		cards: []cardSeed{{title: "Pick movers", security: policy.Open, members: []string{"barbara@acme.test"},
			summary: "Three quotes, insurance included, a weekend move.",
			tasks:   []taskSeed{{title: "Get three quotes", assignee: "barbara@acme.test", status: workboards.Todo, dueDays: 5}}}}},
}}

// seedWorkboards adds tenant slug's workboards once.
func seedWorkboards(ctx context.Context, tx *store.Scoped, slug string, users map[string]int64) error {
	seeds, ok := workboardSeeds[slug]
	if !ok {
		return nil
	}
	if exists, err := tx.Select((*workboards.Workboard)(nil)).Exists(ctx); err != nil || exists {
		return err
	}
	now := time.Now().UTC()
	addTasks := func(boardID int64, cardID *int64, ts []taskSeed) error {
		for _, t := range ts {
			due := now.AddDate(0, 0, t.dueDays).Format("2006-01-02")
			row := &workboards.Task{WorkboardID: boardID, CardID: cardID, Title: t.title, AssigneeID: ptr(users[t.assignee]), DueOn: &due,
				Status: t.status, CreatedAt: now, UpdatedAt: now}
			if _, err := tx.Insert(row).Exec(ctx); err != nil {
				return fmt.Errorf("task %q: %w", t.title, err)
			}
		}
		return nil
	}
	for _, b := range seeds {
		wb := &workboards.Workboard{Name: b.name, Description: b.description, Security: b.security, CreatedAt: now, UpdatedAt: now}
		if _, err := tx.Insert(wb).Exec(ctx); err != nil {
			return fmt.Errorf("workboard %q: %w", b.name, err)
		}
		for _, m := range b.members {
			if _, err := tx.Insert(&workboards.BoardMember{WorkboardID: wb.ID, UserID: users[m]}).Exec(ctx); err != nil {
				return fmt.Errorf("workboard %q, member %s: %w", b.name, m, err)
			}
		}
		if err := addTasks(wb.ID, nil, b.tasks); err != nil {
			return err
		}
		for _, cs := range b.cards {
			c := &workboards.Card{WorkboardID: wb.ID, Title: cs.title, Summary: cs.summary, Security: cs.security, Status: "in_progress", CreatedAt: now, UpdatedAt: now}
			if _, err := tx.Insert(c).Exec(ctx); err != nil {
				return fmt.Errorf("card %q: %w", cs.title, err)
			}
			for _, m := range cs.members {
				if _, err := tx.Insert(&workboards.CardMember{CardID: c.ID, UserID: users[m]}).Exec(ctx); err != nil {
					return fmt.Errorf("card %q, member %s: %w", cs.title, m, err)
				}
			}
			if err := addTasks(wb.ID, &c.ID, cs.tasks); err != nil {
				return err
			}
		}
	}
	return nil
}
