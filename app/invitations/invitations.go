// Package invitations brings people into a tenant: invite (a user in the
// invited state, a single-use link and its email, written in one
// transaction), resend, revoke, list with delivery state, and accept.
package invitations

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
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
)

// Errors the callers turn into answers.
var (
	ErrNotFound = errors.New("invitations: not found")
	ErrConflict = errors.New("invitations: a user with this address already exists")
	ErrGone     = errors.New("invitations: used, revoked or expired")
	// ErrForbidden means the actor may not invite, or may not set a field
	// of this invitation; the policy decides, as for edits.
	ErrForbidden = errors.New("invitations: not allowed")
	// ErrNotManaged means the actor may see the invitation but not resend
	// or revoke it: they could not manage the person it invites (a people
	// admin and an admin's invitation, say). It is an ErrForbidden.
	ErrNotManaged = fmt.Errorf("%w: only those who may manage the invited person may resend or revoke their invitation", ErrForbidden)
)

// Context is what every operation needs about where and by whom it happens.
type Context struct {
	DB     *store.Scoped
	Tenant *tenant.Tenant
	// Base is the tenant's root URL on its primary host: links never come
	// from the request's Host.
	Base string
	// LogoETag versions the logo in emails ("" for none).
	LogoETag string
	// Actor is the inviting user, or policy.Operator on the command line;
	// the zero Actor may invite nobody.
	Actor policy.Actor
	// Settings are the tenant's toggles, for the policy.
	Settings  policy.Settings
	ActorName string
	Who       audit.Who
}

// Request is one invitation.
type Request struct {
	Email          string                 `json:"email"`
	Name           string                 `json:"name"`
	Kind           policy.Kind            `json:"kind"`
	Capabilities   []policy.Capability    `json:"capabilities"`
	TeamIDs        []int64                `json:"team_ids"`
	CompanyIDs     []int64                `json:"company_ids"`
	Modules        []people.ModuleSetting `json:"modules"`
	OwnTicketsOnly bool                   `json:"own_tickets_only"`
	TestUser       bool                   `json:"test_user"`
}

// The states of an invitation: its email queued, sent or failed; then
// accepted, revoked (or replaced by a resend) or expired.
const (
	StateQueued   = "queued"
	StateSent     = "sent"
	StateFailed   = "failed"
	StateAccepted = "accepted"
	StateRevoked  = "revoked"
	StateExpired  = "expired"
)

// Invitation is an invited user's link and its delivery.
type Invitation struct {
	ID     int64       `json:"id"`
	UserID int64       `json:"user_id"`
	Email  string      `json:"email"`
	Kind   policy.Kind `json:"kind"`
	Status string      `json:"status"` // pending, accepted, revoked, expired
	// State is where the invitation is: queued, sent, failed, accepted, revoked or expired.
	State    string      `json:"state"`
	Delivery mail.Status `json:"delivery"`
	// DeliveredBy is the transport that sent the email: "smtp", or "log"
	// when it was only written to the server's log; absent until sent.
	DeliveredBy string    `json:"delivered_by,omitempty"`
	Error       string    `json:"delivery_error,omitempty"`
	ExpiresAt   time.Time `json:"expires_at"`
	CreatedAt   time.Time `json:"created_at"`
	// Link is the emailed link; only the command line shows it, to its operator.
	Link string `json:"-"`
}

