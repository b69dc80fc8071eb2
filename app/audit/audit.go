// Package audit keeps the tenant's append-only record of who did what:
// sign-ins, invitations, capability, page-access and module changes,
// deactivations, previews and tokens (SPEC §10). Records are only ever
// inserted; nothing in Atrium updates or deletes them.
package audit

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Action names what happened.
type Action string

// The recorded actions.
const (
	Login            Action = "login"
	LoginFailed      Action = "login.failed"
	Logout           Action = "logout"
	Invite           Action = "user.invite"
	InviteResend     Action = "user.invite_resend"
	InviteRevoke     Action = "user.invite_revoke"
	InviteAccept     Action = "user.invite_accept"
	PasswordReset    Action = "user.password_reset"
	PasswordChange   Action = "user.password_change"
	UserChange       Action = "user.change"
	KindChange       Action = "user.kind"
	CapabilityChange Action = "user.capabilities"
	PageAccessChange Action = "user.page_access"
	ModuleChange     Action = "user.modules"
	Deactivate       Action = "user.deactivate"
	Reactivate       Action = "user.reactivate"
	SettingsChange   Action = "settings.change" // page toggles (why, direction)
	BrandingChange   Action = "settings.branding"
	EmailSettings    Action = "settings.email"
	TeamChange       Action = "team.change"
	CompanyChange    Action = "company.change"
	EmailTest        Action = "email.test"
	TicketCreate     Action = "ticket.create"
	TicketChange     Action = "ticket.change"
	TicketNote       Action = "ticket.note"
	TicketWatchers   Action = "ticket.watchers"
	TicketSettings   Action = "settings.tickets"
	TokenCreate      Action = "token.create"
	TokenRevoke      Action = "token.revoke"
	ContactChange    Action = "contact.change" // a company contact added, changed or deleted
	// The knowledge base.
	ArticleCreate     Action = "article.create"
	ArticleChange     Action = "article.change"
	ArticleDelete     Action = "article.delete"
	ArticleCategories Action = "article.categories"
	ReportCreate      Action = "report.create"
	ReportChange      Action = "report.change" // its title, period, company or parts
	ReportPublish     Action = "report.publish"
	ReportDelete      Action = "report.delete"
	Office365Import   Action = "office365.import"
	Office365Sync     Action = "office365.sync"
	PlanChange        Action = "plan.change" // a plan item added, changed, deleted or commented on
	// The work of teams: each a rock, metric, issue, to-do or message
	// added, changed or deleted; the summary says which and how.
	RockChange    Action = "rock.change"
	MetricChange  Action = "metric.change"
	IssueChange   Action = "issue.change"
	TodoChange    Action = "todo.change"
	MessageChange Action = "message.change"
	MeetingChange Action = "meeting.change" // set up, started, moved on, rated, ended
	OneOnOne      Action = "one_on_one.change"
	// WorkboardChange: a workboard, card or task created or changed, or a
	// member added; the summary says which.
	WorkboardChange Action = "workboard.change"
	PreviewStart    Action = "preview.start"
	PreviewEnd      Action = "preview.end" // the summary says how: exit, expiry, logout, demotion
)

// The strategy pages' actions.
const (
	StrategySave   Action = "strategy.save" // a new version of the vision, why or direction
	HeadlineCreate Action = "headline.create"
	HeadlineChange Action = "headline.change"
	HeadlineDelete Action = "headline.delete"
	SeatChange     Action = "roles_chart.change" // a seat of the roles chart added, changed or removed
)

// Entry is one record.
type Entry struct {
	bun.BaseModel `bun:"table:audit_log,alias:al"`
	store.TenantOwned

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	At             time.Time `bun:"at,notnull" json:"at"`
	ActorID        *int64    `bun:"actor_id" json:"actor_id"`
	ImpersonatorID *int64    `bun:"impersonator_id" json:"impersonator_id"`
	Action         Action    `bun:"action,notnull" json:"action"`
	ObjectType     string    `bun:"object_type,notnull" json:"object_type"`
	ObjectID       *int64    `bun:"object_id" json:"object_id"`
	Address        string    `bun:"address,notnull" json:"address"`
	Summary        string    `bun:"summary,notnull" json:"summary"`
}

