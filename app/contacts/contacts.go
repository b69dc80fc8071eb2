// Package contacts holds each client company's address book (SPEC §5, page
// contacts; §12, resource contacts): people at the company with their
// email, phone, job title and notes, an optional external ID for a PSA's
// sync, and an optional link to the portal user who is that person. A
// ticket's contact (SPEC §7) is always a portal user; a company contact is
// the company's record of the person, and links to the user when the
// person has an account.
//
// Every read starts from policy.ContactsScope, turned into SQL by the
// store's one scope function (scoped), so a contact outside the reader's
// scope is simply not found; every write asks policy.CanEditContact for
// the company, runs in its own transaction and leaves an audit record.
package contacts

import (
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// The longest text each field takes, in characters. Forms carry the same
// numbers as maxlength.
const (
	MaxName       = 120
	MaxPhone      = 40
	MaxTitle      = 120
	MaxNotes      = 5000
	MaxExternalID = 120
	MaxSearch     = 200
)

// ErrNotFound means no such contact in the tenant, or none the actor may see.
var ErrNotFound = errors.New("contacts: contact not found")

// ErrConflict means another contact of the tenant already has the external ID.
var ErrConflict = errors.New("contacts: another contact has this external ID")

// Row is a contact as stored.
type Row struct {
	bun.BaseModel `bun:"table:contacts,alias:con"`
	store.TenantOwned

	ID         int64     `bun:"id,pk,autoincrement"`
	CompanyID  int64     `bun:"company_id,notnull"`
	UserID     *int64    `bun:"user_id"`
	Name       string    `bun:"name,notnull"`
	Email      string    `bun:"email,notnull"`
	Phone      string    `bun:"phone,notnull"`
	Title      string    `bun:"title,notnull"`
	Notes      string    `bun:"notes,notnull"`
	ExternalID *string   `bun:"external_id"`
	CreatedBy  *int64    `bun:"created_by"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
	UpdatedAt  time.Time `bun:"updated_at,notnull"`
}

// UserRef is the portal user a contact is.
type UserRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Contact is a contact as its reader sees it, for pages and JSON alike.
// The external ID is absent for readers who may not see it
// (policy.SeesContactExternalID) and when there is none.
type Contact struct {
	ID         int64             `json:"id"`
	Name       string            `json:"name"`
	Email      string            `json:"email"`
	Phone      string            `json:"phone"`
	Title      string            `json:"title"`
	Notes      string            `json:"notes"`
	Company    people.CompanyRef `json:"company"`
	User       *UserRef          `json:"user"`
	ExternalID *string           `json:"external_id,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

// scopeTable scopes contacts by their company: ScopeMember narrows
// company_id to the companies the actor is assigned to.
var scopeTable = store.ScopeTable{
	List: policy.ListContacts, Table: "contacts", Column: "company_id",
	Members: "SELECT company_id FROM user_companies WHERE user_id = ? AND tenant_id = ?",
}

// scoped starts a select of contacts (model: *Row, *[]Row or a count)
// narrowed to the tenant and to actor a's scope.
func scoped(db *store.Scoped, model any, a policy.Actor) *bun.SelectQuery {
	return db.SelectScoped(model, policy.ContactsScope(a), scopeTable)
}
