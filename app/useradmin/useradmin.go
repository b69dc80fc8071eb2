// Package useradmin changes users on behalf of administrators: kind,
// capabilities, page access, modules, teams and companies, flags, and
// deactivation. Every change is decided by the policy package, applied in
// one transaction with its audit records, and the rules that span users
// (the last active super admin) are checked against the database.
package useradmin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tokens"
	"github.com/atrium-portal/atrium/app/valid"
)

// ErrForbidden means the actor may not make this change to this user.
var ErrForbidden = errors.New("useradmin: not allowed")

// Patch is a change to a user; nil fields stay as they are (SPEC §12).
type Patch struct {
	Status         *people.Status          `json:"status"`
	Kind           *policy.Kind            `json:"kind"`
	Name           *string                 `json:"name"`
	Capabilities   *[]policy.Capability    `json:"capabilities"`
	HiddenPages    *[]policy.Page          `json:"hidden_pages"`
	Modules        *[]people.ModuleSetting `json:"modules"`
	OwnTicketsOnly *bool                   `json:"own_tickets_only"`
	CompanyIDs     *[]int64                `json:"company_ids"`
	TeamIDs        *[]int64                `json:"team_ids"`
	TestUser       *bool                   `json:"test_user"`
	// ManagerID sets a member's manager (for 1:1s); 0 clears it.
	ManagerID *int64 `json:"manager_id"`
}

