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
	// Actor is the inviting user; the zero Actor is the platform operator
	// on the command line, who is not limited by capabilities.
	Actor     policy.Actor
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

// Invitation is an invited user's pending link and its delivery.
type Invitation struct {
	ID        int64       `json:"id"`
	UserID    int64       `json:"user_id"`
	Email     string      `json:"email"`
	Kind      policy.Kind `json:"kind"`
	Status    string      `json:"status"` // pending, accepted, revoked, expired
	Delivery  mail.Status `json:"delivery"`
	Error     string      `json:"delivery_error,omitempty"`
	ExpiresAt time.Time   `json:"expires_at"`
	CreatedAt time.Time   `json:"created_at"`
	// Link is the emailed link; only the command line shows it, to its operator.
	Link string `json:"-"`
}

// Invite creates the invited user with their teams, companies and modules,
// a 7-day single-use token and the email carrying it, in one transaction.
func Invite(ctx context.Context, ic Context, r Request) (*Invitation, error) {
	r.Email = people.NormalizeEmail(r.Email)
	if r.Kind == "" {
		r.Kind = policy.Member
	}
	errs := valid.Errors{}
	if ic.Actor.SignedIn() {
		if err := policy.CheckCapabilities(ic.Actor, r.Kind, nil, r.Capabilities); err != nil {
			errs.Add("capabilities", sentence(err))
		}
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
		if _, err := people.UserByEmail(ctx, tx, r.Email); err == nil {
			return ErrConflict
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
		if r.OwnTicketsOnly && r.Kind.External() {
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

// issue makes a fresh token for u (ending earlier ones) and queues its email.
func issue(ctx context.Context, ic Context, tx *store.Scoped, u *people.User) (*Invitation, error) {
	secret, tok, err := auth.IssueToken(ctx, tx, u.ID, auth.PurposeInvite, time.Now().UTC())
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
	return &Invitation{ID: tok.ID, UserID: u.ID, Email: u.Email, Kind: u.Kind, Status: "pending", Delivery: m.Status,
		ExpiresAt: tok.ExpiresAt, CreatedAt: tok.CreatedAt, Link: ic.Base + "/invite/" + secret}, nil
}

// pendingUser loads the invited user behind invitation id (a token ID).
func pendingUser(ctx context.Context, tx *store.Scoped, id int64) (*people.User, *auth.UserToken, error) {
	tok := new(auth.UserToken)
	err := tx.Select(tok).Where("id = ? AND purpose = ?", id, auth.PurposeInvite).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	u, err := people.UserByID(ctx, tx, tok.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Status != people.Invited {
		return nil, nil, ErrGone
	}
	return u, tok, nil
}

// Resend ends the invitation's link and sends a new one.
func Resend(ctx context.Context, ic Context, id int64) (*Invitation, error) {
	var inv *Invitation
	err := ic.DB.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		u, _, err := pendingUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if inv, err = issue(ctx, ic, tx, u); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ic.Who, audit.InviteResend, "user", u.ID, "resent the invitation to "+u.Email)
	})
	return inv, err
}

// Revoke ends the invitation: the invited user, who never signed in, is
// removed with their links, so the link stops working and the address can
// be invited again later. The audit log keeps the record.
func Revoke(ctx context.Context, ic Context, id int64) error {
	return ic.DB.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		u, _, err := pendingUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Delete((*people.User)(nil)).Where("id = ? AND status = ?", u.ID, people.Invited).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ic.Who, audit.InviteRevoke, "user", u.ID, "revoked the invitation of "+u.Email)
	})
}

// List returns the invitations of users still invited, newest first, with delivery state.
func List(ctx context.Context, db *store.Scoped) ([]Invitation, error) {
	var rows []struct {
		ID        int64       `bun:"id"`
		UserID    int64       `bun:"user_id"`
		Email     string      `bun:"email"`
		Kind      policy.Kind `bun:"kind"`
		ExpiresAt time.Time   `bun:"expires_at"`
		CreatedAt time.Time   `bun:"created_at"`
		RevokedAt *time.Time  `bun:"revoked_at"`
		UsedAt    *time.Time  `bun:"used_at"`
		Status    mail.Status `bun:"status"`
		LastError string      `bun:"last_error"`
	}
	err := db.Select((*auth.UserToken)(nil)).
		ColumnExpr("ut.id, ut.user_id, u.email, u.kind, ut.expires_at, ut.created_at, ut.revoked_at, ut.used_at").
		ColumnExpr("COALESCE(ob.status, '') AS status, COALESCE(ob.last_error, '') AS last_error").
		Join("JOIN users AS u ON u.id = ut.user_id AND u.tenant_id = ut.tenant_id").
		Join("LEFT JOIN outbox AS ob ON ob.id = ut.message_id AND ob.tenant_id = ut.tenant_id").
		Where("ut.purpose = ? AND u.status = ? AND ut.used_at IS NULL AND ut.revoked_at IS NULL", auth.PurposeInvite, people.Invited).
		OrderExpr("ut.id DESC").Limit(500).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("invitations: list: %w", err)
	}
	now := time.Now().UTC()
	out := make([]Invitation, 0, len(rows))
	for _, r := range rows {
		st := "pending"
		if !now.Before(r.ExpiresAt) {
			st = "expired"
		}
		out = append(out, Invitation{ID: r.ID, UserID: r.UserID, Email: r.Email, Kind: r.Kind, Status: st,
			Delivery: r.Status, Error: r.LastError, ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt})
	}
	return out, nil
}

// Accept uses the token: the invited user sets name and password and
// becomes active. The password is hashed under h's bound.
func Accept(ctx context.Context, db *store.Scoped, h *auth.Hasher, secret, name, password string, who audit.Who) (*people.User, error) {
	errs := valid.Errors{}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 120 || !valid.Text(name) {
		errs.Add("name", "Enter your name (up to 120 characters).")
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
