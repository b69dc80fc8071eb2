package tenant

import (
	"context"
	"sync"
)

// Cache keeps, per instance, values derived from a tenant's settings (the
// ticket settings, the branding images' versions), each under the
// SettingsVersion of the tenant row it was loaded for. The database's
// triggers bump that version in the same transaction as any change to
// those settings, and every request reads its tenant row, so a value
// kept here is never used after a change, whichever instance made it.
//
// Loading the ticket settings was 5 statements of every ticket page
// (about 10% of erin's ticket list's CPU over 200,000 tickets,
// docs/performance.md).
type Cache struct {
	mu      sync.Mutex
	entries map[cacheKey]cacheEntry
}

type cacheKey struct {
	tenantID int64
	name     string
}

type cacheEntry struct {
	version int64
	value   any
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{entries: map[cacheKey]cacheEntry{}} }

// Cached returns the value named name for tenant t: the one kept for t's
// SettingsVersion, or load's, which is then kept. Values are shared by
// concurrent requests and must not be changed. A nil cache always loads.
func Cached[T any](ctx context.Context, c *Cache, t *Tenant, name string, load func(context.Context) (T, error)) (T, error) {
	if c == nil {
		return load(ctx)
	}
	key := cacheKey{t.ID, name}
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.version == t.SettingsVersion {
		if v, ok := e.value.(T); ok {
			return v, nil
		}
	}
	// Two requests may load at once after a change; both get a value of
	// this version, and the last one is kept.
	v, err := load(ctx)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if cur, ok := c.entries[key]; !ok || cur.version <= t.SettingsVersion {
		c.entries[key] = cacheEntry{version: t.SettingsVersion, value: v}
	}
	c.mu.Unlock()
	return v, nil
}
