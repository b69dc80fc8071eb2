// Package office365 holds each company's Microsoft 365 licences and users
// (SPEC §5, page office365): what a company pays for, who holds which
// licence, and the waste — licences nobody holds, and licences held by
// people who have not signed in for a month. Members fill it by importing
// CSV files or through the API (a PSA's sync); external users with the
// module read their own companies' data.
package office365

import (
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/store"
)

// MFA is a user's multi-factor authentication state as Microsoft reports it.
type MFA string

// The MFA states.
const (
	MFAEnforced MFA = "enforced"
	MFAEnabled  MFA = "enabled"
	MFADisabled MFA = "disabled"
	MFAUnknown  MFA = "unknown"
)

// MFAStates lists every state in the order filters show them.
var MFAStates = []MFA{MFAEnforced, MFAEnabled, MFADisabled, MFAUnknown}

// Valid reports whether m is a known state.
func (m MFA) Valid() bool {
	switch m {
	case MFAEnforced, MFAEnabled, MFADisabled, MFAUnknown:
		return true
	}
	return false
}

// Label is the state in words.
func (m MFA) Label() string {
	switch m {
	case MFAEnforced:
		return "Enforced"
	case MFAEnabled:
		return "Enabled"
	case MFADisabled:
		return "Disabled"
	}
	return "Unknown"
}

// UnusedAfter is how long a licensed user may go without signing in
// before the page marks them "possibly unused".
const UnusedAfter = 30 * 24 * time.Hour

// Limits of what one company holds and one import or request carries.
const (
	MaxFileBytes   = 1 << 20 // a CSV file
	MaxRows        = 5000    // rows of a CSV file
	MaxItems       = 500     // items of one API request
	MaxSKU         = 64
	MaxLicenceName = 120
	MaxDisplayName = 200
	MaxTotal       = 1_000_000
	MaxSearch      = 100
)

// Licence is a company's subscription to one Microsoft 365 SKU.
type Licence struct {
	bun.BaseModel `bun:"table:m365_licences,alias:ml"`
	store.TenantOwned

	ID        int64     `bun:"id,pk,autoincrement"`
	CompanyID int64     `bun:"company_id,notnull"`
	SKU       string    `bun:"sku,notnull"`
	Name      string    `bun:"name,notnull"`
	Total     int       `bun:"total,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

// User is one Microsoft 365 user of a company.
type User struct {
	bun.BaseModel `bun:"table:m365_users,alias:mu"`
	store.TenantOwned

	ID          int64      `bun:"id,pk,autoincrement"`
	CompanyID   int64      `bun:"company_id,notnull"`
	Email       string     `bun:"email,notnull"`
	DisplayName string     `bun:"display_name,notnull"`
	MFA         MFA        `bun:"mfa,notnull"`
	LastSignIn  *time.Time `bun:"last_sign_in"`
	UpdatedAt   time.Time  `bun:"updated_at,notnull"`

	// SortKey is the list's sort key of the row, read with it.
	SortKey string `bun:"sort_key,scanonly"`
}

// Assignment is a user holding a licence of their company.
type Assignment struct {
	bun.BaseModel `bun:"table:m365_assignments,alias:ma"`
	store.TenantOwned

	CompanyID int64 `bun:"company_id,notnull"`
	UserID    int64 `bun:"user_id,pk"`
	LicenceID int64 `bun:"licence_id,pk"`
}

// ErrNotFound means no such company in this tenant, or not one whose
// Microsoft 365 data the actor may read.
var ErrNotFound = errors.New("office365: company not found")

// ErrForbidden means the actor may read but not change the data.
var ErrForbidden = errors.New("office365: not allowed to change Microsoft 365 data")