// Invite creates the invited user with their teams, companies and modules,
// a 7-day single-use token and the email carrying it, in one transaction.
func Invite(ctx context.Context, ic Context, r Request) (*Invitation, error) {
	if err := valid.Email("email", r.Email); err != nil {
		return nil, err
	}
	r.Email = people.NormalizeEmail(r.Email)
	if r.Kind == "" {
		r.Kind = policy.Member
	}
	if !policy.Allows(ic.Actor, ic.Settings, policy.InviteUsers) {
		return nil, ErrForbidden
	}
	// The fields an invitation shares with a user's page are guarded by
	// the same rules as when they are edited later.
	var guarded []policy.UserField
	if len(r.Modules) > 0 {
		guarded = append(guarded, policy.FieldModules)
	}
	if r.OwnTicketsOnly {
		guarded = append(guarded, policy.FieldOwnTicketsOnly)
	}
	if r.TestUser {
		guarded = append(guarded, policy.FieldTestUser)
	}
	if err := policy.CheckUserFields(ic.Actor, ic.Settings, guarded...); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrForbidden, err)
	}
	r.Capabilities = policy.UniqueCapabilities(r.Capabilities)
	errs := valid.Errors{}
	if err := policy.CheckCapabilities(ic.Actor, r.Kind, nil, r.Capabilities); err != nil {
		errs.Add("capabilities", sentence(err))
	}
	if err := people.CheckAssignments(ctx, ic.DB, r.Kind, r.TeamIDs, r.CompanyIDs); err != nil {
		var ve valid.Errors
		if !errors.As(err, &ve) {
			return nil, err
		}
		for k, v := range ve {
			errs.Add(k, v)
		}
	}
	modules, err := people.CheckModules(r.Kind, r.Modules, len(r.CompanyIDs))
	if err != nil {
		var ve valid.Errors
		if !errors.As(err, &ve) {
			return nil, err
		}
		for k, v := range ve {
			errs.Add(k, v)
		}
	}
	nu := people.NewUser{Email: r.Email, Name: r.Name, Kind: r.Kind, Capabilities: r.Capabilities, Status: people.Invited, TestUser: r.TestUser}
	if err := nu.Validate(); err != nil {
		var ve valid.Errors
		if errors.As(err, &ve) {
			for k, v := range ve {
				errs.Add(k, v)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var inv *Invitation
	err = ic.DB.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if old, err := people.UserByEmail(ctx, tx, r.Email); err == nil {
			// Someone deactivated before accepting never had an account
			// (no password, nothing of theirs): they are invited afresh,
			// as after a revoke. Anyone else already has this address.
			if old.Status != people.Deactivated || old.PasswordHash != "" {
				return ErrConflict
			}
			if _, err := tx.Delete((*people.User)(nil)).Where("id = ? AND status = ? AND password_hash = ''", old.ID, people.Deactivated).Exec(ctx); err != nil {
				return fmt.Errorf("invitations: remove %d, deactivated before accepting: %w", old.ID, err)
			}
		} else if !errors.Is(err, people.ErrNotFound) {
			return err
		}
		u, err := people.CreateUser(ctx, tx, nu)
		if err != nil {
			return err
		}
		if err := people.SetAssignments(ctx, tx, u.ID, r.TeamIDs, r.CompanyIDs); err != nil {
			return err
		}
		if err := people.SetModules(ctx, tx, u.ID, modules); err != nil {
			return err
		}
		if r.OwnTicketsOnly && policy.HasCompanies(r.Kind) {
			if _, err := tx.Update((*people.User)(nil)).Set("own_tickets_only = ?", true).Where("id = ?", u.ID).Exec(ctx); err != nil {
				return err
			}
		}
		inv, err = issue(ctx, ic, tx, u)
		if err != nil {
			return err
		}
		caps := ""
		if len(r.Capabilities) > 0 {
			caps = " with " + joinCaps(r.Capabilities)
		}
		return audit.Record(ctx, tx, ic.Who, audit.Invite, "user", u.ID, fmt.Sprintf("invited %s as %s%s", u.Email, u.Kind, caps))
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// record is the lasting record of one invitation: it outlives the invited
// user, who is removed on revocation, and its ID is the invitation's ID.
type record struct {
	bun.BaseModel `bun:"table:invitations,alias:inv"`
	store.TenantOwned

	ID         int64       `bun:"id,pk,autoincrement"`
	TokenID    int64       `bun:"token_id,notnull"`
	UserID     int64       `bun:"user_id,notnull"`
	Email      string      `bun:"email,notnull"`
	Kind       policy.Kind `bun:"kind,notnull"`
	MessageID  *int64      `bun:"message_id"`
	CreatedBy  *int64      `bun:"created_by"`
	CreatedAt  time.Time   `bun:"created_at,notnull"`
	ExpiresAt  time.Time   `bun:"expires_at,notnull"`
	AcceptedAt *time.Time  `bun:"accepted_at"`
	RevokedAt  *time.Time  `bun:"revoked_at"`
}

// stateOf is the state of an invitation from its record and the delivery of its email.
func stateOf(acceptedAt, revokedAt *time.Time, expiresAt time.Time, delivery mail.Status, now time.Time) string {
	switch {
	case acceptedAt != nil:
		return StateAccepted
	case revokedAt != nil:
		return StateRevoked
	case !now.Before(expiresAt):
		return StateExpired
	case delivery == mail.Sent:
		return StateSent
	case delivery == mail.Failed:
		return StateFailed
	}
	return StateQueued
}

// claim makes the change set to invitation id only while it is open
// (neither accepted nor revoked) and reports whether it did. It is how
// resend, revoke and accept take an invitation: a conditional update that
// holds the row until the transaction ends, so of concurrent operations on
// one invitation exactly one sees it open, on any database, without
// relying on SQLite's single writer.
func claim(ctx context.Context, tx *store.Scoped, id int64, set string, args ...any) (bool, error) {
	res, err := tx.Update((*record)(nil)).Set(set, args...).
		Where("id = ? AND accepted_at IS NULL AND revoked_at IS NULL", id).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("invitations: claim %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("invitations: claim %d: %w", id, err)
	}
	return n == 1, nil
}

// cancelEmail cancels the email of invitation r if it still waits in the outbox.
func cancelEmail(ctx context.Context, tx *store.Scoped, r *record) error {
	if r.MessageID == nil {
		return nil
	}
	_, err := mail.Cancel(ctx, tx, *r.MessageID)
	return err
}

// endOpen revokes every open invitation of user and cancels their emails
// still waiting in the outbox, in tx: a revoked or replaced link is never
// emailed.
func endOpen(ctx context.Context, tx *store.Scoped, userID int64, now time.Time) error {
	var open []record
	if err := tx.Select(&open).Where("user_id = ? AND accepted_at IS NULL AND revoked_at IS NULL", userID).Scan(ctx); err != nil {
		return fmt.Errorf("invitations: load open of user %d: %w", userID, err)
	}
	for i := range open {
		ok, err := claim(ctx, tx, open[i].ID, "revoked_at = ?", now)
		if err != nil {
			return err
		}
		if !ok {
			continue // accepted or revoked meanwhile, by the transaction that took it
		}
		if err := cancelEmail(ctx, tx, &open[i]); err != nil {
			return err
		}
	}
	return nil
}

// EndOpen ends the open invitations of user in tx, when an administrator
// deactivates an invited user: each invitation is recorded as revoked, its
// email is cancelled if still queued, and the user's links stop working.
// The caller checks that the actor may deactivate the user and records it.
func EndOpen(ctx context.Context, tx *store.Scoped, userID int64) error {
	if err := endOpen(ctx, tx, userID, time.Now().UTC()); err != nil {
		return err
	}
	return auth.RevokeTokens(ctx, tx, userID)
}

// issue makes a fresh token for u (ending earlier ones and cancelling
// their unsent emails) and queues its email.
func issue(ctx context.Context, ic Context, tx *store.Scoped, u *people.User) (*Invitation, error) {
	now := time.Now().UTC()
	if err := endOpen(ctx, tx, u.ID, now); err != nil {
		return nil, err
	}
	secret, tok, err := auth.IssueToken(ctx, tx, u.ID, auth.PurposeInvite, now)
	if err != nil {
		return nil, err
	}
	m, err := mail.Build(ic.Tenant, ic.Base, ic.LogoETag, mail.KindInvite, u.Email,
		mail.InvitationLetter(ic.Tenant, ic.ActorName, ic.Base+"/invite/"+secret))
	if err != nil {
		return nil, err
	}
	if err := mail.Enqueue(ctx, tx, m); err != nil {
		return nil, err
	}
	tok.MessageID = &m.ID
	if ic.Actor.UserID != 0 {
		tok.CreatedBy = &ic.Actor.UserID
	}
	if _, err := tx.Update(tok).Column("message_id", "created_by").WherePK().Exec(ctx); err != nil {
		return nil, fmt.Errorf("invitations: link message: %w", err)
	}
	rec := &record{TokenID: tok.ID, UserID: u.ID, Email: u.Email, Kind: u.Kind, MessageID: &m.ID, CreatedBy: tok.CreatedBy,
		CreatedAt: tok.CreatedAt, ExpiresAt: tok.ExpiresAt}
	if _, err := tx.Insert(rec).Exec(ctx); err != nil {
		return nil, fmt.Errorf("invitations: record: %w", err)
	}
	return &Invitation{ID: rec.ID, UserID: u.ID, Email: u.Email, Kind: u.Kind, Status: "pending", State: StateQueued, Delivery: m.Status,
		ExpiresAt: tok.ExpiresAt, CreatedAt: tok.CreatedAt, Link: ic.Base + "/invite/" + secret}, nil
}

// load returns invitation id through the actor's scope
// (policy.InvitationsScope): outside it, the invitation is ErrNotFound.
func load(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*record, error) {
	rec := new(record)
	err := db.SelectScoped(rec, policy.InvitationsScope(a), scopeTable).Where("inv.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("invitations: load %d: %w", id, err)
	}
	return rec, nil
}

// pendingUser loads the invited user behind open invitation id, within the
// actor's scope, and checks that the actor may manage that user: resending
// or revoking an invitation is acting on the person it invites.
func pendingUser(ctx context.Context, ic Context, tx *store.Scoped, id int64) (*people.User, *record, error) {
	rec, err := load(ctx, tx, ic.Actor, id)
	if err != nil {
		return nil, nil, err
	}
	if rec.AcceptedAt != nil || rec.RevokedAt != nil {
		return nil, nil, ErrGone
	}
	u, err := people.UserByID(ctx, tx, rec.UserID)
	if errors.Is(err, people.ErrNotFound) {
		return nil, nil, ErrGone
	}
	if err != nil {
		return nil, nil, err
	}
	if u.Status != people.Invited || u.Email != rec.Email {
		return nil, nil, ErrGone
	}
	if !policy.CanManageUser(ic.Actor, ic.Settings, policy.Target{UserID: u.ID, Kind: u.Kind, Capabilities: u.CapabilityList()}) {
		return nil, nil, ErrNotManaged
	}
	return u, rec, nil
}

// Resend ends the invitation's link and sends a new one. Of concurrent
// resends of one invitation, the first replaces it and the others find it
// gone: one live link remains.
func Resend(ctx context.Context, ic Context, id int64) (*Invitation, error) {
	var inv *Invitation
	err := ic.DB.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		// First take the invitation's row (a no-op conditional update), so
		// that a concurrent resend, revoke or accept waits for this one and
		// then finds the invitation replaced.
		open, err := claim(ctx, tx, id, "id = id")
		if err != nil {
			return err
		}
		u, _, err := pendingUser(ctx, ic, tx, id)
		if err != nil {
			return err
		}
		if !open {
			return ErrGone
		}
		if inv, err = issue(ctx, ic, tx, u); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ic.Who, audit.InviteResend, "user", u.ID, "resent the invitation to "+u.Email)
	})
	return inv, err
}

