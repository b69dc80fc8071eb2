package tickets

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/tenant"
)

// The property test: random companies, boards and their permissions, field
// access, note types, users of every kind with own-tickets-only on and off,
// tickets with watchers, notes of every type and canary strings in every
// field and note. For each user:
//   - the tickets the list returns (followed through every cursor) are
//     exactly those policy.CanSeeTicket allows, one by one;
//   - no view, detail, note page or search result holds a canary of a field
//     or note type the user may not see;
//   - a search for a canary finds exactly the visible tickets where it is in
//     a source the user may see;
//   - every email about a new note or status change holds only what its
//     recipient may see.
//
// Each canary is unique: "cnry" + a source tag + a number, a single word so
// the search index takes it whole.

type world struct {
	db        *store.Scoped
	cfg       *Config
	users     []people.User
	tickets   []Ticket
	watchers  map[int64][]int64
	canaries  map[string]canary // word → where it is
	companies []int64
}

// canary is where one canary word was put: a ticket's field or a note of a type.
type canary struct {
	ticketID int64
	field    policy.TicketField // "" for a note
	noteType int64
}

// stats count what the test checked, for the closing note of the issue.
type stats struct{ users, tickets, responses, searches, emails int }

func TestPropertyTicketVisibility(t *testing.T) {
	rounds := 4
	if testing.Short() || raceDetector {
		rounds = 1
	}
	var total stats
	for seed := range rounds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			s := checkWorld(t, uint64(seed))
			total.users += s.users
			total.tickets += s.tickets
			total.responses += s.responses
			total.searches += s.searches
			total.emails += s.emails
		})
	}
	t.Logf("checked %d users × %d tickets: %d responses, %d searches, %d emails",
		total.users, total.tickets, total.responses, total.searches, total.emails)
}

func checkWorld(t *testing.T, seed uint64) stats {
	ctx := context.Background()
	d := storetest.New(t)
	rng := rand.New(rand.NewPCG(seed, 7))
	w := build(t, ctx, d.Acme, rng)
	var st stats
	st.users, st.tickets = len(w.users), len(w.tickets)
	for _, u := range w.users {
		a := u.Actor()
		st.responses += checkUser(t, ctx, w, &u, a)
		st.searches += checkSearches(t, ctx, w, &u, a)
	}
	st.emails = checkEmails(t, ctx, w, d.Tenant, rng)
	return st
}

