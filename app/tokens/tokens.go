// Package tokens keeps a tenant's API tokens (SPEC §12): personal tokens,
// which a user makes on their own account and which act with exactly that
// user's rights, and integration tokens, which super admins and admins make
// in Settings and which act with their creator's rights narrowed to their
// scopes. The secret is shown once, at creation; only its SHA-256 hash is
// stored. Every operation owns its transaction and its audit record.
package tokens

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Kind says whose rights a token carries and how they are narrowed.
type Kind string

// The kinds of token.
const (
	// Personal tokens act with exactly their user's rights.
	Personal Kind = "personal"
	// Integration tokens act with their creator's rights narrowed to their scopes.
	Integration Kind = "integration"
)

// MaxName is the longest name a token takes, in characters.
const MaxName = 80

// ExpiryChoices are the lifetimes a token can be given, in days; 0 is none.
var ExpiryChoices = []int{0, 30, 90, 365}

// Prefix starts every secret, so that a leaked token is recognisable (by a
// secret scanner, say) as an Atrium API token.
const Prefix = "atr_"

// touchEvery limits how often a token's last-used time is written, so that
// an integration polling the API does not turn every read into a write.
const touchEvery = time.Minute

// Errors the callers turn into answers.
var (
	// ErrInvalid means the secret names no live token in this tenant:
	// unknown, revoked, expired, or its user is no longer active.
	ErrInvalid = errors.New("tokens: unknown, revoked or expired token")
	// ErrNotFound means the token does not exist or is not the caller's to see.
	ErrNotFound = errors.New("tokens: not found")
	// ErrForbidden means the actor may not make or revoke this kind of token.
	ErrForbidden = errors.New("tokens: not allowed")
)

// Token is one API token; only the hash of its secret is stored.
type Token struct {
	bun.BaseModel `bun:"table:api_tokens,alias:at"`
	store.TenantOwned

	ID int64 `bun:"id,pk,autoincrement"`
	// UserID is the owner of a personal token and the creator of an
	// integration token: the user whose rights it carries.
	UserID     int64               `bun:"user_id,notnull"`
	Kind       Kind                `bun:"kind,notnull"`
	Name       string              `bun:"name,notnull"`
	TokenHash  string              `bun:"token_hash,notnull"`
	Scopes     []policy.TokenScope `bun:"scopes,type:text,notnull"`
	CreatedAt  time.Time           `bun:"created_at,notnull"`
	ExpiresAt  *time.Time          `bun:"expires_at"`
	LastUsedAt *time.Time          `bun:"last_used_at"`
	RevokedAt  *time.Time          `bun:"revoked_at"`
}

// Expired reports whether the token's lifetime ended before now.
func (t *Token) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}

// Context is who makes or revokes tokens, as the policy and the audit log
// need them.
type Context struct {
	DB       *store.Scoped
	Actor    policy.Actor
	Settings policy.Settings
	Who      audit.Who
	// Now is the clock; zero means time.Now.
	Now func() time.Time
}

func (tc Context) now() time.Time {
	if tc.Now != nil {
		return tc.Now().UTC()
	}
	return time.Now().UTC()
}

// Request is a new token.
type Request struct {
	Kind Kind   `json:"kind"`
	Name string `json:"name"`
	// ExpiresInDays is one of ExpiryChoices; 0 never expires.
	ExpiresInDays int                 `json:"expires_in_days"`
	Scopes        []policy.TokenScope `json:"scopes"`
}

// Create makes a token for the actor and returns its secret, which is
// never stored and cannot be shown again. A personal token is the actor's
// own; an integration token needs policy.ManageIntegrations and at least
// one scope. The creation is audited in the same transaction.
func Create(ctx context.Context, tc Context, r Request) (string, *Token, error) {
	switch r.Kind {
	case Personal:
		if !tc.Actor.SignedIn() || tc.Actor.UserID == 0 {
			return "", nil, ErrForbidden
		}
	case Integration:
		if tc.Actor.UserID == 0 || !policy.Allows(tc.Actor, tc.Settings, policy.ManageIntegrations) {
			return "", nil, ErrForbidden
		}
	default:
		return "", nil, valid.Errors{"kind": "Choose a personal or an integration token."}
	}
	errs := valid.Errors{}
	name := strings.TrimSpace(r.Name)
	if name == "" || valid.Line(name, MaxName) != "" {
		errs.Add("name", fmt.Sprintf("Name the token in up to %d characters, on one line, so you can tell it apart later.", MaxName))
	}
	if !slices.Contains(ExpiryChoices, r.ExpiresInDays) {
		errs.Add("expires_in_days", "Choose no expiry, 30, 90 or 365 days.")
	}
	var scopes []policy.TokenScope
	switch r.Kind {
	case Integration:
		for _, s := range policy.TokenScopes {
			if slices.Contains(r.Scopes, s) {
				scopes = append(scopes, s)
			}
		}
		for _, s := range r.Scopes {
			if !s.Valid() {
				errs.Add("scopes", "Unknown scope "+string(s)+".")
			}
		}
		if len(scopes) == 0 {
			errs.Add("scopes", "Choose at least one scope.")
		}
	case Personal:
		if len(r.Scopes) > 0 {
			errs.Add("scopes", "A personal token has no scopes: it acts with exactly your rights.")
		}
		scopes = []policy.TokenScope{}
	}
	if err := errs.Err(); err != nil {
		return "", nil, err
	}
	secret, err := auth.NewSecret()
	if err != nil {
		return "", nil, err
	}
	secret = Prefix + secret
	now := tc.now()
	t := &Token{UserID: tc.Actor.UserID, Kind: r.Kind, Name: name, TokenHash: auth.HashToken(secret), Scopes: scopes, CreatedAt: now}
	if r.ExpiresInDays > 0 {
		exp := now.AddDate(0, 0, r.ExpiresInDays)
		t.ExpiresAt = &exp
	}
	err = tc.DB.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if _, err := tx.Insert(t).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, tc.Who, audit.TokenCreate, "api_token", t.ID, summary("created", t))
	})
	if err != nil {
		return "", nil, fmt.Errorf("tokens: create %s token: %w", r.Kind, err)
	}
	return secret, t, nil
}

