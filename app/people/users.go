package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// ErrNotFound means no such user in this tenant.
var ErrNotFound = errors.New("people: not found")

// CheckName validates a person's name, trimmed, for field: present, one
// line (no line breaks, tabs or other control characters) and at most
// MaxUserName characters. Inviting, accepting an invitation and editing a
// user all ask it, so a name is the same kind of value whichever path stored it.
func CheckName(field, s string) error {
	s = strings.TrimSpace(s)
	if s == "" || valid.Line(s, MaxUserName) != "" {
		return valid.Errors{field: fmt.Sprintf("Enter a name of up to %d characters, on one line.", MaxUserName)}
	}
	return nil
}

// NormalizeEmail trims and lower-cases an address: one person, one spelling.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// UserByID loads a user of the tenant with capabilities and modules.
func UserByID(ctx context.Context, db *store.Scoped, id int64) (*User, error) {
	return oneUser(ctx, db, "u.id = ?", id)
}

// UserByEmail loads a user of the tenant by address.
func UserByEmail(ctx context.Context, db *store.Scoped, email string) (*User, error) {
	return oneUser(ctx, db, "u.email = ?", NormalizeEmail(email))
}

func oneUser(ctx context.Context, db *store.Scoped, where string, arg any) (*User, error) {
	u := new(User)
	err := db.Select(u).Where(where, arg).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("people: load user %v: %w", arg, err)
	}
	return u, LoadRights(ctx, db, u)
}

// NewUser is what creating a user takes.
type NewUser struct {
	Email        string
	Name         string
	Kind         policy.Kind
	Capabilities []policy.Capability
	Status       Status
	PasswordHash string
	TestUser     bool
	ManagerID    *int64
}

// Validate checks the fields of a new user; capabilities are refused for non-members.
func (n *NewUser) Validate() error {
	errs := valid.Errors{}
	n.Email = NormalizeEmail(n.Email)
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email || len(n.Email) > MaxEmail {
		errs.Add("email", "Enter an address like name@example.com.")
	}
	if !n.Kind.Valid() {
		errs.Add("kind", "Choose member, guest, client, external_editor or external_viewer.")
	}
	for _, c := range n.Capabilities {
		if !c.Valid() {
			errs.Add("capabilities", fmt.Sprintf("%q is not a capability.", c))
		}
	}
	if len(n.Capabilities) > 0 && n.Kind.Valid() && !policy.MayHoldCapabilities(n.Kind) {
		errs.Add("capabilities", "Only members can hold admin capabilities.")
	}
	if strings.TrimSpace(n.Name) != "" {
		if err := CheckName("name", n.Name); err != nil {
			errs.Add("name", err.(valid.Errors)["name"])
		}
	}
	if n.Status == "" {
		n.Status = Invited
	}
	return errs.Err()
}

// CreateUser adds a user to the tenant.
func CreateUser(ctx context.Context, db *store.Scoped, n NewUser) (*User, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	u := &User{
		Email: n.Email, Name: strings.TrimSpace(n.Name), Kind: n.Kind, Status: n.Status,
		PasswordHash: n.PasswordHash, TestUser: n.TestUser, ManagerID: n.ManagerID,
		HiddenPages: []policy.Page{}, CreatedAt: now, UpdatedAt: now,
		// Ticket emails are on until the user turns them off.
		TicketEmails: true,
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		// The unique index on (tenant_id, lower(email)) decides, also
		// between two concurrent writers.
		if _, err := tx.Insert(u).Exec(ctx); store.IsUniqueViolation(err) {
			return valid.Errors{"email": "A user with this address already exists."}
		} else if err != nil {
			return err
		}
		return setCapabilities(ctx, tx, u, n.Capabilities)
	})
	if err != nil {
		return nil, fmt.Errorf("people: create %s: %w", n.Email, err)
	}
	return u, nil
}

// SetCapabilities replaces a user's capabilities. The caller has checked
// them with policy.CheckCapabilities.
func SetCapabilities(ctx context.Context, tx *store.Scoped, userID int64, caps []policy.Capability) error {
	return setCapabilities(ctx, tx, &User{ID: userID}, caps)
}

func setCapabilities(ctx context.Context, tx *store.Scoped, u *User, caps []policy.Capability) error {
	if _, err := tx.Delete((*UserCapability)(nil)).Where("user_id = ?", u.ID).Exec(ctx); err != nil {
		return err
	}
	u.Capabilities = nil
	for _, c := range caps {
		u.Capabilities = append(u.Capabilities, UserCapability{UserID: u.ID, Capability: c})
	}
	if len(u.Capabilities) == 0 {
		return nil
	}
	_, err := tx.Insert(&u.Capabilities).Exec(ctx)
	return err
}

