package articles_test

import (
	"context"
	"slices"
	"testing"

	"github.com/atrium-portal/atrium/app/articles"
	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/tenant"
)

// TestDemo: the demo's knowledge base as each reader of SPEC §15 sees it,
// and a second seeding adds nothing.
func TestDemo(t *testing.T) {
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
	db := d.DB.Tenant(acme.ID)
	shared := []string{"Globex VPN setup guide", "How to reach the service desk", "Set up MFA on your phone"}
	for email, want := range map[string][]string{
		"ada@acme.test":      append(slices.Clone(shared), "On-call runbook"),
		"ken@acme.test":      append(slices.Clone(shared), "On-call runbook"),
		"erin@globex.test":   shared,
		"victor@globex.test": nil, // no knowledge base module
		"oscar@initech.test": nil,
		"carol@globex.test":  nil,
		"gina@guest.test":    nil,
	} {
		u, err := people.UserByEmail(ctx, db, email)
		if err != nil {
			t.Fatal(err)
		}
		vs, _, err := articles.List(ctx, db, u.Actor(), articles.Query{}, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range vs {
			got = append(got, v.Title)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s sees %q, want %q", email, got, want)
		}
	}
}
