// Package people holds a tenant's users, their capabilities and modules,
// companies and teams: the data model of SPEC §4.
package people

import (
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// The longest text each field takes, in characters, checked before storage
// (SPEC §4). Forms carry the same numbers as maxlength.
const (
	MaxUserName      = 120
	MaxEmail         = 254 // RFC 5321, in bytes
	MaxSearch        = 200
	MaxTeamName      = 80
	MaxCompanyName   = 120
	MaxCompanyDomain = 253
	MaxCompanyNotes  = 5000
	MaxGroupName     = 80
)

// Status is where a user is in their lifecycle.
type Status string

// The lifecycle of a user: invited → active → deactivated → (reactivated).
const (
	Invited     Status = "invited"
	Active      Status = "active"
	Deactivated Status = "deactivated"
)

// User is a person in one tenant. The same email in another tenant is another user.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`
	store.TenantOwned

	ID             int64         `bun:"id,pk,autoincrement"`
	Email          string        `bun:"email,notnull"`
	Name           string        `bun:"name,notnull"`
	Kind           policy.Kind   `bun:"kind,notnull"`
	Status         Status        `bun:"status,notnull"`
	PasswordHash   string        `bun:"password_hash,notnull"`
	TestUser       bool          `bun:"test_user,notnull"`
	OwnTicketsOnly bool          `bun:"own_tickets_only,notnull"`
	ManagerID      *int64        `bun:"manager_id"`
	HiddenPages    []policy.Page `bun:"hidden_pages,type:text,notnull"`
	Title          string        `bun:"title,notnull"`
	Phone          string        `bun:"phone,notnull"`
	CreatedAt      time.Time     `bun:"created_at,notnull"`
	UpdatedAt      time.Time     `bun:"updated_at,notnull"`
	DeactivatedAt  *time.Time    `bun:"deactivated_at"`

	// Relations join on the tenant as well as the user.
	Capabilities []UserCapability `bun:"rel:has-many,join:id=user_id,join:tenant_id=tenant_id"`
	Modules      []UserModule     `bun:"rel:has-many,join:id=user_id,join:tenant_id=tenant_id"`
	Companies    []UserCompany    `bun:"rel:has-many,join:id=user_id,join:tenant_id=tenant_id"`
	// TeamIDs are the teams the user belongs to, filled by LoadRights.
	TeamIDs []int64 `bun:"-"`
	// TicketEmails: the user is emailed about updates of tickets they are
	// the contact, a watcher or the assignee of (they can turn it off).
	TicketEmails bool `bun:"ticket_emails,notnull"`
}

// DisplayName is the name, or the email for someone who has not set one yet.
func (u *User) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// CapabilityList returns the user's capabilities in the canonical order.
func (u *User) CapabilityList() []policy.Capability {
	out := []policy.Capability{}
	for _, c := range policy.Capabilities {
		for _, uc := range u.Capabilities {
			if uc.Capability == c {
				out = append(out, c)
			}
		}
	}
	return out
}

// Actor is the policy's view of this user.
func (u *User) Actor() policy.Actor {
	a := policy.Actor{
		UserID: u.ID, TenantID: u.TenantID, Kind: u.Kind,
		Capabilities: u.CapabilityList(), HiddenPages: u.HiddenPages,
	}
	if policy.MayJoinTeams(u.Kind) {
		a.Teams = slices.Clone(u.TeamIDs)
	}
	if policy.HasCompanies(u.Kind) {
		a.OwnTicketsOnly = u.OwnTicketsOnly
		for _, c := range u.Companies {
			a.Companies = append(a.Companies, c.CompanyID)
		}
	}
	if len(u.Modules) > 0 {
		a.Modules = map[policy.Page]policy.Module{}
		for _, m := range u.Modules {
			a.Modules[m.Page] = policy.Module{Show: m.Show, Label: m.Label}
		}
	}
	return a
}

// UserCapability is one capability held by a member.
type UserCapability struct {
	bun.BaseModel `bun:"table:user_capabilities,alias:uc"`
	store.TenantOwned

	UserID     int64             `bun:"user_id,pk"`
	Capability policy.Capability `bun:"capability,pk"`
}

// UserModule is an external user's setting for one module page.
type UserModule struct {
	bun.BaseModel `bun:"table:user_modules,alias:um"`
	store.TenantOwned

	UserID int64       `bun:"user_id,pk"`
	Page   policy.Page `bun:"page,pk"`
	Show   bool        `bun:"show,notnull"`
	Label  string      `bun:"label,notnull"`
}

// Company is a client account of the tenant.
type Company struct {
	bun.BaseModel `bun:"table:companies,alias:c"`
	store.TenantOwned

	ID        int64     `bun:"id,pk,autoincrement"`
	Name      string    `bun:"name,notnull"`
	Domain    string    `bun:"domain,notnull"`
	Notes     string    `bun:"notes,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// CompanyGroup groups companies for internal use; users are never assigned to groups.
type CompanyGroup struct {
	bun.BaseModel `bun:"table:company_groups,alias:cg"`
	store.TenantOwned

	ID   int64  `bun:"id,pk,autoincrement"`
	Name string `bun:"name,notnull"`
}

// CompanyGroupMember puts a company in a group.
type CompanyGroupMember struct {
	bun.BaseModel `bun:"table:company_group_members,alias:cgm"`
	store.TenantOwned

	GroupID   int64 `bun:"group_id,pk"`
	CompanyID int64 `bun:"company_id,pk"`
}

// UserCompany assigns an external user to a company.
type UserCompany struct {
	bun.BaseModel `bun:"table:user_companies,alias:ucm"`
	store.TenantOwned

	UserID    int64 `bun:"user_id,pk"`
	CompanyID int64 `bun:"company_id,pk"`
}

// TeamKind is what a team is organised around.
type TeamKind string

// The kinds of team.
const (
	TeamFunction   TeamKind = "function"
	TeamGeography  TeamKind = "geography"
	TeamVertical   TeamKind = "vertical"
	TeamHorizontal TeamKind = "horizontal"
	TeamClient     TeamKind = "client"
)

// Team is a group of users with its own meetings, rocks and scorecard.
type Team struct {
	bun.BaseModel `bun:"table:teams,alias:tm"`
	store.TenantOwned

	ID        int64     `bun:"id,pk,autoincrement"`
	Name      string    `bun:"name,notnull"`
	Kind      TeamKind  `bun:"kind,notnull"`
	CompanyID *int64    `bun:"company_id"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// TeamRole is a member's role in a team.
type TeamRole string

// The roles in a team.
const (
	TeamLeader TeamRole = "leader"
	TeamMember TeamRole = "member"
)

// TeamMembership puts a user in a team.
type TeamMembership struct {
	bun.BaseModel `bun:"table:team_members,alias:tmm"`
	store.TenantOwned

	TeamID int64    `bun:"team_id,pk"`
	UserID int64    `bun:"user_id,pk"`
	Role   TeamRole `bun:"role,notnull"`
}
