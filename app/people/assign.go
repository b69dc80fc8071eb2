package people

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// ModuleSetting is an external user's choice for one module page, as the
// API and forms carry it.
type ModuleSetting struct {
	Key   policy.Page `json:"key"`
	Show  bool        `json:"show"`
	Label string      `json:"label"`
}

// DefaultModules are the suggested settings for a new external user:
// plan shown; tickets, Office 365 and contacts offered; companies offered
// when the user has several companies.
func DefaultModules(companies int) []ModuleSetting {
	out := []ModuleSetting{
		{Key: policy.PagePlan, Show: true},
		{Key: policy.PageTickets},
		{Key: policy.PageOffice365},
		{Key: policy.PageContacts},
	}
	if companies > 1 {
		out = append(out, ModuleSetting{Key: policy.PageCompanies})
	}
	return out
}

// MaxLabel is the longest module label.
const MaxLabel = 40

// CheckModules validates module settings for a user of kind. Only external
// users have modules; none given means the suggested defaults.
func CheckModules(kind policy.Kind, ms []ModuleSetting, companies int) ([]ModuleSetting, error) {
	if !policy.HasCompanies(kind) {
		if len(ms) > 0 {
			return nil, valid.Errors{"modules": "Only external users have modules."}
		}
		return nil, nil
	}
	if ms == nil {
		return DefaultModules(companies), nil
	}
	seen := map[policy.Page]bool{}
	out := make([]ModuleSetting, 0, len(ms))
	for _, m := range ms {
		info, ok := policy.Info(m.Key)
		if !ok || !info.Module {
			return nil, valid.Errors{"modules": fmt.Sprintf("%q is not a module.", m.Key)}
		}
		if seen[m.Key] {
			return nil, valid.Errors{"modules": fmt.Sprintf("%q is listed twice.", m.Key)}
		}
		seen[m.Key] = true
		m.Label = strings.TrimSpace(m.Label)
		if valid.Line(m.Label, MaxLabel) != "" || strings.ContainsAny(m.Label, "<>") {
			return nil, valid.Errors{"modules": fmt.Sprintf("The label of %s must be a single line of at most %d characters.", info.Label, MaxLabel)}
		}
		out = append(out, m)
	}
	return out, nil
}

// SetModules replaces a user's module settings.
func SetModules(ctx context.Context, tx *store.Scoped, userID int64, ms []ModuleSetting) error {
	if _, err := tx.Delete((*UserModule)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("people: clear modules: %w", err)
	}
	if len(ms) == 0 {
		return nil
	}
	rows := make([]UserModule, 0, len(ms))
	for _, m := range ms {
		rows = append(rows, UserModule{UserID: userID, Page: m.Key, Show: m.Show, Label: m.Label})
	}
	if _, err := tx.Insert(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("people: save modules: %w", err)
	}
	return nil
}

// CheckAssignments validates teams and companies for a user of kind: the
// IDs must be this tenant's (another tenant's ID is simply unknown);
// companies are for external users, teams for members and clients.
func CheckAssignments(ctx context.Context, db *store.Scoped, kind policy.Kind, teamIDs, companyIDs []int64) error {
	errs := valid.Errors{}
	if len(companyIDs) > 0 && !policy.HasCompanies(kind) {
		errs.Add("company_ids", "Only external users are assigned to companies.")
	}
	if len(teamIDs) > 0 && !policy.MayJoinTeams(kind) {
		errs.Add("team_ids", "Only members and clients belong to teams.")
	}
	if policy.HasCompanies(kind) && len(companyIDs) == 0 {
		errs.Add("company_ids", "Assign an external user to at least one company.")
	}
	check := func(field string, model any, ids []int64) error {
		ids = uniq(ids)
		if len(ids) == 0 {
			return nil
		}
		n, err := db.Select(model).Where("id IN (?)", bun.In(ids)).Count(ctx)
		if err != nil {
			return err
		}
		if int(n) != len(ids) {
			errs.Add(field, "Some of these do not exist.")
		}
		return nil
	}
	if err := check("team_ids", (*Team)(nil), teamIDs); err != nil {
		return err
	}
	if err := check("company_ids", (*Company)(nil), companyIDs); err != nil {
		return err
	}
	return errs.Err()
}

// SetAssignments replaces a user's teams (keeping leaders' roles) and companies.
func SetAssignments(ctx context.Context, tx *store.Scoped, userID int64, teamIDs, companyIDs []int64) error {
	if teamIDs != nil {
		var current []TeamMembership
		if err := tx.Select(&current).Where("user_id = ?", userID).Scan(ctx); err != nil {
			return err
		}
		want := uniq(teamIDs)
		for _, m := range current {
			if !slices.Contains(want, m.TeamID) {
				if _, err := tx.Delete((*TeamMembership)(nil)).Where("team_id = ? AND user_id = ?", m.TeamID, userID).Exec(ctx); err != nil {
					return err
				}
			}
		}
		for _, id := range want {
			if slices.ContainsFunc(current, func(m TeamMembership) bool { return m.TeamID == id }) {
				continue
			}
			if _, err := tx.Insert(&TeamMembership{TeamID: id, UserID: userID, Role: TeamMember}).Exec(ctx); err != nil {
				return err
			}
		}
	}
	if companyIDs != nil {
		if _, err := tx.Delete((*UserCompany)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		for _, id := range uniq(companyIDs) {
			if _, err := tx.Insert(&UserCompany{UserID: userID, CompanyID: id}).Exec(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

func uniq(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// Assignments returns the IDs of a user's teams and companies.
func Assignments(ctx context.Context, db *store.Scoped, userID int64) (teamIDs, companyIDs []int64, err error) {
	if err := db.Select((*TeamMembership)(nil)).Column("team_id").Where("user_id = ?", userID).Order("team_id").Scan(ctx, &teamIDs); err != nil {
		return nil, nil, fmt.Errorf("people: teams of %d: %w", userID, err)
	}
	if err := db.Select((*UserCompany)(nil)).Column("company_id").Where("user_id = ?", userID).Order("company_id").Scan(ctx, &companyIDs); err != nil {
		return nil, nil, fmt.Errorf("people: companies of %d: %w", userID, err)
	}
	return teamIDs, companyIDs, nil
}

func bunIn(ids []int64) any { return bun.In(ids) }