func build(t *testing.T, ctx context.Context, db *store.Scoped, rng *rand.Rand) *world {
	t.Helper()
	w := &world{db: db, watchers: map[int64][]int64{}, canaries: map[string]canary{}}
	now := time.Now().UTC()
	n := 0
	word := func(tag string) string { n++; return fmt.Sprintf("cnry%s%04dz", tag, n) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		c := &people.Company{Name: fmt.Sprintf("Company %d", i), CreatedAt: now}
		_, err := db.Insert(c).Exec(ctx)
		must(err)
		w.companies = append(w.companies, c.ID)
	}
	pick := func(xs []int64) []int64 {
		var out []int64
		for _, x := range xs {
			if rng.IntN(2) == 0 {
				out = append(out, x)
			}
		}
		return out
	}
	externals := []policy.Kind{policy.ExternalEditor, policy.ExternalViewer}
	for i := range 5 {
		var kinds []policy.Kind
		for _, k := range externals {
			if rng.IntN(3) > 0 {
				kinds = append(kinds, k)
			}
		}
		b := &Board{Name: fmt.Sprintf("Board %d", i), Kinds: append([]policy.Kind{}, kinds...), AllCompanies: rng.IntN(2) == 0, CreatedAt: now}
		_, err := db.Insert(b).Exec(ctx)
		must(err)
		if !b.AllCompanies {
			for _, c := range pick(w.companies) {
				_, err := db.Insert(&BoardCompany{BoardID: b.ID, CompanyID: c}).Exec(ctx)
				must(err)
			}
		}
	}
	kinds := policy.TicketKinds
	for i := range 4 {
		var read, add []policy.Kind
		for _, k := range kinds {
			if rng.IntN(2) == 0 {
				read = append(read, k)
			}
			if rng.IntN(2) == 0 {
				add = append(add, k)
			}
		}
		nt := &NoteType{Name: fmt.Sprintf("Type %d", i), ReadKinds: append([]policy.Kind{}, read...), AddKinds: append([]policy.Kind{}, add...)}
		_, err := db.Insert(nt).Exec(ctx)
		must(err)
	}
	for i, k := range []FieldKind{FieldText, FieldChoice, FieldNumber} {
		cf := &CustomField{Name: fmt.Sprintf("Field %d", i), Kind: k, Choices: []string{}}
		_, err := db.Insert(cf).Exec(ctx)
		must(err)
	}
	cfg, err := LoadConfig(ctx, db)
	must(err)
	accesses := []policy.Access{policy.Hidden, policy.Read, policy.Edit}
	for _, f := range cfg.Fields() {
		for _, k := range kinds {
			if rng.IntN(3) == 0 {
				continue // keep the default
			}
			_, err := db.Insert(&FieldAccessRow{Field: f, Kind: k, Access: accesses[rng.IntN(3)].String()}).Exec(ctx)
			must(err)
		}
	}
	w.cfg, err = LoadConfig(ctx, db)
	must(err)
	allKinds := []policy.Kind{policy.Member, policy.Guest, policy.Client, policy.ExternalEditor, policy.ExternalEditor, policy.ExternalViewer, policy.ExternalViewer}
	for i := range 16 {
		k := allKinds[rng.IntN(len(allKinds))]
		u := &people.User{Email: fmt.Sprintf("u%d@example.test", i), Name: fmt.Sprintf("User %d", i), Kind: k, Status: people.Active,
			HiddenPages: []policy.Page{}, OwnTicketsOnly: k.External() && rng.IntN(2) == 0, TicketEmails: rng.IntN(5) > 0, CreatedAt: now, UpdatedAt: now}
		_, err := db.Insert(u).Exec(ctx)
		must(err)
		if k.External() {
			cs := pick(w.companies)
			if len(cs) == 0 {
				cs = w.companies[:1]
			}
			for _, c := range cs {
				_, err := db.Insert(&people.UserCompany{UserID: u.ID, CompanyID: c}).Exec(ctx)
				must(err)
			}
			_, err = db.Insert(&people.UserModule{UserID: u.ID, Page: policy.PageTickets, Show: rng.IntN(6) > 0}).Exec(ctx)
			must(err)
		}
		full, err := people.UserByID(ctx, db, u.ID)
		must(err)
		w.users = append(w.users, *full)
	}
	var ids []int64
	for _, u := range w.users {
		ids = append(ids, u.ID)
	}
	for i := range 60 {
		b := w.cfg.Boards[rng.IntN(len(w.cfg.Boards))]
		tk := &Ticket{
			Title: fmt.Sprintf("Ticket %d %s", i, word("title")), Description: word("desc"),
			BoardID: b.ID, CompanyID: w.companies[rng.IntN(len(w.companies))], Status: Statuses[rng.IntN(len(Statuses))],
			Priority: Priorities[rng.IntN(len(Priorities))], Type: Types[rng.IntN(len(Types))],
			TimeSpent: int64(rng.IntN(500)), BillingCode: word("bill"), CreatedAt: now, UpdatedAt: now.Add(time.Duration(rng.IntN(1000)) * time.Second),
		}
		ext := word("ext")
		tk.ExternalID = &ext
		if rng.IntN(8) == 0 {
			tk.CompanyID = 0
		}
		if rng.IntN(4) > 0 {
			c := ids[rng.IntN(len(ids))]
			tk.ContactID = &c
		}
		tk.Number = int64(i + 1)
		_, err := db.Insert(tk).Exec(ctx)
		must(err)
		w.canaries[strings.Fields(tk.Title)[2]] = canary{ticketID: tk.ID, field: policy.FieldTitle}
		w.canaries[tk.Description] = canary{ticketID: tk.ID, field: policy.FieldDescription}
		w.canaries[tk.BillingCode] = canary{ticketID: tk.ID, field: policy.FieldBillingCode}
		w.canaries[ext] = canary{ticketID: tk.ID, field: policy.FieldExternalID}
		var vs []Value
		text := word("custom")
		vs = append(vs, Value{TicketID: tk.ID, FieldID: w.cfg.CustomFields[0].ID, Value: text})
		w.canaries[text] = canary{ticketID: tk.ID, field: w.cfg.CustomFields[0].Key()}
		must(saveValues(ctx, db, tk.ID, vs))
		must(reindex(ctx, db, w.cfg, tk, vs))
		for _, u := range pick(ids) {
			if rng.IntN(3) == 0 {
				_, err := db.Insert(&Watcher{TicketID: tk.ID, UserID: u, CreatedAt: now}).Exec(ctx)
				must(err)
				w.watchers[tk.ID] = append(w.watchers[tk.ID], u)
			}
		}
		for range rng.IntN(4) {
			nt := w.cfg.NoteTypes[rng.IntN(len(w.cfg.NoteTypes))]
			body := word("note")
			note := &Note{TicketID: tk.ID, NoteTypeID: nt.ID, Body: "Note " + body, CreatedAt: now}
			_, err := db.Insert(note).Exec(ctx)
			must(err)
			must(indexNote(ctx, db, note))
			w.canaries[body] = canary{ticketID: tk.ID, noteType: nt.ID}
		}
		w.tickets = append(w.tickets, *tk)
	}
	return w
}