// Who is the actor of an entry: the user, who (if anyone) previews as them,
// and the client address.
type Who struct {
	ActorID        int64
	ImpersonatorID int64
	Address        string
}

func ptr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// Record appends one entry. Call it with the transaction of the action, so
// the record exists exactly when the action happened.
func Record(ctx context.Context, db *store.Scoped, who Who, action Action, objectType string, objectID int64, summary string) error {
	e := &Entry{
		At: time.Now().UTC(), ActorID: ptr(who.ActorID), ImpersonatorID: ptr(who.ImpersonatorID),
		Action: action, ObjectType: objectType, ObjectID: ptr(objectID), Address: who.Address, Summary: summary,
	}
	if _, err := db.Insert(e).Exec(ctx); err != nil {
		return fmt.Errorf("audit: record %s: %w", action, err)
	}
	return nil
}

// Filter narrows a listing.
type Filter struct {
	// Scope is the policy's scope of the reader (policy.AuditScope); the
	// zero scope lists nothing.
	Scope   policy.Scope
	Action  string // exact action, or a prefix ending in "." (e.g. "user.")
	ActorID int64
	// ImpersonatorID keeps the entries of that user's previews: what was
	// written while they previewed someone (impersonator_id) and their
	// own records of starting and ending a preview, which they wrote as
	// themselves (actor_id).
	ImpersonatorID int64
	// Previews keeps the entries of every preview, in the same sense.
	Previews bool
	Since    time.Time
	Until    time.Time
	Query    string // in the summary
	// Oldest lists the oldest entries first; the default is newest first.
	Oldest bool
	Before int64 // cursor, newest first: entries with a smaller ID
	After  int64 // cursor, oldest first: entries with a larger ID
	Limit  int
}

// Sorts are the orders of the log: newest first (the default) or oldest
// first. Entries are appended, so their IDs are their order in time.
var Sorts = store.Sorts{
	{Name: "-at", Label: "Newest first", ID: "al.id", Desc: true},
	{Name: "at", Label: "Oldest first", ID: "al.id"},
}

// CheckSort validates a ?sort= value of the log and reports whether it
// asks for the oldest entries first.
func CheckSort(name string) (oldest bool, err error) {
	o, ok := Sorts.Find(name)
	if !ok {
		return false, valid.Errors{"sort": "Sort by one of: " + Sorts.Names() + "."}
	}
	return !o.Desc, nil
}

// scopeTable is how policy.AuditScope becomes SQL.
var scopeTable = store.ScopeTable{List: policy.ListAudit, Table: "audit_log"}

// MaxLimit caps one page of entries.
const MaxLimit = 500

// List returns entries newest first (oldest first when f.Oldest), and the
// cursor of the next page (0 when none).
func List(ctx context.Context, db *store.Scoped, f Filter) ([]Entry, int64, error) {
	if f.Limit <= 0 || f.Limit > MaxLimit {
		f.Limit = 100
	}
	var out []Entry
	q := filtered(db, &out, f).Limit(int64(f.Limit + 1))
	if f.Oldest {
		q = q.OrderExpr("al.id ASC")
	} else {
		q = q.OrderExpr("al.id DESC")
	}
	if f.Before > 0 {
		q = q.Where("al.id < ?", f.Before)
	}
	if f.After > 0 {
		q = q.Where("al.id > ?", f.After)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("audit: list: %w", err)
	}
	var next int64
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = out[len(out)-1].ID
	}
	return out, next, nil
}

// Count is how many entries match f: the count above the log, through the
// same query as List without order, limit or cursor.
func Count(ctx context.Context, db *store.Scoped, f Filter) (int, error) {
	n, err := filtered(db, (*Entry)(nil), f).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("audit: count: %w", err)
	}
	return int(n), nil
}

