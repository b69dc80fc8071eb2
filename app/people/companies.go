package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// ErrNotFoundCompany means no such company (or group) in this tenant, or
// not one the actor may see.
var ErrNotFoundCompany = errors.New("people: company not found")

// CompanyView is a company with the groups it is in and how many users are assigned.
type CompanyView struct {
	ID     int64    `json:"id"`
	Name   string   `json:"name"`
	Domain string   `json:"domain"`
	Notes  string   `json:"notes,omitempty"`
	Groups []string `json:"groups,omitempty"`
	Users  int      `json:"users"`
}

// CompaniesFor returns the companies the actor may see, by name. External
// users see only their assigned companies, and not the internal notes or groups.
func CompaniesFor(ctx context.Context, db *store.Scoped, a policy.Actor) ([]CompanyView, error) {
	scope := policy.CompaniesVisible(a)
	if scope == policy.CompaniesNone {
		return []CompanyView{}, nil
	}
	var cs []Company
	q := db.Select(&cs).Order("c.name").Limit(1000)
	if scope == policy.CompaniesAssigned {
		q = q.Where("c.id IN (SELECT company_id FROM user_companies WHERE user_id = ? AND tenant_id = ?)", a.UserID, db.TenantID())
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("people: companies: %w", err)
	}
	var counts []struct {
		CompanyID int64 `bun:"company_id"`
		N         int   `bun:"n"`
	}
	if err := db.Select((*UserCompany)(nil)).ColumnExpr("company_id, COUNT(*) AS n").Group("company_id").Scan(ctx, &counts); err != nil {
		return nil, err
	}
	var groups []struct {
		CompanyID int64  `bun:"company_id"`
		Name      string `bun:"name"`
	}
	if err := db.Select((*CompanyGroupMember)(nil)).ColumnExpr("cgm.company_id, cg.name").
		Join("JOIN company_groups AS cg ON cg.id = cgm.group_id AND cg.tenant_id = cgm.tenant_id").OrderExpr("cg.name").Scan(ctx, &groups); err != nil {
		return nil, err
	}
	out := make([]CompanyView, 0, len(cs))
	for _, c := range cs {
		v := CompanyView{ID: c.ID, Name: c.Name, Domain: c.Domain}
		if scope == policy.CompaniesAll {
			v.Notes = c.Notes
			for _, g := range groups {
				if g.CompanyID == c.ID {
					v.Groups = append(v.Groups, g.Name)
				}
			}
			for _, n := range counts {
				if n.CompanyID == c.ID {
					v.Users = n.N
				}
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// CompanyInput is a new company or a change to one; nil fields stay.
type CompanyInput struct {
	Name   *string `json:"name"`
	Domain *string `json:"domain"`
	Notes  *string `json:"notes"`
}

// SaveCompany creates a company (id 0) or changes one.
func SaveCompany(ctx context.Context, db *store.Scoped, id int64, in CompanyInput) (*Company, error) {
	c := &Company{CreatedAt: time.Now().UTC()}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		errs := valid.Errors{}
		if id != 0 {
			if err := tx.Select(c).Where("id = ?", id).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
				return ErrNotFoundCompany
			} else if err != nil {
				return err
			}
		} else if in.Name == nil {
			errs.Add("name", "Name the company.")
		}
		if in.Name != nil {
			n := strings.TrimSpace(*in.Name)
			if n == "" || len(n) > 120 {
				errs.Add("name", "Name the company in up to 120 characters.")
			} else if taken, err := tx.Select((*Company)(nil)).Where("LOWER(name) = LOWER(?) AND id <> ?", n, id).Exists(ctx); err != nil {
				return err
			} else if taken {
				errs.Add("name", "Another company has this name.")
			}
			c.Name = n
		}
		if in.Domain != nil {
			d := strings.ToLower(strings.TrimSpace(*in.Domain))
			if len(d) > 253 || strings.ContainsAny(d, " /@") {
				errs.Add("domain", "Use a domain like globex.com.")
			}
			c.Domain = d
		}
		if in.Notes != nil {
			if len(*in.Notes) > 5000 {
				errs.Add("notes", "At most 5,000 characters.")
			}
			c.Notes = *in.Notes
		}
		if err := errs.Err(); err != nil {
			return err
		}
		var err error
		if id == 0 {
			_, err = tx.Insert(c).Exec(ctx)
		} else {
			_, err = tx.Update(c).Column("name", "domain", "notes").WherePK().Exec(ctx)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// DeleteCompany removes a company that no user is assigned to.
func DeleteCompany(ctx context.Context, db *store.Scoped, id int64) error {
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if ok, err := tx.Select((*Company)(nil)).Where("id = ?", id).Exists(ctx); err != nil {
			return err
		} else if !ok {
			return ErrNotFoundCompany
		}
		n, err := tx.Select((*UserCompany)(nil)).Where("company_id = ?", id).Count(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return valid.Errors{"company": fmt.Sprintf("%d users are assigned to this company. Assign them elsewhere first.", n)}
		}
		if _, err := tx.Update((*Team)(nil)).Set("company_id = NULL").Where("company_id = ?", id).Exec(ctx); err != nil {
			return err
		}
		_, err = tx.Delete((*Company)(nil)).Where("id = ?", id).Exec(ctx)
		return err
	})
}

// GroupView is a company group with its companies.
type GroupView struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	Companies []CompanyRef `json:"companies"`
}

// Groups returns the company groups with their companies.
func Groups(ctx context.Context, db *store.Scoped) ([]GroupView, error) {
	var gs []CompanyGroup
	if err := db.Select(&gs).Order("cg.name").Scan(ctx); err != nil {
		return nil, err
	}
	var rows []struct {
		GroupID int64  `bun:"group_id"`
		ID      int64  `bun:"id"`
		Name    string `bun:"name"`
	}
	if err := db.Select((*CompanyGroupMember)(nil)).ColumnExpr("cgm.group_id, c.id, c.name").
		Join("JOIN companies AS c ON c.id = cgm.company_id AND c.tenant_id = cgm.tenant_id").OrderExpr("c.name").Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]GroupView, 0, len(gs))
	for _, g := range gs {
		v := GroupView{ID: g.ID, Name: g.Name, Companies: []CompanyRef{}}
		for _, r := range rows {
			if r.GroupID == g.ID {
				v.Companies = append(v.Companies, CompanyRef{ID: r.ID, Name: r.Name})
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// SaveGroup creates a group (id 0) or renames one, and sets its companies.
func SaveGroup(ctx context.Context, db *store.Scoped, id int64, name string, companyIDs []int64) (*CompanyGroup, error) {
	g := &CompanyGroup{}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if id != 0 {
			if err := tx.Select(g).Where("id = ?", id).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
				return ErrNotFoundCompany
			} else if err != nil {
				return err
			}
		}
		name = strings.TrimSpace(name)
		if name == "" || len(name) > 80 {
			return valid.Errors{"name": "Name the group in up to 80 characters."}
		}
		if taken, err := tx.Select((*CompanyGroup)(nil)).Where("LOWER(name) = LOWER(?) AND id <> ?", name, id).Exists(ctx); err != nil {
			return err
		} else if taken {
			return valid.Errors{"name": "Another group has this name."}
		}
		ids := uniq(companyIDs)
		if len(ids) > 0 {
			n, err := tx.Select((*Company)(nil)).Where("id IN (?)", bunIn(ids)).Count(ctx)
			if err != nil {
				return err
			}
			if int(n) != len(ids) {
				return valid.Errors{"company_ids": "Some of these companies do not exist."}
			}
		}
		g.Name = name
		if id == 0 {
			if _, err := tx.Insert(g).Exec(ctx); err != nil {
				return err
			}
		} else if _, err := tx.Update(g).Column("name").WherePK().Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.Delete((*CompanyGroupMember)(nil)).Where("group_id = ?", g.ID).Exec(ctx); err != nil {
			return err
		}
		for _, cid := range ids {
			if _, err := tx.Insert(&CompanyGroupMember{GroupID: g.ID, CompanyID: cid}).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}
