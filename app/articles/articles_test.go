package articles_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/articles"
	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/markdown"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/valid"
)

var md = markdown.New()

type world struct {
	db              *store.Scoped
	ada, erin, ivy  policy.Actor
	globex, initech int64
	ids             map[string]int64
	cats            map[string]int64
}

func ptr[T any](v T) *T { return &v }

// newWorld is a tenant with a member (ada), an external editor of Globex
// with the knowledge base shown (erin), one of Initech (ivy), and the
// articles of the demo: two for every company, one for Globex, an internal
// runbook, and a draft for every company.
func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	d := storetest.New(t)
	db := d.Acme
	u, err := people.CreateUser(ctx, db, people.NewUser{Email: "ada@acme.test", Name: "Ada", Kind: policy.Member, Status: people.Active})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, ids: map[string]int64{}, cats: map[string]int64{}}
	for _, name := range []string{"Globex Corporation", "Initech"} {
		c := &people.Company{Name: name}
		if _, err := db.Insert(c).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if w.globex == 0 {
			w.globex = c.ID
		} else {
			w.initech = c.ID
		}
	}
	kb := map[policy.Page]policy.Module{policy.PageExternalContent: {Show: true, Label: "Knowledge Base"}}
	w.ada = policy.Actor{UserID: u.ID, TenantID: db.TenantID(), Kind: policy.Member}
	w.erin = policy.Actor{UserID: 900, TenantID: db.TenantID(), Kind: policy.ExternalEditor, Modules: kb, Companies: []int64{w.globex}}
	w.ivy = policy.Actor{UserID: 901, TenantID: db.TenantID(), Kind: policy.ExternalViewer, Modules: kb, Companies: []int64{w.initech}}
	by := articles.By{Actor: w.ada, Who: audit.Who{ActorID: u.ID}}
	for _, name := range []string{"Getting started", "Security"} {
		c, err := articles.CreateCategory(ctx, db, by, name)
		if err != nil {
			t.Fatal(err)
		}
		w.cats[name] = c.ID
	}
	for _, a := range []struct {
		title, body, cat string
		aud              policy.Audience
		companies        []int64
		published        bool
	}{
		{"How to reach the service desk", "Call us or open a ticket.", "Getting started", policy.AudienceAll, nil, true},
		{"Set up MFA on your phone", "Install an authenticator app.", "Security", policy.AudienceAll, nil, true},
		{"Globex VPN setup guide", "Connect to vpn.globex.example with the client.", "Security", policy.AudienceCompanies, []int64{w.globex}, true},
		{"On-call runbook", "Page the escalation pager; the zanzibar procedure applies.", "", policy.AudienceInternal, nil, true},
		{"Printer tips", "A draft nobody outside should read.", "", policy.AudienceAll, nil, false},
	} {
		in := articles.Input{Title: ptr(a.title), Body: ptr(a.body), Audience: ptr(a.aud), Published: ptr(a.published)}
		if a.cat != "" {
			in.CategoryID = ptr(w.cats[a.cat])
		}
		if a.companies != nil {
			in.CompanyIDs = ptr(a.companies)
		}
		v, err := articles.Create(ctx, db, md, by, in)
		if err != nil {
			t.Fatalf("create %q: %v", a.title, err)
		}
		w.ids[a.title] = v.ID
	}
	return w
}

func (w *world) by() articles.By {
	return articles.By{Actor: w.ada, Who: audit.Who{ActorID: w.ada.UserID}}
}

func titles(t *testing.T, w *world, a policy.Actor, q articles.Query) []string {
	t.Helper()
	vs, next, err := articles.List(context.Background(), w.db, a, q, store.Page{Limit: 200})
	if err != nil || next != "" {
		t.Fatalf("list: %v %q", err, next)
	}
	n, err := articles.Count(context.Background(), w.db, a, q)
	if err != nil || n != len(vs) {
		t.Fatalf("count %d for %d rows: %v", n, len(vs), err)
	}
	var out []string
	for _, v := range vs {
		out = append(out, v.Title)
		if a.Kind != policy.Member && (v.Editable || v.Body != "" || v.Audience != "" || v.Companies != nil) {
			t.Errorf("%s: an external reader got the source or sharing of %q", v.Title, v.Title)
		}
	}
	slices.Sort(out)
	return out
}