// filtered is the select of the entries in f's scope matching its filters,
// without order, limit or cursor.
func filtered(db *store.Scoped, model any, f Filter) *bun.SelectQuery {
	q := db.SelectScoped(model, f.Scope, scopeTable)
	if f.Action != "" {
		if f.Action[len(f.Action)-1] == '.' {
			q = q.Where("al.action LIKE ? ESCAPE '\\'", escapeLikeExact(f.Action)+"%")
		} else {
			q = q.Where("al.action = ?", f.Action)
		}
	}
	if f.ActorID != 0 {
		q = q.Where("al.actor_id = ?", f.ActorID)
	}
	if f.ImpersonatorID != 0 {
		q = q.Where("(al.impersonator_id = ? OR (al.actor_id = ? AND al.action IN (?)))",
			f.ImpersonatorID, f.ImpersonatorID, bun.In(previewActions))
	}
	if f.Previews {
		q = q.Where("(al.impersonator_id IS NOT NULL OR al.action IN (?))", bun.In(previewActions))
	}
	if !f.Since.IsZero() {
		q = q.Where("al.at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		q = q.Where("al.at < ?", f.Until.UTC())
	}
	if f.Query != "" {
		// LOWER on both sides: each dialect folds case its own way (SQLite
		// ASCII only, PostgreSQL every letter), the same way on both.
		q = q.Where("LOWER(al.summary) LIKE LOWER(?) ESCAPE '\\'", "%"+escapeLike(f.Query)+"%")
	}
	return q
}

// previewActions are the records of a preview's start and end, which the
// admin writes as the actor: the writes in between name them as the
// impersonator instead.
var previewActions = []Action{PreviewStart, PreviewEnd}

// MaxImpersonators caps the choices Impersonators returns.
const MaxImpersonators = 100

// Impersonators are the IDs of the users who previewed someone, as the
// entries in scope record it (a preview's start or a write made during
// one), most recent first and at most MaxImpersonators: the choices of
// the log's "Previewed by" filter.
func Impersonators(ctx context.Context, db *store.Scoped, scope policy.Scope) ([]int64, error) {
	type previewer struct {
		Who    int64 `bun:"who"`
		Latest int64 `bun:"latest"` // the ID of their latest entry
	}
	in := Filter{Scope: scope}
	started := filtered(db, (*Entry)(nil), in).
		ColumnExpr("al.actor_id AS who, MAX(al.id) AS latest").
		Where("al.action IN (?) AND al.actor_id IS NOT NULL", bun.In(previewActions)).Group("al.actor_id")
	wrote := filtered(db, (*Entry)(nil), in).
		ColumnExpr("al.impersonator_id AS who, MAX(al.id) AS latest").
		Where("al.impersonator_id IS NOT NULL").Group("al.impersonator_id")
	latest := map[int64]int64{}
	for _, q := range []*bun.SelectQuery{started, wrote} {
		var rows []previewer
		if err := q.OrderExpr("latest DESC").Limit(MaxImpersonators).Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("audit: impersonators: %w", err)
		}
		for _, r := range rows {
			latest[r.Who] = max(latest[r.Who], r.Latest)
		}
	}
	ids := slices.SortedFunc(maps.Keys(latest), func(a, b int64) int { return cmp.Compare(latest[b], latest[a]) })
	return ids[:min(len(ids), MaxImpersonators)], nil
}

// escapeLikeExact escapes LIKE's wildcards and its escape character in s,
// changing nothing else, so that an action prefix such as "user_x." is
// matched as written and never as a pattern.
func escapeLikeExact(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '%' || r == '_' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeLike escapes LIKE's wildcards, so that a search for "super_admin"
// or "100%" finds exactly that text.
func escapeLike(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '%' || r == '_' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cursorAudit tags the cursors of the audit log.
const cursorAudit = "audit"

// ListPage returns one page of entries matching f, in its order, and the
// cursor of the next page ("" when this is the last). f.Before, f.After and
// f.Limit are taken from p; a cursor handed out under the other order is
// store.ErrBadCursor.
func ListPage(ctx context.Context, db *store.Scoped, f Filter, p store.Page) ([]Entry, string, error) {
	o := Sorts[0]
	if f.Oldest {
		o = Sorts[1]
	}
	after, ok, err := o.Decode(cursorAudit, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	f.Before, f.After, f.Limit = 0, 0, p.Size()
	if ok && f.Oldest {
		f.After = after.ID
	} else if ok {
		f.Before = after.ID
	}
	out, next, err := List(ctx, db, f)
	if err != nil || next == 0 {
		return out, "", err
	}
	return out, o.Encode(cursorAudit, "", next), nil
}
