package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/store"
)

// loginLimit is the limiter's counter for one key. It is platform state (an
// address is not a tenant's), so it has no tenant_id; account keys name the tenant.
type loginLimit struct {
	bun.BaseModel `bun:"table:login_limits,alias:ll"`

	Key         string     `bun:"key,pk"`
	Failures    int        `bun:"failures,notnull"`
	WindowStart time.Time  `bun:"window_start,notnull"`
	LockedUntil *time.Time `bun:"locked_until"`
}

// Limiter counts failed sign-ins per client address and per account and
// locks a key for one window once it reaches its limit.
type Limiter struct {
	DB         *store.DB
	PerAddress int
	PerAccount int
	Window     time.Duration
	Now        func() time.Time
}

// AddressKey and AccountKey name the two counters a sign-in touches.
func AddressKey(addr string) string { return "addr:" + addr }

// AccountKey names an account: the same address in two tenants is two accounts.
func AccountKey(tenantID int64, email string) string {
	return fmt.Sprintf("acct:%d:%s", tenantID, strings.ToLower(email))
}

func (l *Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now().UTC()
	}
	return time.Now().UTC()
}

// Blocked returns how long until keys may try again, or 0 when none is locked.
func (l *Limiter) Blocked(ctx context.Context, keys ...string) (time.Duration, error) {
	var rows []loginLimit
	if err := l.DB.R.NewSelect().Model(&rows).Where("key IN (?)", bun.In(keys)).Scan(ctx); err != nil {
		return 0, fmt.Errorf("auth: read login limits: %w", err)
	}
	now := l.now()
	var wait time.Duration
	for _, r := range rows {
		if r.LockedUntil != nil && r.LockedUntil.After(now) {
			wait = max(wait, r.LockedUntil.Sub(now))
		}
	}
	return wait, nil
}

func (l *Limiter) limitFor(key string) int {
	if strings.HasPrefix(key, "addr:") {
		return l.PerAddress
	}
	return l.PerAccount
}

// Fail counts one failed sign-in against each key.
func (l *Limiter) Fail(ctx context.Context, keys ...string) error {
	now := l.now()
	return l.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for _, key := range keys {
			r := loginLimit{Key: key}
			err := tx.NewSelect().Model(&r).WherePK().Scan(ctx)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				r = loginLimit{Key: key, Failures: 1, WindowStart: now}
			case err != nil:
				return fmt.Errorf("auth: read limit %s: %w", key, err)
			case now.Sub(r.WindowStart) > l.Window && (r.LockedUntil == nil || !r.LockedUntil.After(now)):
				r.Failures, r.WindowStart, r.LockedUntil = 1, now, nil
			default:
				r.Failures++
			}
			if r.Failures >= l.limitFor(key) {
				until := now.Add(l.Window)
				r.LockedUntil = &until
			}
			if _, err := tx.NewInsert().Model(&r).On("CONFLICT (key) DO UPDATE").
				Set("failures = EXCLUDED.failures").Set("window_start = EXCLUDED.window_start").
				Set("locked_until = EXCLUDED.locked_until").Exec(ctx); err != nil {
				return fmt.Errorf("auth: count failure %s: %w", key, err)
			}
		}
		return nil
	})
}

// Reset clears a key after a successful sign-in.
func (l *Limiter) Reset(ctx context.Context, key string) error {
	if _, err := l.DB.W.NewDelete().Model((*loginLimit)(nil)).Where("key = ?", key).Exec(ctx); err != nil {
		return fmt.Errorf("auth: reset limit: %w", err)
	}
	return nil
}
