package auth

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync/atomic"
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

// Limiter counts attempts per client address and per account and locks a
// key for one window once it goes over its limit. An attempt is counted
// before the password is checked, in one statement per key that increments
// and returns the count, so parallel attempts cannot all slip under the
// limit; a successful sign-in gives its attempt back.
type Limiter struct {
	DB         *store.DB
	PerAddress int
	PerAccount int
	Window     time.Duration
	Now        func() time.Time

	// calls counts reservations; every purgeEvery-th one purges dead rows.
	calls atomic.Uint64
}

// purgeEvery is how many reservations pass between two purges of the rows
// whose window and lock have both ended.
const purgeEvery = 200

// AddressKey and AccountKey name the two counters a sign-in touches.
//
// An IPv6 client is counted by its /64, the block one subscriber or host
// usually holds: counting each of its 2^64 addresses apart would let one
// client try without limit.
func AddressKey(addr string) string {
	if a, err := netip.ParseAddr(addr); err == nil && a.Is6() && !a.Is4In6() {
		if p, err := a.Prefix(64); err == nil {
			return "addr:" + p.String()
		}
	}
	return "addr:" + addr
}

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

// limitFor is the limit of key: an address key (also under a purpose
// prefix such as "reset:") has the per-address limit, others the account's.
func (l *Limiter) limitFor(key string) int {
	if _, rest, found := strings.Cut(key, ":"); strings.HasPrefix(key, "addr:") || (found && strings.HasPrefix(rest, "addr:")) {
		return l.PerAddress
	}
	return l.PerAccount
}

// reserveSQL counts one attempt against a key and returns the new count and
// lock. The window restarts when it has run out and no lock holds; a key
// going over its limit is locked for one window from then. Plain SQL
// (INSERT … ON CONFLICT … RETURNING) that SQLite and PostgreSQL both run.
const reserveSQL = `INSERT INTO login_limits AS ll (key, failures, window_start, locked_until)
VALUES (?0, 1, ?1, NULL)
ON CONFLICT (key) DO UPDATE SET
  failures = CASE WHEN ll.window_start <= ?2 AND (ll.locked_until IS NULL OR ll.locked_until <= ?1)
    THEN 1 ELSE ll.failures + 1 END,
  window_start = CASE WHEN ll.window_start <= ?2 AND (ll.locked_until IS NULL OR ll.locked_until <= ?1)
    THEN ?1 ELSE ll.window_start END,
  locked_until = CASE WHEN ll.window_start <= ?2 AND (ll.locked_until IS NULL OR ll.locked_until <= ?1) THEN NULL
    WHEN ll.locked_until > ?1 THEN ll.locked_until
    WHEN ll.failures + 1 > ?3 THEN ?4
    ELSE NULL END
RETURNING key, failures, window_start, locked_until`

// Reserve counts one attempt against each key and returns how long until
// they may try again when any key is over its limit (0 when the attempt may
// go ahead). Call it before checking the password; the attempt stays counted
// as a failure unless Release or Reset gives it back.
func (l *Limiter) Reserve(ctx context.Context, keys ...string) (time.Duration, error) {
	if l.calls.Add(1)%purgeEvery == 0 {
		if err := l.Purge(ctx); err != nil {
			return 0, err
		}
	}
	now := l.now()
	var wait time.Duration
	err := l.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for _, key := range keys {
			var r loginLimit
			if err := tx.NewRaw(reserveSQL, key, now, now.Add(-l.Window), l.limitFor(key), now.Add(l.Window)).Scan(ctx, &r); err != nil {
				return fmt.Errorf("auth: count attempt %s: %w", key, err)
			}
			if r.LockedUntil != nil && r.LockedUntil.After(now) {
				wait = max(wait, r.LockedUntil.Sub(now))
			}
		}
		return nil
	})
	return wait, err
}

// Release gives back one reserved attempt of each key: the attempt was not
// a failure (a successful sign-in from an address, or a server too busy to
// check the password).
func (l *Limiter) Release(ctx context.Context, keys ...string) error {
	if _, err := l.DB.W.NewUpdate().Model((*loginLimit)(nil)).Set("failures = failures - 1").
		Where("key IN (?) AND failures > 0", bun.In(keys)).Exec(ctx); err != nil {
		return fmt.Errorf("auth: release attempt: %w", err)
	}
	return nil
}

// Reset clears a key after a successful sign-in.
func (l *Limiter) Reset(ctx context.Context, key string) error {
	if _, err := l.DB.W.NewDelete().Model((*loginLimit)(nil)).Where("key = ?", key).Exec(ctx); err != nil {
		return fmt.Errorf("auth: reset limit: %w", err)
	}
	return nil
}

// Purge deletes the counters whose window and lock have both ended: they
// would restart from one at the next attempt anyway.
func (l *Limiter) Purge(ctx context.Context) error {
	now := l.now()
	if _, err := l.DB.W.NewDelete().Model((*loginLimit)(nil)).
		Where("window_start <= ? AND (locked_until IS NULL OR locked_until <= ?)", now.Add(-l.Window), now).
		Exec(ctx); err != nil {
		return fmt.Errorf("auth: purge login limits: %w", err)
	}
	return nil
}
