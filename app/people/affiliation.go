package people

import (
	"context"
	"fmt"
	"strconv"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// maxAffiliations is how many company or team names an affiliation loads:
// one is shown, the rest counted.
const maxAffiliations = 20

// Affiliation is what an outside user belongs to, in their own words: an
// external user's assigned companies, a client's teams (by their companies
// when the teams have one). Members and guests have none: their menus show
// their kind.
type Affiliation struct {
	// Names are the companies or teams, by name, at most maxAffiliations.
	Names []string
	// More is true when there are more than Names holds.
	More bool
}

// Label is the affiliation in one phrase: "Globex Corporation", or
// "Globex Corporation and 2 more"; "" when there is none.
func (a Affiliation) Label() string {
	switch {
	case len(a.Names) == 0:
		return ""
	case len(a.Names) == 1 && !a.More:
		return a.Names[0]
	}
	n := strconv.Itoa(len(a.Names) - 1)
	if a.More {
		n += "+"
	}
	return a.Names[0] + " and " + n + " more"
}

// AffiliationOf loads what actor a belongs to, through the policy's scopes:
// an external user's companies (policy.CompaniesScope), a client's teams
// (policy.TeamsScope) named by their company when they have one. Anyone
// else has an empty affiliation.
func AffiliationOf(ctx context.Context, db *store.Scoped, a policy.Actor) (Affiliation, error) {
	switch policy.MenuBelonging(a.Kind) {
	case policy.BelongsToCompanies:
		cs, next, err := CompaniesFor(ctx, db, a, CompanyQuery{}, store.Page{Limit: maxAffiliations})
		if err != nil {
			return Affiliation{}, err
		}
		out := Affiliation{More: next != ""}
		for _, c := range cs {
			out.Names = append(out.Names, c.Name)
		}
		return out, nil
	case policy.BelongsToTeams:
		var rows []struct {
			Team    string `bun:"team"`
			Company string `bun:"company"`
		}
		err := scoped(db, (*Team)(nil), policy.TeamsScope(a)).
			ColumnExpr("tm.name AS team, COALESCE(c.name, '') AS company").
			Join("LEFT JOIN companies AS c ON c.id = tm.company_id AND c.tenant_id = tm.tenant_id").
			OrderExpr("COALESCE(c.name, tm.name), tm.id").Limit(maxAffiliations+1).Scan(ctx, &rows)
		if err != nil {
			return Affiliation{}, fmt.Errorf("people: affiliation of %d: %w", a.UserID, err)
		}
		out := Affiliation{More: len(rows) > maxAffiliations}
		seen := map[string]bool{}
		for i, r := range rows {
			if i == maxAffiliations {
				break
			}
			name := r.Company
			if name == "" {
				name = r.Team
			}
			if !seen[name] {
				seen[name] = true
				out.Names = append(out.Names, name)
			}
		}
		return out, nil
	}
	return Affiliation{}, nil
}