func TestVisibility(t *testing.T) {
	w := newWorld(t)
	guest := policy.Actor{UserID: 902, TenantID: w.db.TenantID(), Kind: policy.Guest}
	hidden := w.erin
	hidden.Modules = map[policy.Page]policy.Module{policy.PageExternalContent: {Show: false}}
	for _, tt := range []struct {
		name  string
		actor policy.Actor
		q     articles.Query
		want  []string
	}{
		{"member sees all", w.ada, articles.Query{}, []string{"Globex VPN setup guide", "How to reach the service desk", "On-call runbook", "Printer tips", "Set up MFA on your phone"}},
		{"globex sees shared and its own", w.erin, articles.Query{}, []string{"Globex VPN setup guide", "How to reach the service desk", "Set up MFA on your phone"}},
		{"initech sees shared only", w.ivy, articles.Query{}, []string{"How to reach the service desk", "Set up MFA on your phone"}},
		{"module hidden sees none", hidden, articles.Query{}, nil},
		{"guest sees none", guest, articles.Query{}, nil},
		{"category", w.erin, articles.Query{CategoryID: w.cats["Security"]}, []string{"Globex VPN setup guide", "Set up MFA on your phone"}},
		{"search word", w.erin, articles.Query{Q: "vpn"}, []string{"Globex VPN setup guide"}},
		{"search prefix", w.erin, articles.Query{Q: "authentic"}, []string{"Set up MFA on your phone"}},
		{"search internal word as member", w.ada, articles.Query{Q: "zanzibar"}, []string{"On-call runbook"}},
		{"search internal word as external", w.erin, articles.Query{Q: "zanzibar"}, nil},
		{"search draft word as external", w.erin, articles.Query{Q: "draft"}, nil},
		{"search Globex word as Initech", w.ivy, articles.Query{Q: "globex"}, nil},
		{"search operators are words", w.ada, articles.Query{Q: `vpn OR "zanzibar" NEAR(`}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := titles(t, w, tt.actor, tt.q); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGetThroughScope(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for _, tt := range []struct {
		actor policy.Actor
		title string
		found bool
	}{
		{w.erin, "Globex VPN setup guide", true},
		{w.erin, "On-call runbook", false},
		{w.erin, "Printer tips", false},
		{w.ivy, "Globex VPN setup guide", false},
		{w.ada, "On-call runbook", true},
	} {
		v, err := articles.Get(ctx, w.db, tt.actor, md, w.ids[tt.title])
		if tt.found && (err != nil || v.Title != tt.title || v.HTML == "") {
			t.Errorf("%d reads %q: %v", tt.actor.UserID, tt.title, err)
		}
		if !tt.found && !errors.Is(err, articles.ErrNotFound) {
			t.Errorf("%d reads %q: %v, want not found", tt.actor.UserID, tt.title, err)
		}
	}
	v, err := articles.Get(ctx, w.db, w.ada, md, w.ids["Globex VPN setup guide"])
	if err != nil || v.AudienceText() != "Globex Corporation" || !v.Editable || v.Category.Name != "Security" {
		t.Errorf("member's view: %+v %v", v, err)
	}
}

func TestOtherTenant(t *testing.T) {
	ctx := context.Background()
	d := storetest.New(t)
	other := d.NewTenant(t, "northwind")
	// An article of one tenant read through another tenant's handle.
	u, err := people.CreateUser(ctx, d.Acme, people.NewUser{Email: "x@acme.test", Name: "X", Kind: policy.Member, Status: people.Active})
	if err != nil {
		t.Fatal(err)
	}
	ada := policy.Actor{UserID: u.ID, TenantID: d.Acme.TenantID(), Kind: policy.Member}
	v, err := articles.Create(ctx, d.Acme, md, articles.By{Actor: ada}, articles.Input{Title: ptr("Acme only"), Audience: ptr(policy.AudienceAll), Published: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	nw := d.DB.Tenant(other.ID)
	nina := policy.Actor{UserID: u.ID, TenantID: other.ID, Kind: policy.Member}
	if _, err := articles.Get(ctx, nw, nina, md, v.ID); !errors.Is(err, articles.ErrNotFound) {
		t.Errorf("another tenant's article: %v", err)
	}
	if _, err := articles.Get(ctx, nw, ada, md, v.ID); !errors.Is(err, articles.ErrNotFound) {
		t.Errorf("an actor of another tenant through this handle: %v", err)
	}
	if vs, _, err := articles.List(ctx, nw, nina, articles.Query{Q: "acme"}, store.Page{}); err != nil || len(vs) != 0 {
		t.Errorf("another tenant's search: %v %v", vs, err)
	}
}

func TestWrites(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	erinBy := articles.By{Actor: w.erin}
	if _, err := articles.Create(ctx, w.db, md, erinBy, articles.Input{Title: ptr("Mine")}); !errors.Is(err, articles.ErrForbidden) {
		t.Errorf("external create: %v", err)
	}
	if _, err := articles.Update(ctx, w.db, md, erinBy, w.ids["Set up MFA on your phone"], articles.Input{Title: ptr("x")}); !errors.Is(err, articles.ErrForbidden) {
		t.Errorf("external update: %v", err)
	}
	if err := articles.Delete(ctx, w.db, erinBy, w.ids["Set up MFA on your phone"]); !errors.Is(err, articles.ErrForbidden) {
		t.Errorf("external delete: %v", err)
	}
	if _, err := articles.CreateCategory(ctx, w.db, erinBy, "Mine"); !errors.Is(err, articles.ErrForbidden) {
		t.Errorf("external category: %v", err)
	}
	for _, tt := range []struct {
		name  string
		in    articles.Input
		field string
	}{
		{"no title", articles.Input{Title: ptr("  ")}, "title"},
		{"long title", articles.Input{Title: ptr(strings.Repeat("x", 201))}, "title"},
		{"two lines", articles.Input{Title: ptr("a\nb")}, "title"},
		{"long body", articles.Input{Title: ptr("t"), Body: ptr(strings.Repeat("x", 100001))}, "body"},
		{"bad audience", articles.Input{Title: ptr("t"), Audience: ptr(policy.Audience("world"))}, "audience"},
		{"companies without any", articles.Input{Title: ptr("t"), Audience: ptr(policy.AudienceCompanies)}, "company_ids"},
		{"unknown company", articles.Input{Title: ptr("t"), Audience: ptr(policy.AudienceCompanies), CompanyIDs: ptr([]int64{99999})}, "company_ids"},
		{"unknown category", articles.Input{Title: ptr("t"), CategoryID: ptr(int64(99999))}, "category_id"},
	} {
		_, err := articles.Create(ctx, w.db, md, w.by(), tt.in)
		var ve valid.Errors
		if !errors.As(err, &ve) || ve[tt.field] == "" {
			t.Errorf("%s: %v, want a message for %s", tt.name, err, tt.field)
		}
	}
	// Sharing the Globex guide with everyone drops its companies; the
	// index follows a new title.
	id := w.ids["Globex VPN setup guide"]
	v, err := articles.Update(ctx, w.db, md, w.by(), id, articles.Input{Title: ptr("Remote access guide"), Audience: ptr(policy.AudienceAll)})
	if err != nil || len(v.Companies) != 0 || v.Audience != policy.AudienceAll {
		t.Fatalf("update: %+v %v", v, err)
	}
	if got := titles(t, w, w.ivy, articles.Query{Q: "remote"}); !slices.Equal(got, []string{"Remote access guide"}) {
		t.Errorf("search after retitle: %q", got)
	}
	if got := titles(t, w, w.ada, articles.Query{Q: "globex"}); !slices.Equal(got, []string{"Remote access guide"}) {
		t.Errorf("the body still holds globex: %q", got)
	}
	if err := articles.Delete(ctx, w.db, w.by(), id); err != nil {
		t.Fatal(err)
	}
	if got := titles(t, w, w.ada, articles.Query{Q: "remote"}); got != nil {
		t.Errorf("search after delete: %q", got)
	}
	n, err := w.db.Select((*audit.Entry)(nil)).Where("al.action LIKE 'article.%'").Count(ctx)
	if err != nil || n != 2+5+1+1 {
		t.Errorf("audit records: %d %v", n, err)
	}
}

func TestCategories(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	names := func(a policy.Actor) []string {
		cs, err := articles.Categories(ctx, w.db, a)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	if _, err := articles.CreateCategory(ctx, w.db, w.by(), "How we work"); err != nil {
		t.Fatal(err)
	}
	if _, err := articles.CreateCategory(ctx, w.db, w.by(), "how WE work"); err == nil {
		t.Error("a second category of the same name")
	}
	if got := names(w.ada); !slices.Equal(got, []string{"Getting started", "Security", "How we work"}) {
		t.Errorf("member's categories: %q", got)
	}
	// An empty category is internal until it holds an article shared with the reader.
	if got := names(w.ivy); !slices.Equal(got, []string{"Getting started", "Security"}) {
		t.Errorf("external categories: %q", got)
	}
	if err := articles.RenameCategory(ctx, w.db, w.by(), w.cats["Security"], "Getting started"); err == nil {
		t.Error("renamed onto another category's name")
	}
	if err := articles.DeleteCategory(ctx, w.db, w.by(), w.cats["Security"]); err != nil {
		t.Fatal(err)
	}
	v, err := articles.Get(ctx, w.db, w.ada, md, w.ids["Set up MFA on your phone"])
	if err != nil || v.Category != nil {
		t.Errorf("after deleting its category: %+v %v", v, err)
	}
}

func TestSanitised(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	body := "Hello <script>alert(1)</script>\n\n[click](javascript:alert(2)) <img src=x onerror=alert(3)>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
	v, err := articles.Create(ctx, w.db, md, w.by(), articles.Input{Title: ptr("XSS"), Body: ptr(body), Audience: ptr(policy.AudienceAll), Published: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	v, err = articles.Get(ctx, w.db, w.erin, md, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "javascript:", "<img", "onerror"} {
		if strings.Contains(v.HTML, bad) {
			t.Errorf("rendered body holds %q:\n%s", bad, v.HTML)
		}
	}
	if !strings.Contains(v.HTML, "<table>") {
		t.Errorf("tables are lost:\n%s", v.HTML)
	}
}
