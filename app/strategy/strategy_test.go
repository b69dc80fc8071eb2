package strategy_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/markdown"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/strategy"
	"github.com/atrium-portal/atrium/app/valid"
)

var md = markdown.New()

func ptr[T any](v T) *T { return &v }

type world struct {
	d                           *storetest.DB
	db                          *store.Scoped
	linus, hedy, alan, ken, cli policy.Actor
	dora                        int64
	on                          policy.Settings
}

func (w *world) by(a policy.Actor) strategy.By {
	return strategy.By{Actor: a, Who: audit.Who{ActorID: a.UserID}, Settings: w.on}
}

// newWorld is a tenant with a strategy admin (linus), a headlines admin
// (hedy), an admin (alan), a member (ken), a client (carol) and a
// deactivated member (dora).
func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	d := storetest.New(t)
	w := &world{d: d, db: d.Acme, on: policy.AllStrategyPagesOn()}
	mk := func(email, name string, kind policy.Kind, status people.Status, caps ...policy.Capability) policy.Actor {
		u, err := people.CreateUser(ctx, w.db, people.NewUser{Email: email, Name: name, Kind: kind, Status: status, Capabilities: caps})
		if err != nil {
			t.Fatal(err)
		}
		return policy.Actor{UserID: u.ID, TenantID: w.db.TenantID(), Kind: kind, Capabilities: caps}
	}
	w.linus = mk("linus@acme.test", "Linus", policy.Member, people.Active, policy.StrategyAdmin)
	w.hedy = mk("hedy@acme.test", "Hedy", policy.Member, people.Active, policy.HeadlinesAdmin)
	w.alan = mk("alan@acme.test", "Alan", policy.Member, people.Active, policy.Admin)
	w.ken = mk("ken@acme.test", "Ken", policy.Member, people.Active)
	w.cli = mk("carol@globex.test", "Carol", policy.Client, people.Active)
	w.dora = mk("dora@acme.test", "Dora", policy.Member, people.Deactivated).UserID
	return w
}

