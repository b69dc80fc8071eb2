package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/tickets"
)

// TestSettingsCacheFollowsEveryChange: the server keeps a tenant's ticket
// settings and branding versions between requests. A change made outside
// it, as another instance would make it (the domain operation on the
// shared database), shows on this server's very next request.
func TestSettingsCacheFollowsEveryChange(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	acme, err := e.tenants.BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	db := e.db.Tenant(acme.ID)
	by := tickets.By{Actor: policy.Operator(acme.ID), Who: audit.Who{}}
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	desk := boardID(t, e, "acme", "Service Desk")

	seesDesk := func() bool {
		t.Helper()
		r := erin.get("/api/v1/boards")
		if r.status != 200 {
			t.Fatalf("boards: %d %s", r.status, r.body)
		}
		return strings.Contains(r.body, `"Service Desk"`)
	}
	for range 2 { // the second request is served from the cache
		if !seesDesk() {
			t.Fatal("erin does not see the Service Desk board to begin with")
		}
	}
	globex := companyID(t, e, "acme", "Globex Corporation")
	create := func() response {
		return erin.api("POST", "/api/v1/tickets", map[string]any{"title": "Printer jam", "board_id": desk, "company_id": globex})
	}
	if r := create(); r.status != 201 { // a write keeps the settings too
		t.Fatalf("erin creates a ticket on the Service Desk: %d %s", r.status, r.body)
	}
	cfg, err := tickets.LoadConfig(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var in tickets.BoardInput
	for _, b := range cfg.Boards {
		if b.ID == desk {
			in = tickets.BoardInput{Name: b.Name, AllCompanies: b.AllCompanies}
			for _, c := range b.Companies {
				in.Companies = append(in.Companies, c.CompanyID)
			}
		}
	}
	if _, err := tickets.SaveBoard(ctx, db, by, desk, in); err != nil { // no external kind any more
		t.Fatal(err)
	}
	if seesDesk() {
		t.Fatal("after the board was closed to external users, erin still sees it: the cached settings were used")
	}
	if r := create(); r.status == 201 {
		t.Fatal("erin still creates tickets on a board closed to her: the write used the cached settings")
	}
	if r := erin.get("/tickets"); r.status != 200 || strings.Contains(r.body, "VPN") {
		t.Errorf("erin's ticket list still shows the closed board's tickets (%d)", r.status)
	}

	// Branding: a logo uploaded elsewhere is on the next page.
	if r := erin.get("/"); strings.Contains(r.body, "/brand/logo?v=") {
		t.Fatal("the demo has a logo already")
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	a, err := tenant.SaveAsset(ctx, db, tenant.Logo, png, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if r := erin.get("/"); !strings.Contains(r.body, "/brand/logo?v="+a.ETag) {
		t.Error("a logo saved by another instance is not on the next page")
	}
	if err := tenant.DeleteAsset(ctx, db, tenant.Logo); err != nil {
		t.Fatal(err)
	}
	if r := erin.get("/"); strings.Contains(r.body, "/brand/logo?v=") {
		t.Error("a logo deleted by another instance is still on the next page")
	}
}

// TestSettingsVersionOnlyGrows: the tenant row's settings version moves
// with each change to what the cache keeps, and a write of the tenant row
// itself (its name) never takes it back.
func TestSettingsVersionOnlyGrows(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	version := func() int64 {
		t.Helper()
		tn, err := e.tenants.ByHost(ctx, "acme.localhost")
		if err != nil {
			t.Fatal(err)
		}
		return tn.SettingsVersion
	}
	acme, err := e.tenants.BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	db := e.db.Tenant(acme.ID)
	v0 := version()
	if _, err := tickets.SaveNoteType(ctx, db, tickets.By{Actor: policy.Operator(acme.ID)}, 0,
		tickets.NoteTypeInput{Name: "Site visit", Read: []policy.Kind{policy.ExternalEditor}}); err != nil {
		t.Fatal(err)
	}
	v1 := version()
	if v1 <= v0 {
		t.Fatalf("a new note type left the settings version at %d", v1)
	}
	name := "Acme IT Services"
	if _, err := e.tenants.Update(ctx, acme.ID, tenant.Patch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if v2 := version(); v2 < v1 {
		t.Fatalf("writing the tenant row took the settings version back from %d to %d", v1, v2)
	}
}
