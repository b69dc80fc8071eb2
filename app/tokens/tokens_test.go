package tokens_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/tokens"
	"github.com/atrium-portal/atrium/app/useradmin"
	"github.com/atrium-portal/atrium/app/valid"
)

func user(t *testing.T, s *store.Scoped, email string, kind policy.Kind, caps ...policy.Capability) *people.User {
	t.Helper()
	u, err := people.CreateUser(context.Background(), s, people.NewUser{
		Email: email, Name: "Name of " + email, Kind: kind, Capabilities: caps, Status: people.Active,
	})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func reload(t *testing.T, s *store.Scoped, id int64) *people.User {
	t.Helper()
	u, err := people.UserByID(context.Background(), s, id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func ctxOf(s *store.Scoped, u *people.User) tokens.Context {
	return tokens.Context{DB: s, Actor: u.Actor(), Who: audit.Who{ActorID: u.ID, Address: "192.0.2.1"}}
}

// TestCreateValidates: who may make which token, and what a token needs.
func TestCreateValidates(t *testing.T) {
	tests := []struct {
		name    string
		kind    policy.Kind
		caps    []policy.Capability
		req     tokens.Request
		wantErr string // "" ok, "forbidden", or the invalid field
	}{
		{"member personal", policy.Member, nil, tokens.Request{Kind: tokens.Personal, Name: "laptop script"}, ""},
		{"external user personal", policy.ExternalViewer, nil, tokens.Request{Kind: tokens.Personal, Name: "reports"}, ""},
		{"personal with expiry", policy.Member, nil, tokens.Request{Kind: tokens.Personal, Name: "ci", ExpiresInDays: 90}, ""},
		{"odd expiry", policy.Member, nil, tokens.Request{Kind: tokens.Personal, Name: "ci", ExpiresInDays: 7}, "expires_in_days"},
		{"no name", policy.Member, nil, tokens.Request{Kind: tokens.Personal, Name: "  "}, "name"},
		{"long name", policy.Member, nil, tokens.Request{Kind: tokens.Personal, Name: strings.Repeat("x", 81)}, "name"},
		{"80 characters", policy.Member, nil, tokens.Request{Kind: tokens.Personal, Name: strings.Repeat("é", 80)}, ""},
		{"two lines", policy.Member, nil, tokens.Request{Kind: tokens.Personal, Name: "a\nb"}, "name"},
		{"personal with scopes", policy.Member, nil, tokens.Request{Kind: tokens.Personal, Name: "x", Scopes: []policy.TokenScope{policy.ScopeCompaniesWrite}}, "scopes"},
		{"admin integration", policy.Member, []policy.Capability{policy.Admin}, tokens.Request{Kind: tokens.Integration, Name: "PSA sync", Scopes: []policy.TokenScope{policy.ScopeCompaniesWrite}}, ""},
		{"integration without scopes", policy.Member, []policy.Capability{policy.SuperAdmin}, tokens.Request{Kind: tokens.Integration, Name: "PSA"}, "scopes"},
		{"integration with an unknown scope", policy.Member, []policy.Capability{policy.SuperAdmin}, tokens.Request{Kind: tokens.Integration, Name: "PSA", Scopes: []policy.TokenScope{"users:write"}}, "scopes"},
		{"people admin integration", policy.Member, []policy.Capability{policy.PeopleAdmin}, tokens.Request{Kind: tokens.Integration, Name: "PSA", Scopes: []policy.TokenScope{policy.ScopeCompaniesWrite}}, "forbidden"},
		{"member integration", policy.Member, nil, tokens.Request{Kind: tokens.Integration, Name: "PSA", Scopes: []policy.TokenScope{policy.ScopeCompaniesWrite}}, "forbidden"},
		{"unknown kind", policy.Member, nil, tokens.Request{Kind: "robot", Name: "x"}, "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := storetest.New(t)
			u := user(t, d.Acme, "u@acme.test", tt.kind, tt.caps...)
			secret, tok, err := tokens.Create(context.Background(), ctxOf(d.Acme, u), tt.req)
			var ve valid.Errors
			switch {
			case tt.wantErr == "":
				if err != nil {
					t.Fatalf("create: %v", err)
				}
				if !strings.HasPrefix(secret, tokens.Prefix) || tok.ID == 0 {
					t.Fatalf("secret %q, token %+v", secret, tok)
				}
			case tt.wantErr == "forbidden":
				if !errors.Is(err, tokens.ErrForbidden) {
					t.Fatalf("err = %v, want ErrForbidden", err)
				}
			case errors.As(err, &ve):
				if ve[tt.wantErr] == "" {
					t.Fatalf("errors %v, want one on %s", ve, tt.wantErr)
				}
			default:
				t.Fatalf("err = %v, want invalid %s", err, tt.wantErr)
			}
		})
	}
}

// TestStoredHashedAndAudited: the secret is nowhere in the database, only
// its hash; creation and revocation are in the audit log.
func TestStoredHashedAndAudited(t *testing.T) {
	d := storetest.New(t)
	ctx := context.Background()
	u := user(t, d.Acme, "ada@acme.test", policy.Member, policy.SuperAdmin)
	secret, tok, err := tokens.Create(ctx, ctxOf(d.Acme, u), tokens.Request{Kind: tokens.Integration, Name: "PSA sync", Scopes: []policy.TokenScope{policy.ScopeCompaniesWrite}})
	if err != nil {
		t.Fatal(err)
	}
	var hash, scopes string
	var n int
	if err := d.DB.R.NewRaw("SELECT token_hash, scopes FROM api_tokens WHERE id = ?", tok.ID).Scan(ctx, &hash, &scopes); err != nil {
		t.Fatal(err)
	}
	if hash != auth.HashToken(secret) || strings.Contains(hash, secret) {
		t.Errorf("stored hash %q is not the hash of the secret", hash)
	}
	if scopes != `["companies:write"]` {
		t.Errorf("scopes stored as %q", scopes)
	}
	if err := d.DB.R.NewRaw("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR name = ?", secret, secret).Scan(ctx, &n); err != nil || n != 0 {
		t.Errorf("the secret is stored in plain text (%d rows, %v)", n, err)
	}
	if err := tokens.Revoke(ctx, ctxOf(d.Acme, u), tokens.Integration, tok.ID); err != nil {
		t.Fatal(err)
	}
	var actions []string
	if err := d.DB.R.NewRaw("SELECT action FROM audit_log WHERE object_type = 'api_token' ORDER BY id").Scan(ctx, &actions); err != nil {
		t.Fatal(err)
	}
	if strings.Join(actions, ",") != "token.create,token.revoke" {
		t.Errorf("audit actions %v", actions)
	}
	var logged int
	if err := d.DB.R.NewRaw("SELECT COUNT(*) FROM audit_log WHERE summary LIKE ?", "%"+secret+"%").Scan(ctx, &logged); err != nil || logged != 0 {
		t.Errorf("the secret reached the audit log")
	}
}

// TestLookup: only a live token of this tenant whose user is active works.
func TestLookup(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC()
	tests := []struct {
		name  string
		setup func(t *testing.T, d *storetest.DB, u *people.User, admin *people.User, tok *tokens.Token) *store.Scoped
		ok    bool
	}{
		{"live", func(*testing.T, *storetest.DB, *people.User, *people.User, *tokens.Token) *store.Scoped { return nil }, true},
		{"revoked", func(t *testing.T, d *storetest.DB, u, _ *people.User, tok *tokens.Token) *store.Scoped {
			if err := tokens.Revoke(ctx, ctxOf(d.Acme, u), tokens.Personal, tok.ID); err != nil {
				t.Fatal(err)
			}
			return nil
		}, false},
		{"expired", func(t *testing.T, d *storetest.DB, _, _ *people.User, tok *tokens.Token) *store.Scoped {
			if _, err := d.Acme.Update((*tokens.Token)(nil)).Set("expires_at = ?", now.Add(-time.Second)).Where("id = ?", tok.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			return nil
		}, false},
		{"another tenant", func(t *testing.T, d *storetest.DB, _, _ *people.User, _ *tokens.Token) *store.Scoped {
			return d.DB.Tenant(d.NewTenant(t, "northwind").ID)
		}, false},
		{"user deactivated", func(t *testing.T, d *storetest.DB, u, admin *people.User, _ *tokens.Token) *store.Scoped {
			st := people.Deactivated
			if _, err := useradmin.Apply(ctx, d.Acme, admin.Actor(), policy.Settings{}, u.ID, useradmin.Patch{Status: &st}, audit.Who{ActorID: admin.ID}); err != nil {
				t.Fatal(err)
			}
			return nil
		}, false},
		{"user not active (belt and braces)", func(t *testing.T, d *storetest.DB, u, _ *people.User, _ *tokens.Token) *store.Scoped {
			if _, err := d.Acme.Update((*people.User)(nil)).Set("status = ?", people.Deactivated).Where("id = ?", u.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			return nil
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := storetest.New(t)
			admin := user(t, d.Acme, "ada@acme.test", policy.Member, policy.SuperAdmin)
			u := user(t, d.Acme, "ken@acme.test", policy.Member)
			secret, tok, err := tokens.Create(ctx, ctxOf(d.Acme, u), tokens.Request{Kind: tokens.Personal, Name: "script"})
			if err != nil {
				t.Fatal(err)
			}
			db := tt.setup(t, d, u, admin, tok)
			if db == nil {
				db = d.Acme
			}
			got, gu, err := tokens.Lookup(ctx, db, secret, now)
			if tt.ok {
				if err != nil || got.ID != tok.ID || gu.ID != u.ID {
					t.Fatalf("lookup: %v", err)
				}
			} else if !errors.Is(err, tokens.ErrInvalid) {
				t.Fatalf("lookup err = %v, want ErrInvalid", err)
			}
		})
	}
}

// TestLastUsedWrittenAtMostOnceAMinute: reads do not become a write each.
func TestLastUsedWrittenAtMostOnceAMinute(t *testing.T) {
	ctx := context.Background()
	d := storetest.New(t)
	u := user(t, d.Acme, "ken@acme.test", policy.Member)
	secret, tok, err := tokens.Create(ctx, ctxOf(d.Acme, u), tokens.Request{Kind: tokens.Personal, Name: "script"})
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() time.Time {
		var ts *time.Time
		if err := d.DB.R.NewRaw("SELECT last_used_at FROM api_tokens WHERE id = ?", tok.ID).Scan(ctx, &ts); err != nil {
			t.Fatal(err)
		}
		if ts == nil {
			return time.Time{}
		}
		return ts.UTC()
	}
	t0 := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, step := range []struct {
		at   time.Time
		want time.Time
	}{
		{t0, t0},
		{t0.Add(30 * time.Second), t0},
		{t0.Add(59 * time.Second), t0},
		{t0.Add(61 * time.Second), t0.Add(61 * time.Second)},
	} {
		if _, _, err := tokens.Lookup(ctx, d.Acme, secret, step.at); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(); !got.Equal(step.want) {
			t.Errorf("after a use at %s, last used %s, want %s", step.at, got, step.want)
		}
	}
}

// TestRevokeIsTheOwners: a personal token is revoked by its user only; an
// integration token by those who manage integrations.
func TestRevokeIsTheOwners(t *testing.T) {
	ctx := context.Background()
	d := storetest.New(t)
	ada := user(t, d.Acme, "ada@acme.test", policy.Member, policy.SuperAdmin)
	alan := user(t, d.Acme, "alan@acme.test", policy.Member, policy.Admin)
	ken := user(t, d.Acme, "ken@acme.test", policy.Member)
	_, personal, err := tokens.Create(ctx, ctxOf(d.Acme, ken), tokens.Request{Kind: tokens.Personal, Name: "script"})
	if err != nil {
		t.Fatal(err)
	}
	_, integration, err := tokens.Create(ctx, ctxOf(d.Acme, ada), tokens.Request{Kind: tokens.Integration, Name: "PSA", Scopes: []policy.TokenScope{policy.ScopeTicketsWrite}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tokens.Revoke(ctx, ctxOf(d.Acme, ada), tokens.Personal, personal.ID); !errors.Is(err, tokens.ErrNotFound) {
		t.Errorf("a super admin revoked someone's personal token: %v", err)
	}
	if err := tokens.Revoke(ctx, ctxOf(d.Acme, ken), tokens.Integration, integration.ID); !errors.Is(err, tokens.ErrForbidden) {
		t.Errorf("a member revoked an integration token: %v", err)
	}
	if err := tokens.Revoke(ctx, ctxOf(d.Acme, ken), tokens.Personal, integration.ID); !errors.Is(err, tokens.ErrNotFound) {
		t.Errorf("an integration token revoked as a personal one: %v", err)
	}
	if err := tokens.Revoke(ctx, ctxOf(d.Acme, alan), tokens.Integration, integration.ID); err != nil {
		t.Errorf("an admin could not revoke ada's integration token: %v", err)
	}
	if err := tokens.Revoke(ctx, ctxOf(d.Acme, ken), tokens.Personal, personal.ID); err != nil {
		t.Errorf("ken could not revoke his own token: %v", err)
	}
	if err := tokens.Revoke(ctx, ctxOf(d.Acme, ken), tokens.Personal, personal.ID); !errors.Is(err, tokens.ErrNotFound) {
		t.Errorf("revoked twice: %v", err)
	}
	list, err := tokens.ListIntegrations(ctx, d.Acme, reload(t, d.Acme, alan.ID).Actor(), policy.Settings{})
	if err != nil || len(list) != 0 {
		t.Errorf("revoked tokens listed: %v %v", list, err)
	}
}