// Apply makes the change p to user id as actor a, or changes nothing.
func Apply(ctx context.Context, db *store.Scoped, a policy.Actor, s policy.Settings, id int64, p Patch, who audit.Who) (*people.User, error) {
	var out *people.User
	if p.Capabilities != nil {
		caps := policy.UniqueCapabilities(*p.Capabilities)
		p.Capabilities = &caps
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		// Changes that can remove a super admin serialise on the tenant's
		// row, so that the last-super-admin check below cannot be raced by
		// a concurrent demotion of another super admin.
		if p.Status != nil || p.Capabilities != nil || p.Kind != nil {
			if err := tx.LockTenant(ctx); err != nil {
				return err
			}
		}
		u, err := people.UserByID(ctx, tx, id)
		if err != nil {
			return err
		}
		teamIDs, companyIDs, err := people.Assignments(ctx, tx, u.ID)
		teamsBefore, companiesBefore := slices.Clone(teamIDs), slices.Clone(companyIDs)
		if err != nil {
			return err
		}
		caps := u.CapabilityList()
		target := policy.Target{UserID: u.ID, Kind: u.Kind, Capabilities: caps}
		if !policy.CanManageUser(a, s, target) {
			return ErrForbidden
		}
		if p.Status != nil && *p.Status != u.Status && !policy.CanDeactivateUser(a, s, target) {
			return ErrForbidden
		}
		errs := valid.Errors{}
		var records []func() error
		record := func(action audit.Action, summary string) {
			records = append(records, func() error { return audit.Record(ctx, tx, who, action, "user", u.ID, summary) })
		}
		// A guarded field may be sent unchanged (a form posts all of its
		// fields); changing it needs the field's rule.
		need := func(f policy.UserField, changed bool) bool {
			if !changed || policy.CanSetUserField(a, s, f) {
				return true
			}
			err = ErrForbidden
			return false
		}
		kind := u.Kind
		if p.Kind != nil && *p.Kind != u.Kind {
			if !p.Kind.Valid() {
				errs.Add("kind", "Choose member, guest, client, external_editor or external_viewer.")
			} else {
				kind = *p.Kind
				record(audit.KindChange, fmt.Sprintf("kind of %s: %s → %s", u.Email, u.Kind, kind))
			}
		}
		newCaps := caps
		if p.Capabilities != nil {
			newCaps = *p.Capabilities
		}
		if !slices.Equal(sorted(newCaps), sorted(caps)) || (kind != u.Kind && len(newCaps) > 0) {
			if cerr := policy.CheckCapabilities(a, kind, caps, newCaps); cerr != nil {
				errs.Add("capabilities", sentence(cerr))
			} else if !slices.Equal(sorted(newCaps), sorted(caps)) {
				record(audit.CapabilityChange, fmt.Sprintf("capabilities of %s: %s → %s", u.Email, capList(caps), capList(newCaps)))
			}
		}
		if p.HiddenPages != nil {
			if !need(policy.FieldHiddenPages, !slices.Equal(sortedPages(*p.HiddenPages), sortedPages(u.HiddenPages))) {
				return err
			}
			for _, pg := range *p.HiddenPages {
				if _, ok := policy.Info(pg); !ok {
					errs.Add("hidden_pages", fmt.Sprintf("%q is not a page.", pg))
				}
			}
			if !slices.Equal(sortedPages(*p.HiddenPages), sortedPages(u.HiddenPages)) {
				record(audit.PageAccessChange, fmt.Sprintf("hidden pages of %s: %s", u.Email, pageList(*p.HiddenPages)))
			}
		}
		var modules []people.ModuleSetting
		if p.TestUser != nil && !need(policy.FieldTestUser, *p.TestUser != u.TestUser) {
			return err
		}
		if p.OwnTicketsOnly != nil && !need(policy.FieldOwnTicketsOnly, *p.OwnTicketsOnly != u.OwnTicketsOnly) {
			return err
		}
		if p.Modules != nil && !need(policy.FieldModules, true) {
			return err
		}
		if (p.Modules != nil && len(*p.Modules) > 0) || (p.OwnTicketsOnly != nil && *p.OwnTicketsOnly) {
			if !policy.HasCompanies(kind) {
				errs.Add("modules", "Only external users have modules and ticket visibility settings.")
			}
		}
		if p.Modules != nil && policy.HasCompanies(kind) {
			ms, merr := people.CheckModules(kind, *p.Modules, len(companyIDs))
			var ve valid.Errors
			if errors.As(merr, &ve) {
				errs.Add("modules", ve["modules"])
			} else if merr != nil {
				return merr
			}
			modules = ms
			if !sameModules(u.Modules, ms) {
				record(audit.ModuleChange, fmt.Sprintf("modules of %s: %s", u.Email, moduleList(ms)))
			}
		}
		if p.TeamIDs != nil {
			teamIDs = *p.TeamIDs
		}
		if p.CompanyIDs != nil {
			companyIDs = *p.CompanyIDs
		}
		if p.TeamIDs != nil || p.CompanyIDs != nil || kind != u.Kind {
			if aerr := people.CheckAssignments(ctx, tx, kind, teamIDs, companyIDs); aerr != nil {
				var ve valid.Errors
				if !errors.As(aerr, &ve) {
					return aerr
				}
				for k, v := range ve {
					errs.Add(k, v)
				}
			}
			if !sameIDs(teamIDs, teamsBefore) || !sameIDs(companyIDs, companiesBefore) {
				record(audit.UserChange, fmt.Sprintf("teams and companies of %s changed", u.Email))
			}
		}
		if p.Name != nil {
			n := strings.TrimSpace(*p.Name)
			if nerr := people.CheckName("name", n); nerr != nil {
				errs.Add("name", nerr.(valid.Errors)["name"])
			} else if n != u.Name {
				record(audit.UserChange, fmt.Sprintf("name of %s: %q → %q", u.Email, u.Name, n))
			}
		}
		// The test-user flag makes an admin's preview of the user interactive,
		// and own-tickets-only narrows what they see: both are permission
		// settings and are recorded (SPEC §10).
		if p.TestUser != nil && *p.TestUser != u.TestUser {
			record(audit.UserChange, fmt.Sprintf("test user flag of %s: %v → %v", u.Email, u.TestUser, *p.TestUser))
		}
		if p.OwnTicketsOnly != nil && *p.OwnTicketsOnly != u.OwnTicketsOnly && policy.HasCompanies(kind) {
			record(audit.ModuleChange, fmt.Sprintf("own tickets only of %s: %v → %v", u.Email, u.OwnTicketsOnly, *p.OwnTicketsOnly))
		}
		if p.ManagerID != nil && *p.ManagerID != 0 {
			if merr := checkManager(ctx, tx, u.ID, kind, *p.ManagerID); merr != nil {
				var ve valid.Errors
				if !errors.As(merr, &ve) {
					return merr
				}
				errs.Add("manager_id", ve["manager_id"])
			} else {
				record(audit.UserChange, fmt.Sprintf("manager of %s set", u.Email))
			}
		}
		if !policy.MayHaveManager(kind) && u.ManagerID != nil && p.ManagerID == nil {
			zero := int64(0)
			p.ManagerID = &zero // guests, clients and external users have no manager
		}
		if p.ManagerID != nil && *p.ManagerID == 0 && u.ManagerID != nil {
			record(audit.UserChange, fmt.Sprintf("manager of %s cleared", u.Email))
		}
		status := u.Status
		if p.Status != nil && *p.Status != u.Status {
			switch *p.Status {
			case people.Deactivated:
				status = people.Deactivated
				record(audit.Deactivate, "deactivated "+u.Email)
				if u.Status == people.Invited {
					record(audit.InviteRevoke, "revoked the invitation of "+u.Email+" at deactivation")
				}
			case people.Active:
				if u.Status == people.Invited {
					errs.Add("status", "An invited user becomes active by accepting the invitation.")
				} else if u.PasswordHash == "" {
					// Deactivated before accepting: there is no password to sign in with.
					errs.Add("status", "This person never accepted their invitation; invite them again.")
				} else {
					status = people.Active
					record(audit.Reactivate, "reactivated "+u.Email)
				}
			default:
				errs.Add("status", "Use active or deactivated.")
			}
		}
		// A deactivated user keeps the teams they had, but joins no new one
		// (as when a team's member is added: people.SetTeamMember).
		if status == people.Deactivated {
			for _, id := range teamIDs {
				if !slices.Contains(teamsBefore, id) {
					errs.Add("team_ids", "A deactivated user can't join a team. Reactivate them first.")
					break
				}
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		// The last active super admin stays: not deactivated, not demoted.
		wasSuper := u.Status == people.Active && slices.Contains(caps, policy.SuperAdmin)
		staysSuper := status == people.Active && kind == policy.Member && slices.Contains(newCaps, policy.SuperAdmin)
		if wasSuper && !staysSuper {
			n, err := activeSuperAdmins(ctx, tx)
			if err != nil {
				return err
			}
			if n <= 1 {
				return valid.Errors{"status": "This is the last active super admin. Make someone else super admin first."}
			}
		}

		q := tx.Update((*people.User)(nil)).Where("id = ?", u.ID).Set("updated_at = ?", time.Now().UTC())
		q = q.Set("kind = ?", kind).Set("status = ?", status)
		if status == people.Deactivated && u.Status != people.Deactivated {
			q = q.Set("deactivated_at = ?", time.Now().UTC())
		}
		if status == people.Active && u.Status == people.Deactivated {
			q = q.Set("deactivated_at = NULL")
		}
		if p.Name != nil {
			q = q.Set("name = ?", strings.TrimSpace(*p.Name))
		}
		if p.HiddenPages != nil {
			q = q.Set("hidden_pages = ?", pagesJSON(*p.HiddenPages))
		}
		if p.OwnTicketsOnly != nil {
			q = q.Set("own_tickets_only = ?", *p.OwnTicketsOnly)
		}
		// A user who stops being external keeps no portal settings that
		// would come back unasked if they became external again.
		leavesPortal := policy.HasCompanies(u.Kind) && !policy.HasCompanies(kind)
		if leavesPortal {
			q = q.Set("own_tickets_only = ?", false)
		}
		if p.TestUser != nil {
			q = q.Set("test_user = ?", *p.TestUser)
		}
		if p.ManagerID != nil {
			if *p.ManagerID == 0 {
				q = q.Set("manager_id = NULL")
			} else {
				q = q.Set("manager_id = ?", *p.ManagerID)
			}
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("useradmin: update %d: %w", u.ID, err)
		}
		if !slices.Equal(sorted(newCaps), sorted(caps)) || !policy.MayHoldCapabilities(kind) {
			if !policy.MayHoldCapabilities(kind) {
				newCaps = nil
			}
			if err := people.SetCapabilities(ctx, tx, u.ID, newCaps); err != nil {
				return err
			}
		}
		if p.Modules != nil || leavesPortal {
			if leavesPortal {
				modules = nil
			}
			if err := people.SetModules(ctx, tx, u.ID, modules); err != nil {
				return err
			}
		}
		if p.TeamIDs != nil || p.CompanyIDs != nil {
			var t, c []int64
			if p.TeamIDs != nil {
				t = *p.TeamIDs
				if t == nil {
					t = []int64{}
				}
			}
			if p.CompanyIDs != nil {
				c = *p.CompanyIDs
				if c == nil {
					c = []int64{}
				}
			}
			if err := people.SetAssignments(ctx, tx, u.ID, t, c); err != nil {
				return err
			}
		}
		// A deactivated user's sessions and links die with the change.
		if status == people.Deactivated && u.Status != people.Deactivated {
			if err := auth.RevokeUser(ctx, tx, u.ID, 0); err != nil {
				return err
			}
			if err := auth.RevokeTokens(ctx, tx, u.ID); err != nil {
				return err
			}
			// Their API tokens too, the integration tokens they made
			// included: those act with their rights, which end here.
			if err := tokens.RevokeUser(ctx, tx, u.ID); err != nil {
				return err
			}
			// An invited user's invitation ends with them: recorded as
			// revoked, its email cancelled if still queued.
			if u.Status == people.Invited {
				if err := invitations.EndOpen(ctx, tx, u.ID); err != nil {
					return err
				}
			}
		}
		for _, r := range records {
			if err := r(); err != nil {
				return err
			}
		}
		out, err = people.UserByID(ctx, tx, u.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func activeSuperAdmins(ctx context.Context, tx *store.Scoped) (int, error) {
	n, err := tx.Select((*people.UserCapability)(nil)).
		Join("JOIN users AS u ON u.id = uc.user_id AND u.tenant_id = uc.tenant_id").
		Where("uc.capability = ? AND u.status = ? AND u.kind = ?", policy.SuperAdmin, people.Active, policy.Member).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("useradmin: count super admins: %w", err)
	}
	return int(n), nil
}

func sorted(cs []policy.Capability) []policy.Capability {
	out := slices.Clone(cs)
	slices.Sort(out)
	return slices.Compact(out)
}

func sortedPages(ps []policy.Page) []policy.Page {
	out := slices.Clone(ps)
	slices.Sort(out)
	return slices.Compact(out)
}

func capList(cs []policy.Capability) string {
	if len(cs) == 0 {
		return "none"
	}
	out := make([]string, 0, len(cs))
	for _, c := range sorted(cs) {
		out = append(out, string(c))
	}
	return strings.Join(out, ", ")
}

func pageList(ps []policy.Page) string {
	if len(ps) == 0 {
		return "none"
	}
	out := make([]string, 0, len(ps))
	for _, p := range sortedPages(ps) {
		out = append(out, string(p))
	}
	return strings.Join(out, ", ")
}

func pagesJSON(ps []policy.Page) string {
	out := make([]string, 0, len(ps))
	for _, p := range sortedPages(ps) {
		out = append(out, `"`+string(p)+`"`)
	}
	return "[" + strings.Join(out, ",") + "]"
}

func moduleList(ms []people.ModuleSetting) string {
	var out []string
	for _, m := range ms {
		s := string(m.Key)
		if !m.Show {
			s += " (hidden)"
		} else if m.Label != "" {
			s += " as " + m.Label
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

func sentence(err error) string {
	s := err.Error()
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// checkManager: a member's manager is another active member of the tenant,
// and following managers upward never comes back to the user.
func checkManager(ctx context.Context, tx *store.Scoped, userID int64, kind policy.Kind, managerID int64) error {
	if !policy.MayHaveManager(kind) {
		return valid.Errors{"manager_id": "Only members have a manager."}
	}
	if managerID == userID {
		return valid.Errors{"manager_id": "Nobody manages themselves."}
	}
	next := managerID
	for hops := 0; next != 0; hops++ {
		m, err := people.UserByID(ctx, tx, next)
		if errors.Is(err, people.ErrNotFound) {
			return valid.Errors{"manager_id": "Choose a member from the list."}
		}
		if err != nil {
			return err
		}
		if hops == 0 && (!policy.MayManage(m.Kind) || m.Status != people.Active) {
			return valid.Errors{"manager_id": "The manager must be an active member."}
		}
		if m.ManagerID == nil {
			return nil
		}
		if *m.ManagerID == userID || hops > 1000 {
			return valid.Errors{"manager_id": "That would make a circle of managers."}
		}
		next = *m.ManagerID
	}
	return nil
}

// sameIDs reports whether a and b hold the same IDs, in any order.
func sameIDs(a, b []int64) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

// sameModules reports whether the stored modules and the new settings show
// the same pages under the same labels. A page not shown and not labelled
// is the same as a page with no row.
func sameModules(before []people.UserModule, after []people.ModuleSetting) bool {
	key := func(p policy.Page, show bool, label string) string {
		if !show && label == "" {
			return ""
		}
		return fmt.Sprintf("%s|%v|%s", p, show, label)
	}
	var x, y []string
	for _, m := range before {
		if k := key(m.Page, m.Show, m.Label); k != "" {
			x = append(x, k)
		}
	}
	for _, m := range after {
		if k := key(m.Key, m.Show, m.Label); k != "" {
			y = append(y, k)
		}
	}
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
