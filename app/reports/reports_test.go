package reports_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/markdown"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/reports"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
)

const canary = "Globex margin fell"

var md = markdown.New()

func seedDemo(t *testing.T) (*store.Scoped, func(email string) policy.Actor) {
	t.Helper()
	ctx := context.Background()
	d := storetest.New(t)
	if err := demo.Seed(ctx, d.DB, tenant.NewStore(d.DB)); err != nil {
		t.Fatal(err)
	}
	acme, err := tenant.NewStore(d.DB).BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	db := d.DB.Tenant(acme.ID)
	return db, func(email string) policy.Actor {
		u, err := people.UserByEmail(ctx, db, email)
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
}

func reportID(t *testing.T, db *store.Scoped, title string) int64 {
	t.Helper()
	var id int64
	if err := db.Select((*reports.Report)(nil)).Column("r.id").Where("r.title = ?", title).Scan(context.Background(), &id); err != nil {
		t.Fatalf("report %q: %v", title, err)
	}
	return id
}

func partTitles(v *reports.View) string {
	var out []string
	for _, p := range v.Parts {
		out = append(out, p.Title)
	}
	return strings.Join(out, ", ")
}

// TestDemoReportsAsEachReader: SPEC §15's report read by every demo user
// through the one View; internal parts reach members only.
func TestDemoReportsAsEachReader(t *testing.T) {
	ctx := context.Background()
	db, actor := seedDemo(t)
	qbr := reportID(t, db, "Globex Q3 QBR")
	draft := reportID(t, db, "Globex Q4 QBR")
	all := "Executive summary, Ticket summary, Rocks status, Margin analysis"
	shared := "Executive summary, Ticket summary, Rocks status"
	for _, c := range []struct {
		email, parts string
		draft        bool
		list         int
	}{
		{"ada@acme.test", all, true, 3},
		{"ken@acme.test", all, true, 3},
		{"erin@globex.test", shared, false, 2},
		{"victor@globex.test", shared, false, 2},
		{"oscar@initech.test", "", false, 0},
		{"carol@globex.test", "", false, 0},
		{"gina@guest.test", "", false, 0},
	} {
		a := actor(c.email)
		v, err := reports.Get(ctx, db, a, md, qbr)
		if c.parts == "" {
			if !errors.Is(err, reports.ErrNotFound) {
				t.Errorf("%s opens the QBR: %v", c.email, err)
			}
		} else if err != nil {
			t.Fatalf("%s: %v", c.email, err)
		} else {
			if got := partTitles(v); got != c.parts {
				t.Errorf("%s reads %q, want %q", c.email, got, c.parts)
			}
			for _, p := range v.Parts {
				if strings.Contains(p.HTML+p.Body, canary) != (c.parts == all && p.InternalOnly) {
					t.Errorf("%s: canary in %q: %v", c.email, p.Title, strings.Contains(p.HTML+p.Body, canary))
				}
			}
			if v.CanEdit != (c.parts == all) {
				t.Errorf("%s may edit: %v", c.email, v.CanEdit)
			}
		}
		_, err = reports.Get(ctx, db, a, md, draft)
		if (err == nil) != c.draft {
			t.Errorf("%s opens the draft: %v", c.email, err)
		}
		vs, _, err := reports.List(ctx, db, a, reports.Query{}, store.Page{})
		if err != nil || len(vs) != c.list {
			t.Errorf("%s lists %d reports (%v), want %d", c.email, len(vs), err, c.list)
		}
		n, err := reports.Count(ctx, db, a, reports.Query{})
		if err != nil || n != c.list {
			t.Errorf("%s counts %d (%v), want %d", c.email, n, err, c.list)
		}
	}
	// The rocks rows and the markdown.
	v, err := reports.Get(ctx, db, actor("victor@globex.test"), md, qbr)
	if err != nil {
		t.Fatal(err)
	}
	if rk := v.Parts[2].Rocks; len(rk) != 2 || rk[1].Owner != "Ken Thompson" || rk[1].Status != reports.OffTrack {
		t.Errorf("rocks rows: %+v", rk)
	}
	if !strings.Contains(v.Parts[0].HTML, "<strong>Globex</strong>") {
		t.Errorf("markdown: %s", v.Parts[0].HTML)
	}
}

// TestPreviewIsTheViewersView: the editor's preview leaves out exactly the
// internal parts, also of a draft, and only an editor may ask for it.
func TestPreviewIsTheViewersView(t *testing.T) {
	ctx := context.Background()
	db, actor := seedDemo(t)
	qbr := reportID(t, db, "Globex Q3 QBR")
	v, err := reports.Preview(ctx, db, actor("ken@acme.test"), md, qbr)
	if err != nil {
		t.Fatal(err)
	}
	viewer, err := reports.Get(ctx, db, actor("victor@globex.test"), md, qbr)
	if err != nil {
		t.Fatal(err)
	}
	if partTitles(v) != partTitles(viewer) || v.CanEdit {
		t.Errorf("preview %q (edit %v), viewer %q", partTitles(v), v.CanEdit, partTitles(viewer))
	}
	if _, err := reports.Preview(ctx, db, actor("ken@acme.test"), md, reportID(t, db, "Globex Q4 QBR")); err != nil {
		t.Errorf("preview of a draft: %v", err)
	}
	if _, err := reports.Preview(ctx, db, actor("erin@globex.test"), md, qbr); !errors.Is(err, reports.ErrForbidden) {
		t.Errorf("erin previews: %v", err)
	}
}

// TestWrites: members write; every write is recorded; externals are refused.
func TestWrites(t *testing.T) {
	ctx := context.Background()
	db, actor := seedDemo(t)
	ken := reports.By{Actor: actor("ken@acme.test"), Who: audit.Who{ActorID: actor("ken@acme.test").UserID}}
	var globex int64
	if err := db.Select((*people.Company)(nil)).Column("id").Where("name = ?", "Globex Corporation").Scan(ctx, &globex); err != nil {
		t.Fatal(err)
	}
	str := func(s string) *string { return &s }
	_, err := reports.Create(ctx, db, md, ken, reports.Fields{CompanyID: &globex, Title: str("x"), PeriodStart: str("2026-10-01"), PeriodEnd: str("2026-09-01")})
	var ve valid.Errors
	if !errors.As(err, &ve) || ve["period_end"] == "" {
		t.Errorf("backward period: %v", err)
	}
	v, err := reports.Create(ctx, db, md, ken, reports.Fields{CompanyID: &globex, Title: str(" November "), PeriodStart: str("2026-11-01"), PeriodEnd: str("2026-11-30")})
	if err != nil || v.Title != "November" || v.Status != reports.Draft {
		t.Fatalf("create: %+v %v", v, err)
	}
	yes := true
	v, p, err := reports.AddPart(ctx, db, md, ken, v.ID, reports.KindText, reports.PartFields{Title: str("Secret"), InternalOnly: &yes, Body: str("CANARYx1")})
	if err != nil || p == nil || !p.InternalOnly {
		t.Fatalf("add part: %v %+v", err, p)
	}
	rows := []reports.MetricRow{{Label: "Uptime", Value: "99.9%"}}
	v, m, err := reports.AddPart(ctx, db, md, ken, v.ID, reports.KindMetrics, reports.PartFields{Metrics: &rows})
	if err != nil || m.Title != "Metrics table" || len(m.Metrics) != 1 {
		t.Fatalf("add metrics: %v %+v", err, m)
	}
	if _, _, err := reports.AddPart(ctx, db, md, ken, v.ID, reports.KindChart, reports.PartFields{Body: str("x")}); !errors.As(err, &ve) {
		t.Errorf("chart with a body: %v", err)
	}
	v, err = reports.MovePart(ctx, db, md, ken, v.ID, m.ID, true)
	if err != nil || partTitles(v) != "Metrics table, Secret" {
		t.Fatalf("move: %v %q", err, partTitles(v))
	}
	pub := reports.Published
	if v, err = reports.Update(ctx, db, md, ken, v.ID, reports.Fields{Status: &pub}); err != nil {
		t.Fatal(err)
	}
	victor := actor("victor@globex.test")
	seen, err := reports.Get(ctx, db, victor, md, v.ID)
	if err != nil || partTitles(seen) != "Metrics table" {
		t.Errorf("victor reads %v %v", seen, err)
	}
	erin := reports.By{Actor: actor("erin@globex.test")}
	if _, err := reports.Update(ctx, db, md, erin, v.ID, reports.Fields{Title: str("mine")}); !errors.Is(err, reports.ErrForbidden) {
		t.Errorf("erin changes a report: %v", err)
	}
	if _, _, err := reports.AddPart(ctx, db, md, erin, v.ID, reports.KindText, reports.PartFields{}); !errors.Is(err, reports.ErrForbidden) {
		t.Errorf("erin adds a part: %v", err)
	}
	if _, err := reports.Create(ctx, db, md, erin, reports.Fields{CompanyID: &globex, Title: str("x"), PeriodStart: str("2026-11-01"), PeriodEnd: str("2026-11-30")}); !errors.Is(err, reports.ErrForbidden) {
		t.Errorf("erin creates: %v", err)
	}
	if v, err = reports.DeletePart(ctx, db, md, ken, v.ID, p.ID); err != nil || partTitles(v) != "Metrics table" {
		t.Errorf("delete part: %v", err)
	}
	if err := reports.Delete(ctx, db, ken, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := reports.Get(ctx, db, ken.Actor, md, v.ID); !errors.Is(err, reports.ErrNotFound) {
		t.Errorf("deleted report: %v", err)
	}
	var actions []string
	if err := db.Select((*audit.Entry)(nil)).Column("action").Where("object_type = ?", "report").OrderExpr("id").Scan(ctx, &actions); err != nil {
		t.Fatal(err)
	}
	want := "report.create report.change report.change report.change report.publish report.change report.delete"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audit: %s\nwant   %s", got, want)
	}
}

// TestLimits: the part count, text length and rows are bounded.
func TestLimits(t *testing.T) {
	ctx := context.Background()
	db, actor := seedDemo(t)
	ken := reports.By{Actor: actor("ken@acme.test")}
	id := reportID(t, db, "Globex Q4 QBR")
	long := strings.Repeat("x", reports.MaxText+1)
	var ve valid.Errors
	if _, _, err := reports.AddPart(ctx, db, md, ken, id, reports.KindText, reports.PartFields{Body: &long}); !errors.As(err, &ve) {
		t.Errorf("long text: %v", err)
	}
	rows := make([]reports.MetricRow, reports.MaxRows+1)
	for i := range rows {
		rows[i].Label = "x"
	}
	if _, _, err := reports.AddPart(ctx, db, md, ken, id, reports.KindMetrics, reports.PartFields{Metrics: &rows}); !errors.As(err, &ve) {
		t.Errorf("too many rows: %v", err)
	}
	for i := 1; i < reports.MaxParts; i++ {
		if _, _, err := reports.AddPart(ctx, db, md, ken, id, reports.KindChart, reports.PartFields{}); err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
	}
	if _, _, err := reports.AddPart(ctx, db, md, ken, id, reports.KindChart, reports.PartFields{}); !errors.As(err, &ve) {
		t.Errorf("part %d: %v", reports.MaxParts+1, err)
	}
}

func TestLines(t *testing.T) {
	rows, err := reports.ParseRockLines("Roll out MFA | Ken | off track\n\nMail | Carol\n")
	if err != nil || len(rows) != 2 || rows[0].Status != reports.OffTrack || rows[1].Status != reports.OnTrack {
		t.Fatalf("%+v %v", rows, err)
	}
	if _, err := reports.ParseRockLines("a | b | sideways"); err == nil {
		t.Error("unknown status accepted")
	}
	m, err := reports.ParseMetricLines(reports.MetricLines([]reports.MetricRow{{Label: "A", Value: "1", Target: "2"}, {Label: "B", Value: "3"}}))
	if err != nil || len(m) != 2 || m[0].Target != "2" || m[1].Target != "" {
		t.Errorf("round trip: %+v %v", m, err)
	}
	back, _ := reports.ParseRockLines(reports.RockLines(rows))
	if len(back) != 2 || back[0] != rows[0] {
		t.Errorf("rock round trip: %+v", back)
	}
}

// TestTicketCounts: the service review counts Globex's six tickets on the
// boards its users see, week by week; the Q3 QBR's period has none.
func TestTicketCounts(t *testing.T) {
	ctx := context.Background()
	db, actor := seedDemo(t)
	v, err := reports.Get(ctx, db, actor("victor@globex.test"), md, reportID(t, db, "Globex service review"))
	if err != nil {
		t.Fatal(err)
	}
	var chart, summary *reports.PartView
	for i := range v.Parts {
		switch v.Parts[i].Kind {
		case reports.KindChart:
			chart = &v.Parts[i]
		case reports.KindTicketSummary:
			summary = &v.Parts[i]
		}
	}
	if chart == nil || summary == nil {
		t.Fatalf("parts: %s", partTitles(v))
	}
	a := summary.Tickets
	opened, byStatus, byPriority := 0, 0, 0
	for _, w := range a.Weeks {
		opened += w.Opened
	}
	for _, n := range a.ByStatus {
		byStatus += n
	}
	for _, n := range a.ByPriority {
		byPriority += n
	}
	if a.Opened != 6 || opened != 6 || byStatus != 6 || byPriority != 6 || len(a.Weeks) < 8 || len(a.Weeks) > 9 {
		t.Errorf("activity: opened %d, weeks %d (%d opened), by status %d, by priority %d", a.Opened, len(a.Weeks), opened, byStatus, byPriority)
	}
	for i, w := range a.Weeks {
		if i > 0 && w.Start.Weekday() != 1 {
			t.Errorf("week %d starts on %s", i, w.Start.Weekday())
		}
	}
	q, err := reports.Get(ctx, db, actor("victor@globex.test"), md, reportID(t, db, "Globex Q3 QBR"))
	if err != nil {
		t.Fatal(err)
	}
	if q.Parts[1].Tickets == nil || q.Parts[1].Tickets.Opened != 0 || len(q.Parts[1].Tickets.Weeks) != 14 {
		t.Errorf("Q3 activity: %+v", q.Parts[1].Tickets)
	}
}
