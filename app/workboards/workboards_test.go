package workboards_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/app/workboards"
)

type world struct {
	ctx context.Context
	db  *store.Scoped
}

func seed(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	d := storetest.New(t)
	for range 2 {
		if err := demo.Seed(ctx, d.DB, tenant.NewStore(d.DB)); err != nil {
			t.Fatal(err)
		}
	}
	acme, err := tenant.NewStore(d.DB).BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	return &world{ctx: ctx, db: d.DB.Tenant(acme.ID)}
}

func (w *world) actor(t *testing.T, email string) policy.Actor {
	t.Helper()
	u, err := people.UserByEmail(w.ctx, w.db, email)
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

// seen is every workboard, card and task title a sees, sorted.
func seen(t *testing.T, w *world, a policy.Actor) (boards, cards, tasks []string) {
	t.Helper()
	bs, err := workboards.Workboards(w.ctx, w.db, a)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		boards = append(boards, b.Name)
		cs, err := workboards.Cards(w.ctx, w.db, a, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			cards = append(cards, c.Title)
		}
		ts, err := workboards.Tasks(w.ctx, w.db, a, workboards.TaskQuery{WorkboardID: b.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range ts {
			tasks = append(tasks, tk.Title)
		}
	}
	slices.Sort(boards)
	slices.Sort(cards)
	slices.Sort(tasks)
	return boards, cards, tasks
}

// TestSecurityLevels: who sees which demo workboard, card and task, for
// every demo user (SPEC §15: gina sees only "Homepage copy" and the
// "Website relaunch" board; ken sees "Pick movers" but not "Acquisition
// plan").
func TestSecurityLevels(t *testing.T) {
	w := seed(t)
	const move, relaunch = "Office move", "Website relaunch"
	cases := map[string]struct{ boards, cards, tasks []string }{
		"gina@guest.test":   {[]string{relaunch}, []string{"Homepage copy"}, []string{"Draft the hero text", "Pick the new CMS", "Review the service blurbs"}},
		"ken@acme.test":     {[]string{move, relaunch}, []string{"Homepage copy", "Pick movers"}, []string{"Draft the hero text", "Get three quotes", "Pick the new CMS", "Review the service blurbs"}},
		"ada@acme.test":     {[]string{move, relaunch}, []string{"Acquisition plan", "Pick movers"}, []string{"Get three quotes", "Value the agency's client book"}},
		"alan@acme.test":    {[]string{move, relaunch}, []string{"Acquisition plan", "Pick movers"}, []string{"Get three quotes", "Value the agency's client book"}},
		"hedy@acme.test":    {[]string{move}, []string{"Pick movers"}, []string{"Get three quotes"}},
		"barbara@acme.test": {[]string{move}, []string{"Pick movers"}, []string{"Get three quotes"}},
		"carol@globex.test": {},
		"erin@globex.test":  {},
	}
	for email, want := range cases {
		boards, cards, tasks := seen(t, w, w.actor(t, email))
		if !slices.Equal(boards, want.boards) || !slices.Equal(cards, want.cards) || !slices.Equal(tasks, want.tasks) {
			t.Errorf("%s sees boards %q cards %q tasks %q\nwant boards %q cards %q tasks %q", email, boards, cards, tasks, want.boards, want.cards, want.tasks)
		}
	}
}

func boardID(t *testing.T, w *world, name string) int64 {
	t.Helper()
	var id int64
	if err := w.db.Select((*workboards.Workboard)(nil)).Column("wb.id").Where("wb.name = ?", name).Scan(w.ctx, &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func cardID(t *testing.T, w *world, title string) int64 {
	t.Helper()
	var id int64
	if err := w.db.Select((*workboards.Card)(nil)).Column("c.id").Where("c.title = ?", title).Scan(w.ctx, &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestGuestRules: gina's "can" and "cannot" lists of the roles seed that
// the workboards hold.
func TestGuestRules(t *testing.T) {
	w := seed(t)
	gina := workboards.By{Actor: w.actor(t, "gina@guest.test")}
	relaunch, move := boardID(t, w, "Website relaunch"), boardID(t, w, "Office move")
	homepage, acquisition := cardID(t, w, "Homepage copy"), cardID(t, w, "Acquisition plan")
	title := "Write the about page"

	// Can: add tasks within a workboard she is a member of, on its card too.
	task, err := workboards.CreateTask(w.ctx, w.db, gina, workboards.TaskInput{WorkboardID: relaunch, Title: &title})
	if err != nil {
		t.Fatalf("gina adds a task: %v", err)
	}
	if _, err := workboards.CreateTask(w.ctx, w.db, gina, workboards.TaskInput{WorkboardID: relaunch, CardID: homepage, Title: &title}); err != nil {
		t.Errorf("gina adds a task on Homepage copy: %v", err)
	}
	// Can: manage tasks created elsewhere.
	done := workboards.Done
	if _, err := workboards.UpdateTask(w.ctx, w.db, gina, task.ID, workboards.TaskInput{Status: &done}); err != nil {
		t.Errorf("gina ticks a task: %v", err)
	}
	// Can: add member and guest users to restricted items she belongs to.
	hedy := w.actor(t, "hedy@acme.test").UserID
	if _, err := workboards.AddCardMember(w.ctx, w.db, gina, homepage, hedy); err != nil {
		t.Errorf("gina adds hedy to Homepage copy: %v", err)
	}
	// Cannot: see or touch what she is not invited to.
	if _, err := workboards.CreateTask(w.ctx, w.db, gina, workboards.TaskInput{WorkboardID: move, Title: &title}); !errors.Is(err, workboards.ErrNotFound) {
		t.Errorf("gina adds a task on Office move: %v", err)
	}
	if _, err := workboards.GetCard(w.ctx, w.db, gina.Actor, acquisition); !errors.Is(err, workboards.ErrNotFound) {
		t.Errorf("gina opens Acquisition plan: %v", err)
	}
	// Cannot: create workboards or cards (the global and the card's "+").
	if _, err := workboards.CreateWorkboard(w.ctx, w.db, gina, workboards.ItemInput{Name: &title, Security: policy.Open}); !errors.Is(err, workboards.ErrForbidden) {
		t.Errorf("gina creates a workboard: %v", err)
	}
	if _, err := workboards.CreateCard(w.ctx, w.db, gina, workboards.ItemInput{WorkboardID: relaunch, Name: &title, Security: policy.Open}); !errors.Is(err, workboards.ErrForbidden) {
		t.Errorf("gina creates a card: %v", err)
	}
	// A guest is never added to a top secret card, whoever asks.
	alan := workboards.By{Actor: w.actor(t, "alan@acme.test")}
	var ve valid.Errors
	if _, err := workboards.AddCardMember(w.ctx, w.db, alan, acquisition, gina.Actor.UserID); !errors.As(err, &ve) {
		t.Errorf("alan adds gina to Acquisition plan: %v", err)
	}
	// A member who is not on a restricted card may not add people to it.
	ken := workboards.By{Actor: w.actor(t, "ken@acme.test")}
	if _, err := workboards.AddCardMember(w.ctx, w.db, ken, acquisition, hedy); !errors.Is(err, workboards.ErrNotFound) {
		t.Errorf("ken adds hedy to Acquisition plan: %v", err)
	}
	// ken, on the open board, invites gina there: now she sees it.
	if _, err := workboards.AddBoardMember(w.ctx, w.db, ken, move, gina.Actor.UserID); err != nil {
		t.Fatalf("ken adds gina to Office move: %v", err)
	}
	boards, _, _ := seen(t, w, gina.Actor)
	if !slices.Equal(boards, []string{"Office move", "Website relaunch"}) {
		t.Errorf("gina's boards after the invitation: %q", boards)
	}
}

// TestScopeMatchesPolicy: for every demo user and every card and
// workboard, the SQL scope and the policy's decision from the item's facts
// agree.
func TestScopeMatchesPolicy(t *testing.T) {
	w := seed(t)
	var boards []workboards.Workboard
	var cards []workboards.Card
	var bms []workboards.BoardMember
	var cms []workboards.CardMember
	for _, q := range []error{w.db.Select(&boards).Scan(w.ctx), w.db.Select(&cards).Scan(w.ctx), w.db.Select(&bms).Scan(w.ctx), w.db.Select(&cms).Scan(w.ctx)} {
		if q != nil {
			t.Fatal(q)
		}
	}
	in := func(board, card, user int64) bool {
		for _, m := range bms {
			if card == 0 && m.WorkboardID == board && m.UserID == user {
				return true
			}
		}
		for _, m := range cms {
			if card != 0 && m.CardID == card && m.UserID == user {
				return true
			}
		}
		return false
	}
	for _, email := range []string{"ada@acme.test", "alan@acme.test", "ken@acme.test", "gina@guest.test", "hedy@acme.test", "barbara@acme.test", "carol@globex.test", "erin@globex.test", "dora@acme.test"} {
		a := w.actor(t, email)
		for _, b := range boards {
			holds := false
			for _, c := range cards {
				holds = holds || (c.WorkboardID == b.ID && in(b.ID, c.ID, a.UserID))
			}
			want := policy.CanSeeWorkboard(a, policy.BoardFacts{Security: b.Security, Member: in(b.ID, 0, a.UserID), HoldsCard: holds})
			_, err := workboards.GetWorkboard(w.ctx, w.db, a, b.ID)
			if got := err == nil; got != want {
				t.Errorf("%s, workboard %q: the scope says %v, the policy %v", email, b.Name, got, want)
			}
		}
		for _, c := range cards {
			var board policy.BoardFacts
			for _, b := range boards {
				if b.ID == c.WorkboardID {
					board = policy.BoardFacts{Security: b.Security, Member: in(b.ID, 0, a.UserID)}
				}
			}
			want := policy.CanSeeCard(a, policy.BoardFacts{Security: c.Security, Member: in(c.WorkboardID, c.ID, a.UserID)}, board)
			_, err := workboards.GetCard(w.ctx, w.db, a, c.ID)
			if got := err == nil; got != want {
				t.Errorf("%s, card %q: the scope says %v, the policy %v", email, c.Title, got, want)
			}
		}
	}
}