// Revoke ends the invitation: its email, if not yet sent, is cancelled;
// the invited user, who never signed in, is removed with their links, so
// the link stops working and the address can be invited again later. The
// invitation's record and the audit log keep what happened.
func Revoke(ctx context.Context, ic Context, id int64) error {
	return ic.DB.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		u, rec, err := pendingUser(ctx, ic, tx, id)
		if err != nil {
			return err
		}
		// Of a revoke racing another revoke, a resend or an accept of the
		// same invitation, only the one whose conditional update changes
		// the row goes on.
		now := time.Now().UTC()
		ok, err := claim(ctx, tx, rec.ID, "revoked_at = ?", now)
		if err != nil {
			return err
		}
		if !ok {
			return ErrGone
		}
		if err := cancelEmail(ctx, tx, rec); err != nil {
			return err
		}
		if err := endOpen(ctx, tx, u.ID, now); err != nil {
			return err
		}
		if _, err := tx.Delete((*people.User)(nil)).Where("id = ? AND status = ?", u.ID, people.Invited).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ic.Who, audit.InviteRevoke, "user", u.ID, "revoked the invitation of "+u.Email)
	})
}

// List returns every pending invitation within sc (policy.InvitationsScope),
// newest first, following the pages of ListPage.
func List(ctx context.Context, db *store.Scoped, sc policy.Scope) ([]Invitation, error) {
	return ListSorted(ctx, db, sc, "")
}

