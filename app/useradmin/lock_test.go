package useradmin_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/useradmin"
)

// statements records the statements run on a handle, in order, with the
// rows each affected, while on.
type statements struct {
	mu   sync.Mutex
	on   bool
	seen []string
}

func (s *statements) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (s *statements) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.on {
		return
	}
	var rows int64 = -1
	if e.Result != nil {
		rows, _ = e.Result.RowsAffected()
	}
	s.seen = append(s.seen, fmt.Sprintf("%s [rows %d]", e.Query, rows))
}

func (s *statements) record(on bool) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.on = on
	out := s.seen
	s.seen = nil
	return out
}

// TestChangesThatCanRemoveASuperAdminLockFirst: a change of status,
// capabilities or kind locks the tenant's row as the first statement of its
// transaction, before it reads the user or counts the super admins; a lock
// taken after the count would not stop two demotions racing past it.
//
// SQLite cannot show the race itself (its writer runs one transaction at a
// time, lock or not: see app/store/lock_test.go); this test shows that
// Apply takes the lock, and where. The PostgreSQL run of
// TestLastSuperAdminConcurrent (a later issue) shows that the lock works.
func TestChangesThatCanRemoveASuperAdminLockFirst(t *testing.T) {
	tests := []struct {
		name  string
		caps  []policy.Capability // the target's
		patch useradmin.Patch     // sets only one of the three fields
	}{
		{"deactivation", []policy.Capability{policy.SuperAdmin}, useradmin.Patch{Status: ptr(people.Deactivated)}},
		{"capability change", []policy.Capability{policy.SuperAdmin}, useradmin.Patch{Capabilities: caps(policy.Admin)}},
		{"kind change", nil, useradmin.Patch{Kind: ptr(policy.Guest)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			actor := user(t, e.s, "super@acme.test", policy.Member, policy.SuperAdmin)
			target := user(t, e.s, "target@acme.test", policy.Member, tt.caps...)
			log := &statements{}
			e.db.W.AddQueryHook(log)
			log.record(true)
			if _, err := apply(e, actor, target.ID, tt.patch); err != nil {
				t.Fatal(err)
			}
			seen := log.record(false)
			// LockTenant's statement on SQLite, writing exactly this tenant's row.
			lock := fmt.Sprintf("WHERE id = %d [rows 1]", e.tn.ID)
			if len(seen) < 2 || seen[0] != "BEGIN [rows -1]" || !strings.HasPrefix(seen[1], "UPDATE tenants ") || !strings.HasSuffix(seen[1], lock) {
				t.Errorf("statements of the change:\n%s\nwant BEGIN, then the lock: UPDATE tenants … %s", strings.Join(seen, "\n"), lock)
			}
		})
	}
}
