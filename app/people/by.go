package people

import (
	"context"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// By is who performs an operation on teams, companies or groups: the actor,
// whose scope the operation loads its object through, and the audit
// record's actor, impersonator and address.
type By struct {
	Actor policy.Actor
	// Settings are the tenant's settings the actor's decisions are made
	// under, for the views an operation returns.
	Settings policy.Settings
	Who      audit.Who
}

// record appends the operation's audit record inside its transaction, so the
// record exists exactly when the change does.
func (b By) record(ctx context.Context, tx *store.Scoped, action audit.Action, objectType string, id int64, summary string) error {
	return audit.Record(ctx, tx, b.Who, action, objectType, id, summary)
}