// ListSorted is List in the order of Sorts named sort ("" for the default).
func ListSorted(ctx context.Context, db *store.Scoped, sc policy.Scope, sort string) ([]Invitation, error) {
	out := []Invitation{}
	p := store.Page{Limit: store.MaxLimit}
	for {
		page, next, err := ListPageSorted(ctx, db, sc, sort, p)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		p.Cursor = next
	}
}

// scopeTable is how policy.InvitationsScope becomes SQL.
var scopeTable = store.ScopeTable{List: policy.ListInvitations, Table: "invitations"}

// cursorInvitations tags the cursors of the invitations list.
const cursorInvitations = "invitations"

// Sorts are the orders of the pending invitations: newest first (the
// default), oldest first, or by address.
var Sorts = store.Sorts{
	{Name: "-created", Label: "Newest first", ID: "inv.id", Desc: true},
	{Name: "created", Label: "Oldest first", ID: "inv.id"},
	{Name: "email", Label: "Address A–Z", Expr: "inv.email", ID: "inv.id"},
}

// pending is the select of the pending invitations within sc, without
// order or limit.
func pending(db *store.Scoped, sc policy.Scope) *bun.SelectQuery {
	return db.SelectScoped((*record)(nil), sc, scopeTable).
		Join("JOIN users AS u ON u.id = inv.user_id AND u.tenant_id = inv.tenant_id AND u.email = inv.email").
		Where("u.status = ? AND inv.accepted_at IS NULL AND inv.revoked_at IS NULL", people.Invited)
}

