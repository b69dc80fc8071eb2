package auth

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store"
)

// ErrNoSession means the token names no live session in this tenant.
var ErrNoSession = errors.New("auth: no session")

// Session is a signed-in browser or API client. Only a hash of its token is
// stored; the token itself lives in the user's cookie.
type Session struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`
	store.TenantOwned

	ID         int64     `bun:"id,pk,autoincrement"`
	UserID     int64     `bun:"user_id,notnull"`
	TokenHash  string    `bun:"token_hash,notnull"`
	CSRFToken  string    `bun:"csrf_token,notnull"`
	Address    string    `bun:"address,notnull"`
	UserAgent  string    `bun:"user_agent,notnull"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
	LastSeenAt time.Time `bun:"last_seen_at,notnull"`
	ExpiresAt  time.Time `bun:"expires_at,notnull"`
	// CompanyID is the company an external user chose in the company
	// switcher for this session; nil is all of their companies.
	CompanyID *int64 `bun:"company_id"`
	// PreviewUserID is the user the session's principal previews as (SPEC
	// §9), nil when not previewing; PreviewStartedAt is when it started and
	// PreviewReturn the path to go back to when it ends.
	PreviewUserID    *int64     `bun:"preview_user_id"`
	PreviewStartedAt *time.Time `bun:"preview_started_at"`
	PreviewReturn    string     `bun:"preview_return,notnull"`

	// User is the session's user, loaded with the session by
	// LookupWithUser in the same statement.
	User *people.User `bun:"rel:belongs-to,join:user_id=id,join:tenant_id=tenant_id"`
}

// Sessions creates and checks sessions with the configured timeouts.
type Sessions struct {
	Idle     time.Duration
	Absolute time.Duration
	// Now is the clock; tests move it.
	Now func() time.Time
}

// touchEvery limits how often a session's last-seen time is written, so that
// reading pages does not turn into a write per request.
const touchEvery = time.Minute

// HashToken is what is stored of a secret token (sessions, links, API
// tokens): its SHA-256, hex-encoded. Secrets are 32 random bytes, so a
// plain hash is enough; a lookup by hash is an index lookup.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Clock is the sessions' current time, in UTC: what previews and
// timeouts are measured against.
func (s Sessions) Clock() time.Time { return s.now() }

func (s Sessions) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Create starts a new session for user and returns its secret token. A
// fresh random ID at every sign-in means a session ID planted before login is useless.
func (s Sessions) Create(ctx context.Context, db *store.Scoped, userID int64, address, userAgent string) (string, *Session, error) {
	token, err := randomToken(32)
	if err != nil {
		return "", nil, err
	}
	csrf, err := randomToken(32)
	if err != nil {
		return "", nil, err
	}
	userAgent = cleanUserAgent(userAgent)
	now := s.now()
	sess := &Session{
		UserID: userID, TokenHash: HashToken(token), CSRFToken: csrf,
		Address: address, UserAgent: userAgent,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.Absolute),
	}
	if _, err := db.Insert(sess).Exec(ctx); err != nil {
		return "", nil, fmt.Errorf("auth: create session: %w", err)
	}
	return token, sess, nil
}

// cleanUserAgent keeps the client's User-Agent as text that can be stored:
// no NUL bytes, valid UTF-8, at most 300 bytes without a cut rune.
func cleanUserAgent(ua string) string {
	ua = strings.ToValidUTF8(strings.ReplaceAll(ua, "\x00", ""), "\uFFFD")
	if len(ua) > 300 {
		ua = strings.ToValidUTF8(ua[:300], "")
	}
	return ua
}

// Lookup returns the live session for token in this tenant, ending it when
// it has been idle too long or reached its absolute lifetime.
func (s Sessions) Lookup(ctx context.Context, db *store.Scoped, token string) (*Session, error) {
	return s.lookup(ctx, db, token, false)
}

// LookupWithUser is Lookup with the session's user (sess.User, without
// capabilities, modules or companies: people.LoadRights) in the same
// statement: every signed-in request starts here.
func (s Sessions) LookupWithUser(ctx context.Context, db *store.Scoped, token string) (*Session, error) {
	return s.lookup(ctx, db, token, true)
}

func (s Sessions) lookup(ctx context.Context, db *store.Scoped, token string, withUser bool) (*Session, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrNoSession
	}
	sess := new(Session)
	// A prepared read: every request runs it (store.Prepare).
	pctx, q, arg := db.PreparedSelect(ctx, sess, HashToken(token))
	q = q.Where("s.token_hash = ?", arg(0))
	if withUser {
		q = q.Relation("User")
	}
	err := q.Scan(pctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("auth: load session: %w", err)
	}
	now := s.now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.Idle {
		if _, err := db.Delete(sess).WherePK().Exec(ctx); err != nil {
			return nil, fmt.Errorf("auth: end expired session: %w", err)
		}
		return nil, ErrNoSession
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		sess.LastSeenAt = now
		if _, err := db.Update(sess).Column("last_seen_at").WherePK().Exec(ctx); err != nil {
			return nil, fmt.Errorf("auth: touch session: %w", err)
		}
	}
	return sess, nil
}

// SetCompany stores the company chosen in the company switcher on the
// session (nil: all of the user's companies). Whether it is still one of
// theirs is checked each time the request's actor is built.
func SetCompany(ctx context.Context, db *store.Scoped, sessionID int64, companyID *int64) error {
	if _, err := db.Update((*Session)(nil)).Set("company_id = ?", companyID).Where("id = ?", sessionID).Exec(ctx); err != nil {
		return fmt.Errorf("auth: set session company: %w", err)
	}
	return nil
}

// Revoke ends one session.
func Revoke(ctx context.Context, db *store.Scoped, sessionID int64) error {
	if _, err := db.Delete((*Session)(nil)).Where("id = ?", sessionID).Exec(ctx); err != nil {
		return fmt.Errorf("auth: revoke session: %w", err)
	}
	return nil
}

// RevokeUser ends every session of a user except keepID (0 keeps none): at
// password change, deactivation and reset.
func RevokeUser(ctx context.Context, db *store.Scoped, userID, keepID int64) error {
	if _, err := db.Delete((*Session)(nil)).Where("user_id = ? AND id <> ?", userID, keepID).Exec(ctx); err != nil {
		return fmt.Errorf("auth: revoke sessions of %d: %w", userID, err)
	}
	return nil
}