// mayRead reports whether actor a may read canary c, given it sees the ticket.
func mayRead(a policy.Actor, r policy.TicketRules, c canary) bool {
	if c.field != "" {
		return policy.FieldAccess(a, r, c.field) != policy.Hidden
	}
	return policy.CanReadNote(a, r, c.noteType)
}

// leaks returns the canaries in text that actor a may not read there.
func (w *world) leaks(a policy.Actor, text string) []string {
	var out []string
	for word, c := range w.canaries {
		if !strings.Contains(text, word) {
			continue
		}
		tk := w.ticket(c.ticketID)
		if !policy.CanSeeTicket(a, w.cfg.Rules, tk.facts(w.watchers[tk.ID])) || !mayRead(a, w.cfg.Rules, c) {
			out = append(out, word)
		}
	}
	return out
}

func (w *world) ticket(id int64) *Ticket {
	for i := range w.tickets {
		if w.tickets[i].ID == id {
			return &w.tickets[i]
		}
	}
	return nil
}

func describe(u *people.User) string {
	return fmt.Sprintf("user %d (%s, own-only %v, companies %v)", u.ID, u.Kind, u.OwnTicketsOnly, u.Actor().Companies)
}

// checkUser compares the list with the single-ticket check and looks for
// leaks in every view; it returns the number of responses checked.
func checkUser(t *testing.T, ctx context.Context, w *world, u *people.User, a policy.Actor) int {
	t.Helper()
	responses := 0
	var listed []int64
	cursor := ""
	for {
		vs, next, err := List(ctx, w.db, a, w.cfg, Query{}, store.Page{Limit: 7, Cursor: cursor})
		if err != nil {
			t.Fatalf("%s: list: %v", describe(u), err)
		}
		responses++
		if l := w.leaks(a, fmt.Sprintf("%+v", vs)); len(l) > 0 {
			t.Errorf("%s: list leaks %v", describe(u), l)
		}
		for _, v := range vs {
			listed = append(listed, v.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	var want []int64
	for _, tk := range w.tickets {
		if policy.CanSeeTicket(a, w.cfg.Rules, tk.facts(w.watchers[tk.ID])) {
			want = append(want, tk.ID)
		}
		d, err := GetDetail(ctx, w.db, a, w.cfg, tk.ID)
		responses++
		seen := slices.Contains(want, tk.ID)
		switch {
		case seen && err != nil:
			t.Errorf("%s: ticket %d: %v", describe(u), tk.ID, err)
		case !seen && err != ErrNotFound:
			t.Errorf("%s: ticket %d outside the scope answered %v", describe(u), tk.ID, err)
		case seen:
			if l := w.leaks(a, fmt.Sprintf("%+v", *d)); len(l) > 0 {
				t.Errorf("%s: ticket %d leaks %v", describe(u), tk.ID, l)
			}
		}
	}
	slices.Sort(listed)
	slices.Sort(want)
	if !slices.Equal(listed, want) {
		t.Errorf("%s: list %v, single checks %v", describe(u), listed, want)
	}
	if n, err := Count(ctx, w.db, a, w.cfg, Query{}); err != nil || n != len(want) {
		t.Errorf("%s: count %d (%v), want %d", describe(u), n, err, len(want))
	}
	return responses
}

// checkSearches searches every canary as u: a canary is found exactly on
// the tickets u sees where it is in a source u may read.
func checkSearches(t *testing.T, ctx context.Context, w *world, u *people.User, a policy.Actor) int {
	t.Helper()
	n := 0
	for word, c := range w.canaries {
		// Every user searches a third of the canaries (by the canary's
		// number), a different third for the next user.
		if (int(word[len(word)-2])+int(u.ID))%3 != 0 {
			continue
		}
		tk := w.ticket(c.ticketID)
		want := policy.CanSeeTicket(a, w.cfg.Rules, tk.facts(w.watchers[tk.ID])) && mayRead(a, w.cfg.Rules, c)
		vs, _, err := List(ctx, w.db, a, w.cfg, Query{Q: word}, store.Page{Limit: 50})
		if err != nil {
			t.Fatalf("%s: search %s: %v", describe(u), word, err)
		}
		n++
		found := len(vs) == 1 && vs[0].ID == tk.ID
		if found != want || len(vs) > 1 {
			t.Errorf("%s: search %q (%+v) found %d tickets, want found=%v", describe(u), word, c, len(vs), want)
		}
	}
	return n
}

// checkEmails adds notes of every type and changes statuses as a member,
// then reads every queued email: each goes to a contact, watcher or
// assignee who sees the ticket and may read what it tells, and holds no
// canary its recipient may not read.
func checkEmails(t *testing.T, ctx context.Context, w *world, tn *tenant.Tenant, rng *rand.Rand) int {
	t.Helper()
	by := By{Actor: policy.Operator(w.db.TenantID()), Mail: &Mail{Tenant: tn, Base: "https://acme.example.test"}}
	byEmail := map[string]people.User{}
	for _, u := range w.users {
		byEmail[u.Email] = u
	}
	n := 0
	for i := range 30 {
		idx := rng.IntN(len(w.tickets))
		tk := w.tickets[idx]
		before := countMail(t, ctx, w.db)
		var readers func(policy.Actor) bool
		var addable []NoteType
		for _, nt := range w.cfg.NoteTypes {
			if policy.CanAddNote(by.Actor, w.cfg.Rules, nt.ID) {
				addable = append(addable, nt)
			}
		}
		statusEditable := policy.FieldAccess(by.Actor, w.cfg.Rules, policy.FieldStatus) == policy.Edit
		if (i%2 == 0 || !statusEditable) && len(addable) > 0 {
			nt := addable[rng.IntN(len(addable))]
			body := fmt.Sprintf("cnrymail%04dz", i)
			w.canaries[body] = canary{ticketID: tk.ID, noteType: nt.ID}
			if _, err := AddNote(ctx, w.db, by, tk.ID, nt.ID, body); err != nil {
				t.Fatal(err)
			}
			readers = func(a policy.Actor) bool { return policy.CanReadNote(a, w.cfg.Rules, nt.ID) }
		} else if statusEditable {
			s := Statuses[(slices.Index(Statuses, tk.Status)+1)%len(Statuses)]
			if _, err := Update(ctx, w.db, by, tk.ID, Fields{Status: &s}); err != nil {
				t.Fatal(err)
			}
			w.tickets[idx].Status = s
			readers = func(a policy.Actor) bool {
				return policy.FieldAccess(a, w.cfg.Rules, policy.FieldStatus) != policy.Hidden
			}
		} else {
			continue
		}
		var msgs []mail.Message
		if err := w.db.Select(&msgs).Where("ob.id > ?", before).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range msgs {
			n++
			u, ok := byEmail[m.ToAddress]
			if !ok {
				t.Errorf("email to a stranger %s", m.ToAddress)
				continue
			}
			got = append(got, m.ToAddress)
			a := u.Actor()
			if l := w.leaks(a, m.Subject+m.TextBody+m.HTMLBody); len(l) > 0 {
				t.Errorf("email to %s about ticket %d leaks %v", describe(&u), tk.ID, l)
			}
		}
		var want []string
		for _, u := range w.users {
			related := (tk.ContactID != nil && *tk.ContactID == u.ID) || slices.Contains(w.watchers[tk.ID], u.ID)
			a := u.Actor()
			if related && u.TicketEmails && policy.CanSeeTicket(a, w.cfg.Rules, tk.facts(w.watchers[tk.ID])) && readers(a) {
				want = append(want, u.Email)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("ticket %d: emailed %v, want %v", tk.ID, got, want)
		}
	}
	return n
}

func countMail(t *testing.T, ctx context.Context, db *store.Scoped) int64 {
	var id int64
	if err := db.Select((*mail.Message)(nil)).ColumnExpr("COALESCE(MAX(ob.id), 0)").Scan(ctx, &id); err != nil {
		t.Fatal(err)
	}
	return id
}