// SetPassword stores a new password hash and makes an invited user active.
func SetPassword(ctx context.Context, db *store.Scoped, userID int64, hash string, name string) error {
	q := db.Update((*User)(nil)).Set("password_hash = ?", hash).Set("updated_at = ?", time.Now().UTC()).
		Set("status = CASE WHEN status = ? THEN ? ELSE status END", Invited, Active).
		Where("id = ?", userID)
	if name = strings.TrimSpace(name); name != "" {
		if err := CheckName("name", name); err != nil {
			return err
		}
		q = q.Set("name = ?", name)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return fmt.Errorf("people: set password %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// UsersByIDs loads the users of the tenant with these IDs; unknown IDs are skipped.
func UsersByIDs(ctx context.Context, db *store.Scoped, ids []int64) ([]User, error) {
	var out []User
	if len(ids) == 0 {
		return out, nil
	}
	if err := db.Select(&out).Where("u.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("people: load users: %w", err)
	}
	return out, nil
}

// MaxAudience bounds the users "who can see this?" weighs: far above a
// tenant's size, so the answer is whole, but bounded like every list.
const MaxAudience = 20000

// ActiveUsers loads the tenant's active users with what the policy needs
// of them (capabilities, modules, companies), by name: the people "who
// can see this?" asks the policy about, one by one.
func ActiveUsers(ctx context.Context, db *store.Scoped) ([]User, error) {
	var out []User
	err := db.Select(&out).Relation("Capabilities").Relation("Modules").Relation("Companies").
		Where("u.status = ?", Active).OrderExpr("u.name, u.id").Limit(MaxAudience).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("people: active users: %w", err)
	}
	return out, nil
}

// rightRow is one of a user's capabilities, modules, companies or teams, as
// LoadRights reads them all in one statement.
type rightRow struct {
	What  string `bun:"what"`
	Key   string `bun:"key"`
	Label string `bun:"label"`
	Show  bool   `bun:"show"`
}

// LoadRights fills u's capabilities, modules, companies and teams — what the
// policy needs of the user — in one statement instead of one per
// relation: every signed-in request runs it (the request's preamble went
// from 7 statements to 3, docs/performance.md).
func LoadRights(ctx context.Context, db *store.Scoped, u *User) error {
	var rows []rightRow
	tid := db.TenantID()
	// A prepared read: every signed-in request runs it (store.Prepare).
	pctx, q := db.PreparedRaw(ctx, `SELECT 'capability' AS what, capability AS key, '' AS label, FALSE AS show FROM user_capabilities WHERE tenant_id = ? AND user_id = ?
UNION ALL SELECT 'module', page, label, show FROM user_modules WHERE tenant_id = ? AND user_id = ?
UNION ALL SELECT 'company', CAST(company_id AS TEXT), '', FALSE FROM user_companies WHERE tenant_id = ? AND user_id = ?
UNION ALL SELECT 'team', CAST(team_id AS TEXT), '', FALSE FROM team_members WHERE tenant_id = ? AND user_id = ?`,
		tid, u.ID, tid, u.ID, tid, u.ID, tid, u.ID)
	err := q.Scan(pctx, &rows)
	if err != nil {
		return fmt.Errorf("people: load rights of user %d: %w", u.ID, err)
	}
	u.Capabilities, u.Modules, u.Companies, u.TeamIDs = nil, nil, nil, nil
	for _, r := range rows {
		switch r.What {
		case "capability":
			u.Capabilities = append(u.Capabilities, UserCapability{TenantOwned: store.TenantOwned{TenantID: tid}, UserID: u.ID, Capability: policy.Capability(r.Key)})
		case "module":
			u.Modules = append(u.Modules, UserModule{TenantOwned: store.TenantOwned{TenantID: tid}, UserID: u.ID, Page: policy.Page(r.Key), Show: r.Show, Label: r.Label})
		case "company":
			id, err := strconv.ParseInt(r.Key, 10, 64)
			if err != nil {
				return fmt.Errorf("people: company of user %d: %w", u.ID, err)
			}
			u.Companies = append(u.Companies, UserCompany{TenantOwned: store.TenantOwned{TenantID: tid}, UserID: u.ID, CompanyID: id})
		case "team":
			id, err := strconv.ParseInt(r.Key, 10, 64)
			if err != nil {
				return fmt.Errorf("people: team of user %d: %w", u.ID, err)
			}
			u.TeamIDs = append(u.TeamIDs, id)
		}
	}
	return nil
}