// ListPage returns one page of pending invitations, newest first, with their
// delivery state, and the cursor of the next page ("" when this is the last).
func ListPage(ctx context.Context, db *store.Scoped, sc policy.Scope, p store.Page) ([]Invitation, string, error) {
	return ListPageSorted(ctx, db, sc, "", p)
}

// ListPageSorted is ListPage in the order of Sorts named sort ("" for the
// default); an unknown sort is valid.Errors, a cursor of another sort
// store.ErrBadCursor.
func ListPageSorted(ctx context.Context, db *store.Scoped, sc policy.Scope, sort string, p store.Page) ([]Invitation, string, error) {
	o, known := Sorts.Find(sort)
	if !known {
		return nil, "", valid.Errors{"sort": "Sort by one of: " + Sorts.Names() + "."}
	}
	after, ok, err := o.Decode(cursorInvitations, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.Size()
	var rows []struct {
		ID        int64       `bun:"id"`
		UserID    int64       `bun:"user_id"`
		Email     string      `bun:"email"`
		Kind      policy.Kind `bun:"kind"`
		ExpiresAt time.Time   `bun:"expires_at"`
		CreatedAt time.Time   `bun:"created_at"`
		Status    mail.Status `bun:"status"`
		LastError string      `bun:"last_error"`
		By        string      `bun:"delivered_by"`
	}
	q := o.Apply(pending(db, sc).
		ColumnExpr("inv.id, inv.user_id, inv.email, inv.kind, inv.expires_at, inv.created_at").
		ColumnExpr("COALESCE(ob.status, '') AS status, COALESCE(ob.last_error, '') AS last_error, COALESCE(ob.delivered_by, '') AS delivered_by").
		Join("LEFT JOIN outbox AS ob ON ob.id = inv.message_id AND ob.tenant_id = inv.tenant_id"), after, ok, limit)
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, "", fmt.Errorf("invitations: list: %w", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		next = o.Encode(cursorInvitations, last.Email, last.ID)
	}
	now := time.Now().UTC()
	out := make([]Invitation, 0, len(rows))
	for _, r := range rows {
		st := "pending"
		if !now.Before(r.ExpiresAt) {
			st = "expired"
		}
		out = append(out, Invitation{ID: r.ID, UserID: r.UserID, Email: r.Email, Kind: r.Kind, Status: st,
			State:    stateOf(nil, nil, r.ExpiresAt, r.Status, now),
			Delivery: r.Status, DeliveredBy: r.By, Error: r.LastError, ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt})
	}
	return out, next, nil
}

// Get returns invitation id with its state, whatever that is: also once
// accepted, revoked or expired. It is loaded through the actor's scope
// (policy.InvitationsScope), like the list: another tenant's invitation, or
// any for an actor who may not see invitations, is ErrNotFound. Whoever
// sees the list sees each of its invitations, also those they may not
// resend or revoke.
func Get(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Invitation, error) {
	r, err := load(ctx, db, a, id)
	if err != nil {
		return nil, err
	}
	inv := &Invitation{ID: r.ID, UserID: r.UserID, Email: r.Email, Kind: r.Kind, ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt}
	if r.MessageID != nil {
		m, err := mail.ByID(ctx, db, *r.MessageID)
		if err != nil {
			return nil, err
		}
		inv.Delivery, inv.DeliveredBy, inv.Error = m.Status, m.DeliveredBy, m.LastError
	}
	now := time.Now().UTC()
	inv.State = stateOf(r.AcceptedAt, r.RevokedAt, r.ExpiresAt, inv.Delivery, now)
	switch inv.State {
	case StateAccepted, StateRevoked, StateExpired:
		inv.Status = inv.State
	default:
		inv.Status = "pending"
	}
	return inv, nil
}

// Accept uses the token: the invited user sets name and password and
// becomes active. The password is hashed under h's bound.
func Accept(ctx context.Context, db *store.Scoped, h *auth.Hasher, secret, name, password string, who audit.Who) (*people.User, error) {
	errs := valid.Errors{}
	name = strings.TrimSpace(name)
	if people.CheckName("name", name) != nil || !valid.Text(name) {
		errs.Add("name", fmt.Sprintf("Enter your name: up to %d characters, on one line.", people.MaxUserName))
	}
	if err := auth.CheckNewPassword(password); err != nil {
		var ve valid.Errors
		if errors.As(err, &ve) {
			errs.Add("password", ve["password"])
		}
	}
	now := time.Now().UTC()
	// A dead link is reported before bad fields: there is nothing to fix.
	tok, err := auth.PeekToken(ctx, db, secret, auth.PurposeInvite, now)
	if errors.Is(err, auth.ErrTokenGone) {
		return nil, ErrGone
	}
	if err != nil {
		return nil, err
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	hash, err := h.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	var u *people.User
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		// The invitation is taken by a conditional update: if a revoke or
		// resend took it first, this accept is gone. It comes before the
		// link is marked used, in the order revoke and resend take their
		// rows (invitation, then links): on PostgreSQL, where they run side
		// by side, the opposite order deadlocks.
		res, err := tx.Update((*record)(nil)).Set("accepted_at = ?", now).
			Where("token_id = ? AND accepted_at IS NULL AND revoked_at IS NULL", tok.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("invitations: accept %d: %w", tok.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("invitations: accept %d: %w", tok.ID, err)
		} else if n != 1 {
			return auth.ErrTokenGone
		}
		if _, err := auth.UseToken(ctx, tx, secret, auth.PurposeInvite, now); err != nil {
			return err
		}
		cur, err := people.UserByID(ctx, tx, tok.UserID)
		if err != nil {
			return err
		}
		if cur.Status != people.Invited {
			return auth.ErrTokenGone
		}
		if err := people.SetPassword(ctx, tx, cur.ID, hash, name); err != nil {
			return err
		}
		who.ActorID = cur.ID
		if err := audit.Record(ctx, tx, who, audit.InviteAccept, "user", cur.ID, cur.Email+" accepted the invitation"); err != nil {
			return err
		}
		u, err = people.UserByID(ctx, tx, cur.ID)
		return err
	})
	if errors.Is(err, auth.ErrTokenGone) {
		return nil, ErrGone
	}
	return u, err
}

// Peek returns the invited user behind a live link, for the accept page.
func Peek(ctx context.Context, db *store.Scoped, secret string) (*people.User, error) {
	tok, err := auth.PeekToken(ctx, db, secret, auth.PurposeInvite, time.Now().UTC())
	if errors.Is(err, auth.ErrTokenGone) {
		return nil, ErrGone
	}
	if err != nil {
		return nil, err
	}
	u, err := people.UserByID(ctx, db, tok.UserID)
	if err != nil {
		return nil, err
	}
	if u.Status != people.Invited {
		return nil, ErrGone
	}
	return u, nil
}

func sentence(err error) string {
	s := err.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func joinCaps(cs []policy.Capability) string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, string(c))
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// InviterOf names who sent the invitation behind a link, live or dead, so
// that the page of a used or expired link can say whom to ask for a new
// one. It is "" when nobody can be named: an unknown link (a revoked
// invitation's link goes with the invited user), one made on the command
// line, or an inviter who is no longer active.
func InviterOf(ctx context.Context, db *store.Scoped, secret string) (string, error) {
	tok, err := auth.FindToken(ctx, db, secret, auth.PurposeInvite)
	if errors.Is(err, auth.ErrTokenGone) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if tok.CreatedBy == nil {
		return "", nil
	}
	u, err := people.UserByID(ctx, db, *tok.CreatedBy)
	if errors.Is(err, people.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if u.Status != people.Active {
		return "", nil
	}
	return u.DisplayName(), nil
}