// summary is the audit log's sentence about t.
func summary(verb string, t *Token) string {
	s := verb + " " + string(t.Kind) + " token " + `"` + t.Name + `"`
	if len(t.Scopes) > 0 {
		parts := make([]string, len(t.Scopes))
		for i, sc := range t.Scopes {
			parts[i] = string(sc)
		}
		s += " with scopes " + strings.Join(parts, ", ")
	}
	if t.ExpiresAt != nil {
		s += ", expires " + t.ExpiresAt.Format("2006-01-02")
	}
	return s
}

// Listed is a token as its list shows it, with the name of its user.
type Listed struct {
	Token     `bun:",extend"`
	UserName  string `bun:"user_name"`
	UserEmail string `bun:"user_email"`
}

// ListPersonal returns the user's personal tokens that are not revoked
// (expired ones too, marked by their expiry), newest first.
func ListPersonal(ctx context.Context, db *store.Scoped, userID int64) ([]Listed, error) {
	return list(ctx, db, Personal, userID)
}

// ListIntegrations returns the tenant's integration tokens that are not
// revoked, newest first, for those who may manage them.
func ListIntegrations(ctx context.Context, db *store.Scoped, a policy.Actor, s policy.Settings) ([]Listed, error) {
	if !policy.Allows(a, s, policy.ManageIntegrations) {
		return nil, ErrForbidden
	}
	return list(ctx, db, Integration, 0)
}

func list(ctx context.Context, db *store.Scoped, kind Kind, userID int64) ([]Listed, error) {
	var out []Listed
	q := db.Select(&out).
		ColumnExpr("at.*").
		ColumnExpr("u.name AS user_name, u.email AS user_email").
		Join("JOIN users AS u ON u.tenant_id = at.tenant_id AND u.id = at.user_id").
		Where("at.kind = ? AND at.revoked_at IS NULL", kind).
		OrderExpr("at.id DESC")
	if userID != 0 {
		q = q.Where("at.user_id = ?", userID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("tokens: list %s: %w", kind, err)
	}
	return out, nil
}

// Revoke ends a token at once. A personal token is revoked by its own user
// only; an integration token by those who may manage integrations. A token
// the actor may not revoke, or of another kind, is not found. Revoking is
// audited in the same transaction.
func Revoke(ctx context.Context, tc Context, kind Kind, id int64) error {
	if kind == Integration && !policy.Allows(tc.Actor, tc.Settings, policy.ManageIntegrations) {
		return ErrForbidden
	}
	if tc.Actor.UserID == 0 {
		return ErrForbidden
	}
	err := tc.DB.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		t := new(Token)
		q := tx.Select(t).Where("at.id = ? AND at.kind = ? AND at.revoked_at IS NULL", id, kind)
		if kind == Personal {
			q = q.Where("at.user_id = ?", tc.Actor.UserID)
		}
		if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if _, err := tx.Update((*Token)(nil)).Set("revoked_at = ?", tc.now()).
			Where("id = ? AND revoked_at IS NULL", t.ID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, tc.Who, audit.TokenRevoke, "api_token", t.ID, summary("revoked", t))
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("tokens: revoke %d: %w", id, err)
	}
	return err
}

// RevokeUser ends every token of a user, personal and integration alike,
// inside the transaction that deactivates them (SPEC §4.3: every session
// and API token of the user dies at once).
func RevokeUser(ctx context.Context, tx *store.Scoped, userID int64) error {
	if _, err := tx.Update((*Token)(nil)).Set("revoked_at = ?", time.Now().UTC()).
		Where("user_id = ? AND revoked_at IS NULL", userID).Exec(ctx); err != nil {
		return fmt.Errorf("tokens: revoke tokens of %d: %w", userID, err)
	}
	return nil
}

// Lookup returns the live token for secret in this tenant and the user
// whose rights it carries. A token that is unknown here (another tenant's
// included), revoked or expired, or whose user is not active, is
// ErrInvalid. The last-used time is written at most once a minute.
func Lookup(ctx context.Context, db *store.Scoped, secret string, now time.Time) (*Token, *people.User, error) {
	if !strings.HasPrefix(secret, Prefix) || len(secret) > 100 {
		return nil, nil, ErrInvalid
	}
	now = now.UTC()
	t := new(Token)
	err := db.Select(t).Where("at.token_hash = ?", auth.HashToken(secret)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrInvalid
	}
	if err != nil {
		return nil, nil, fmt.Errorf("tokens: look up: %w", err)
	}
	if t.RevokedAt != nil || t.Expired(now) {
		return nil, nil, ErrInvalid
	}
	u, err := people.UserByID(ctx, db, t.UserID)
	if errors.Is(err, people.ErrNotFound) || (err == nil && u.Status != people.Active) {
		return nil, nil, ErrInvalid
	}
	if err != nil {
		return nil, nil, err
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchEvery {
		// A conditional update: of concurrent requests, one writes.
		if _, err := db.Update((*Token)(nil)).Set("last_used_at = ?", now).
			Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", t.ID, now.Add(-touchEvery)).Exec(ctx); err != nil {
			return nil, nil, fmt.Errorf("tokens: touch %d: %w", t.ID, err)
		}
		t.LastUsedAt = &now
	}
	return t, u, nil
}