func auditCount(t *testing.T, w *world, action audit.Action) int {
	t.Helper()
	n, err := w.db.Select((*audit.Entry)(nil)).Where("al.action = ?", action).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestVisionVersions(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)

	empty, err := strategy.Current(ctx, w.db, w.ken, w.on, md, strategy.Vision)
	if err != nil || empty.Version != nil || !empty.Empty() || len(empty.Sections) != 6 || empty.Editable {
		t.Fatalf("the unwritten vision for ken: %+v, %v", empty, err)
	}
	v1, err := strategy.Save(ctx, w.db, md, w.by(w.linus), strategy.Vision, strategy.SaveInput{
		Sections: map[string]string{"core_values": "## Own it\n\n<script>alert(1)</script>", "core_focus": "Managed IT"}, Base: ptr(0)})
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version.Number != 1 || v1.Version.Author.Name != "Linus" || !v1.Editable {
		t.Errorf("version 1: %+v", v1.Version)
	}
	if h := v1.Sections[0].HTML; !strings.Contains(h, "<h2") || strings.Contains(h, "<script") {
		t.Errorf("core values rendered as %q", h)
	}
	// A section not named keeps its text; the same text again stores nothing.
	v2, err := strategy.Save(ctx, w.db, md, w.by(w.linus), strategy.Vision, strategy.SaveInput{Sections: map[string]string{"core_focus": "Managed IT and security"}, Base: ptr(1)})
	if err != nil || v2.Version.Number != 2 || v2.Sections[0].Body == "" || v2.Sections[1].Body != "Managed IT and security" {
		t.Fatalf("version 2: %+v, %v", v2, err)
	}
	same, err := strategy.Save(ctx, w.db, md, w.by(w.linus), strategy.Vision, strategy.SaveInput{Sections: map[string]string{"core_focus": "Managed IT and security"}})
	if err != nil || same.Version.Number != 2 {
		t.Errorf("an unchanged save: %+v, %v", same, err)
	}
	if n := auditCount(t, w, audit.StrategySave); n != 2 {
		t.Errorf("%d strategy.save records, want 2", n)
	}
	// Starting from version 1 again is a conflict.
	if _, err := strategy.Save(ctx, w.db, md, w.by(w.linus), strategy.Vision, strategy.SaveInput{Sections: map[string]string{"core_focus": "x"}, Base: ptr(1)}); !errors.Is(err, strategy.ErrConflict) {
		t.Errorf("a save from an old version: %v", err)
	}
	hist, next, err := strategy.Versions(ctx, w.db, w.ken, w.on, strategy.Vision, store.Page{Limit: 1})
	if err != nil || len(hist) != 1 || hist[0].Number != 2 || next == "" {
		t.Fatalf("history page 1: %+v %q %v", hist, next, err)
	}
	hist, next, err = strategy.Versions(ctx, w.db, w.ken, w.on, strategy.Vision, store.Page{Limit: 1, Cursor: next})
	if err != nil || len(hist) != 1 || hist[0].Number != 1 || next != "" {
		t.Fatalf("history page 2: %+v %q %v", hist, next, err)
	}
	old, err := strategy.VersionOf(ctx, w.db, w.ken, w.on, md, strategy.Vision, hist[0].ID)
	if err != nil || old.Current || old.Sections[1].Body != "Managed IT" {
		t.Errorf("version 1 read back: %+v %v", old, err)
	}
	// A version of another document is not found.
	if _, err := strategy.VersionOf(ctx, w.db, w.ken, w.on, md, strategy.Why, hist[0].ID); !errors.Is(err, strategy.ErrNotFound) {
		t.Errorf("the vision's version as a why version: %v", err)
	}

	for _, c := range []struct {
		name string
		a    policy.Actor
		in   map[string]string
		want error
	}{
		{"ken is no strategy admin", w.ken, map[string]string{"core_focus": "x"}, strategy.ErrForbidden},
		{"hedy is no strategy admin", w.hedy, map[string]string{"core_focus": "x"}, strategy.ErrForbidden},
		{"a client has no vision", w.cli, map[string]string{"core_focus": "x"}, strategy.ErrNotFound},
	} {
		if _, err := strategy.Save(ctx, w.db, md, w.by(c.a), strategy.Vision, strategy.SaveInput{Sections: c.in}); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	for _, in := range []map[string]string{
		{"core_focus": strings.Repeat("x", strategy.MaxBody+1)},
		{"mission": "x"},
		{"core_focus": "a\x00b"},
	} {
		_, err := strategy.Save(ctx, w.db, md, w.by(w.linus), strategy.Vision, strategy.SaveInput{Sections: in})
		var ve valid.Errors
		if !errors.As(err, &ve) {
			t.Errorf("save %.40q: %v, want field errors", in, err)
		}
	}
	if _, err := strategy.Current(ctx, w.db, w.cli, w.on, md, strategy.Vision); !errors.Is(err, strategy.ErrNotFound) {
		t.Errorf("carol reads the vision: %v", err)
	}
}

func TestWhyTurnedOff(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	if _, err := strategy.Save(ctx, w.db, md, w.by(w.linus), strategy.Why, strategy.SaveInput{Sections: map[string]string{"body": "We exist to keep small firms running."}}); err != nil {
		t.Fatal(err)
	}
	off := policy.Settings{DirectionEnabled: true}
	if _, err := strategy.Current(ctx, w.db, w.ken, off, md, strategy.Why); !errors.Is(err, strategy.ErrNotFound) {
		t.Errorf("the why page turned off, ken reads it: %v", err)
	}
	by := w.by(w.linus)
	by.Settings = off
	if _, err := strategy.Save(ctx, w.db, md, by, strategy.Why, strategy.SaveInput{Sections: map[string]string{"body": "x"}}); !errors.Is(err, strategy.ErrNotFound) {
		t.Errorf("the why page turned off, linus saves it: %v", err)
	}
	if v, err := strategy.Current(ctx, w.db, w.ken, off, md, strategy.Direction); err != nil || v.Version != nil {
		t.Errorf("direction stays: %+v %v", v, err)
	}
}

func TestHeadlines(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	dora := policy.Actor{UserID: w.dora, TenantID: w.db.TenantID(), Kind: policy.Member, Capabilities: []policy.Capability{policy.HeadlinesAdmin}}
	// Dora wrote a headline before she was deactivated.
	old, err := strategy.CreateHeadline(ctx, w.db, md, w.by(dora), strategy.HeadlineInput{Title: ptr("Welcome")})
	if err != nil {
		t.Fatal(err)
	}
	h, err := strategy.CreateHeadline(ctx, w.db, md, w.by(w.hedy), strategy.HeadlineInput{Title: ptr("  Q4 kickoff  "), Body: ptr("**Monday** <script>x()</script>")})
	if err != nil {
		t.Fatal(err)
	}
	if h.Title != "Q4 kickoff" || !strings.Contains(h.HTML, "<strong>Monday</strong>") || strings.Contains(h.HTML, "<script") || h.Author.Name != "Hedy" {
		t.Errorf("created: %+v", h)
	}
	list, next, err := strategy.Headlines(ctx, w.db, w.ken, md, store.Page{})
	if err != nil || len(list) != 2 || next != "" || list[0].ID != h.ID || list[1].ID != old.ID {
		t.Fatalf("ken's list: %+v %v", list, err)
	}
	if a := list[1].Author; a == nil || a.Name != "Dora" || !a.Deactivated || list[0].Editable {
		t.Errorf("dora's headline for ken: %+v", list[1])
	}
	if _, err := strategy.UpdateHeadline(ctx, w.db, md, w.by(w.hedy), h.ID, strategy.HeadlineInput{Title: ptr("")}); err == nil {
		t.Error("an empty title was saved")
	}
	if _, err := strategy.UpdateHeadline(ctx, w.db, md, w.by(w.hedy), h.ID, strategy.HeadlineInput{Title: ptr(strings.Repeat("x", strategy.MaxHeadlineTitle+1))}); err == nil {
		t.Error("a long title was saved")
	}
	got, err := strategy.UpdateHeadline(ctx, w.db, md, w.by(w.hedy), h.ID, strategy.HeadlineInput{Title: ptr("Q4 kickoff on Monday")})
	if err != nil || got.Title != "Q4 kickoff on Monday" || got.Body == "" {
		t.Errorf("changed: %+v %v", got, err)
	}
	for _, a := range []policy.Actor{w.ken, w.linus, w.alan} {
		if _, err := strategy.CreateHeadline(ctx, w.db, md, w.by(a), strategy.HeadlineInput{Title: ptr("x")}); !errors.Is(err, strategy.ErrForbidden) {
			t.Errorf("user %d writes a headline: %v", a.UserID, err)
		}
	}
	if _, err := strategy.GetHeadline(ctx, w.db, w.cli, md, h.ID); !errors.Is(err, strategy.ErrNotFound) {
		t.Errorf("carol reads a headline: %v", err)
	}
	if err := strategy.DeleteHeadline(ctx, w.db, w.by(w.hedy), h.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := strategy.GetHeadline(ctx, w.db, w.ken, md, h.ID); !errors.Is(err, strategy.ErrNotFound) {
		t.Errorf("a deleted headline: %v", err)
	}
	for action, want := range map[audit.Action]int{audit.HeadlineCreate: 2, audit.HeadlineChange: 1, audit.HeadlineDelete: 1} {
		if n := auditCount(t, w, action); n != want {
			t.Errorf("%d %s records, want %d", n, action, want)
		}
	}
}

// TestOtherTenant: a headline, a version and a seat of another tenant are
// not found, and its canary text never reaches this tenant's lists.
func TestOtherTenant(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	const canary = "CANARY-STRAT-41c9"
	other := w.d.DB.Tenant(w.d.NewTenant(t, "globex-it").ID)
	u, err := people.CreateUser(ctx, other, people.NewUser{Email: "boss@globex-it.test", Name: "Boss", Kind: policy.Member, Status: people.Active, Capabilities: []policy.Capability{policy.SuperAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	boss := policy.Actor{UserID: u.ID, TenantID: other.TenantID(), Kind: policy.Member, Capabilities: []policy.Capability{policy.SuperAdmin}}
	by := strategy.By{Actor: boss, Settings: w.on}
	h, err := strategy.CreateHeadline(ctx, other, md, by, strategy.HeadlineInput{Title: ptr(canary)})
	if err != nil {
		t.Fatal(err)
	}
	v, err := strategy.Save(ctx, other, md, by, strategy.Vision, strategy.SaveInput{Sections: map[string]string{"core_focus": canary}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := strategy.SaveSeat(ctx, other, by, 0, strategy.SeatInput{Title: ptr(canary)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strategy.GetHeadline(ctx, w.db, w.ken, md, h.ID); !errors.Is(err, strategy.ErrNotFound) {
		t.Errorf("another tenant's headline: %v", err)
	}
	if _, err := strategy.VersionOf(ctx, w.db, w.ken, w.on, md, strategy.Vision, v.Version.ID); !errors.Is(err, strategy.ErrNotFound) {
		t.Errorf("another tenant's version: %v", err)
	}
	if _, err := strategy.GetSeat(ctx, w.db, w.ken, s.ID); !errors.Is(err, strategy.ErrNotFound) {
		t.Errorf("another tenant's seat: %v", err)
	}
	if err := strategy.DeleteHeadline(ctx, w.db, w.by(w.hedy), h.ID); !errors.Is(err, strategy.ErrNotFound) {
		t.Errorf("deleting another tenant's headline: %v", err)
	}
	if _, err := strategy.SaveSeat(ctx, w.db, w.by(w.alan), 0, strategy.SeatInput{Title: ptr("x"), ParentID: ptr(s.ID)}); err == nil {
		t.Error("a seat reports to another tenant's seat")
	}
	list, _, _ := strategy.Headlines(ctx, w.db, w.ken, md, store.Page{})
	cur, _ := strategy.Current(ctx, w.db, w.ken, w.on, md, strategy.Vision)
	chart, _ := strategy.LoadChart(ctx, w.db, w.ken)
	for _, x := range []any{list, cur.Sections, chart.Seats} {
		if strings.Contains(strings.ReplaceAll(fmtAny(x), " ", ""), canary) {
			t.Errorf("the canary leaked: %v", x)
		}
	}
}

func fmtAny(x any) string {
	var b strings.Builder
	switch v := x.(type) {
	case []strategy.HeadlineView:
		for _, h := range v {
			b.WriteString(h.Title + h.Body)
		}
	case []strategy.SectionView:
		for _, s := range v {
			b.WriteString(s.Body)
		}
	case []*strategy.SeatView:
		for _, s := range v {
			b.WriteString(s.Title)
		}
	}
	return b.String()
}

func TestRolesChart(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	save := func(id int64, in strategy.SeatInput) (*strategy.SeatView, error) {
		return strategy.SaveSeat(ctx, w.db, w.by(w.alan), id, in)
	}
	top, err := save(0, strategy.SeatInput{Title: ptr("Visionary"), Roles: ptr([]string{"Ideas", " ", "Culture"}), PersonIDs: ptr([]int64{w.linus.UserID})})
	if err != nil {
		t.Fatal(err)
	}
	mid, err := save(0, strategy.SeatInput{Title: ptr("Integrator"), ParentID: ptr(top.ID), PersonIDs: ptr([]int64{w.alan.UserID, w.ken.UserID})})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := save(0, strategy.SeatInput{Title: ptr("Operations"), ParentID: ptr(mid.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if len(top.Roles) != 2 || len(top.People) != 1 || top.People[0].Name != "Linus" || len(mid.People) != 2 {
		t.Errorf("seats: %+v %+v", top, mid)
	}
	for name, in := range map[string]strategy.SeatInput{
		"itself":          {ParentID: ptr(mid.ID)},
		"below":           {ParentID: ptr(leaf.ID)},
		"no such":         {ParentID: ptr(int64(99999))},
		"a client":        {PersonIDs: ptr([]int64{w.cli.UserID})},
		"a deactivated":   {PersonIDs: ptr([]int64{w.dora})},
		"no title":        {Title: ptr(" ")},
		"a long role":     {Roles: ptr([]string{strings.Repeat("r", strategy.MaxRole+1)})},
		"a two-line role": {Roles: ptr([]string{"a\nb"})},
	} {
		_, err := save(mid.ID, in)
		var ve valid.Errors
		if !errors.As(err, &ve) {
			t.Errorf("%s: %v, want field errors", name, err)
		}
	}
	for _, a := range []policy.Actor{w.ken, w.linus, w.hedy} {
		if _, err := strategy.SaveSeat(ctx, w.db, w.by(a), 0, strategy.SeatInput{Title: ptr("x")}); !errors.Is(err, strategy.ErrForbidden) {
			t.Errorf("user %d adds a seat: %v", a.UserID, err)
		}
	}
	if _, err := strategy.LoadChart(ctx, w.db, w.cli); !errors.Is(err, strategy.ErrNotFound) {
		t.Errorf("carol reads the chart: %v", err)
	}
	// Removing the integrator moves operations up to the visionary.
	if err := strategy.DeleteSeat(ctx, w.db, w.by(w.alan), mid.ID); err != nil {
		t.Fatal(err)
	}
	c, err := strategy.LoadChart(ctx, w.db, w.ken)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Roots) != 1 || len(c.Roots[0].Children) != 1 || c.Roots[0].Children[0].Title != "Operations" || c.Editable || len(c.Seats) != 2 {
		t.Errorf("the chart after removing the integrator: %+v", c)
	}
	if n := auditCount(t, w, audit.SeatChange); n != 4 {
		t.Errorf("%d roles chart records, want 4", n)
	}
}
