package articles

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/markdown"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// By is who performs a change: the actor, whose rights decide, and the
// audit record's who.
type By struct {
	Actor policy.Actor
	Who   audit.Who
}

// Input is what a create or change sets; nil leaves a field as it is (on
// create: its default — no category, internal, not published).
type Input struct {
	Title *string
	Body  *string
	// CategoryID 0 means no category.
	CategoryID *int64
	Audience   *policy.Audience
	// CompanyIDs are the companies of an article for
	// policy.AudienceCompanies; any other audience clears them.
	CompanyIDs *[]int64
	Published  *bool
}

// Create writes a new article as by.Actor, who must be allowed to write
// the knowledge base (ErrForbidden), records it and returns it as the
// actor sees it. Bad values are valid.Errors.
func Create(ctx context.Context, db *store.Scoped, md *markdown.Renderer, by By, in Input) (*View, error) {
	if !policy.CanEditArticles(by.Actor) {
		return nil, ErrForbidden
	}
	if in.Title == nil {
		return nil, valid.Errors{"title": "Give the article a title."}
	}
	var id int64
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		now := time.Now().UTC()
		ar := &Article{Audience: policy.AudienceInternal, CreatedAt: now, UpdatedAt: now,
			CreatedBy: nonZero(by.Actor.UserID), UpdatedBy: nonZero(by.Actor.UserID)}
		companies, err := apply(ctx, tx, ar, in, nil)
		if err != nil {
			return err
		}
		if _, err := tx.Insert(ar).Exec(ctx); err != nil {
			return fmt.Errorf("articles: create: %w", err)
		}
		if err := saveCompanies(ctx, tx, ar.ID, companies); err != nil {
			return err
		}
		id = ar.ID
		return audit.Record(ctx, tx, by.Who, audit.ArticleCreate, "article", ar.ID, ar.Title)
	})
	if err != nil {
		return nil, err
	}
	return Get(ctx, db, by.Actor, md, id)
}

// Update changes the fields in sets of article id, records the change and
// returns the article as the actor sees it. An article the actor may not
// see is ErrNotFound.
func Update(ctx context.Context, db *store.Scoped, md *markdown.Renderer, by By, id int64, in Input) (*View, error) {
	if !policy.CanEditArticles(by.Actor) {
		return nil, ErrForbidden
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		ar, err := load(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		var old []int64
		if err := tx.Select((*ArticleCompany)(nil)).Column("acx.company_id").Where("acx.article_id = ?", id).Scan(ctx, &old); err != nil {
			return fmt.Errorf("articles: load companies of %d: %w", id, err)
		}
		companies, err := apply(ctx, tx, ar, in, old)
		if err != nil {
			return err
		}
		ar.UpdatedAt, ar.UpdatedBy = time.Now().UTC(), nonZero(by.Actor.UserID)
		if _, err := tx.Update(ar).WherePK().ExcludeColumn("created_at", "created_by").Exec(ctx); err != nil {
			return fmt.Errorf("articles: update %d: %w", id, err)
		}
		if err := saveCompanies(ctx, tx, id, companies); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by.Who, audit.ArticleChange, "article", id, ar.Title)
	})
	if err != nil {
		return nil, err
	}
	return Get(ctx, db, by.Actor, md, id)
}

// Delete removes article id and records it.
func Delete(ctx context.Context, db *store.Scoped, by By, id int64) error {
	if !policy.CanEditArticles(by.Actor) {
		return ErrForbidden
	}
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		ar, err := load(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.Delete((*Article)(nil)).Where("a.id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("articles: delete %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.ArticleDelete, "article", id, ar.Title)
	})
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// apply validates the fields in sets and writes them to ar; it returns the
// companies the article is shared with afterwards (old, changed by in).
func apply(ctx context.Context, tx *store.Scoped, ar *Article, in Input, old []int64) ([]int64, error) {
	errs := valid.Errors{}
	if in.Title != nil {
		s := strings.TrimSpace(*in.Title)
		switch {
		case s == "":
			errs.Add("title", "Give the article a title.")
		case utf8.RuneCountInString(s) > MaxTitle || !valid.Text(s) || valid.HasControl(s):
			errs.Add("title", fmt.Sprintf("Use at most %d characters on one line.", MaxTitle))
		}
		ar.Title = s
	}
	if in.Body != nil {
		s := strings.TrimSpace(strings.ReplaceAll(*in.Body, "\r\n", "\n"))
		if utf8.RuneCountInString(s) > MaxBody || !valid.Text(s) {
			errs.Add("body", fmt.Sprintf("Use at most %d characters.", MaxBody))
		}
		ar.Body = s
	}
	if in.CategoryID != nil {
		switch id := *in.CategoryID; {
		case id == 0:
			ar.CategoryID = nil
		case id < 0:
			errs.Add("category_id", "Choose a category from the list.")
		default:
			n, err := tx.Select((*Category)(nil)).Where("ac.id = ?", id).Count(ctx)
			if err != nil {
				return nil, fmt.Errorf("articles: check category %d: %w", id, err)
			}
			if n == 0 {
				errs.Add("category_id", "Choose a category from the list.")
			}
			ar.CategoryID = &id
		}
	}
	if in.Audience != nil {
		if !in.Audience.Valid() {
			errs.Add("audience", "Choose who the article is for.")
		}
		ar.Audience = *in.Audience
	}
	companies := old
	if in.CompanyIDs != nil {
		companies = slices.Clone(*in.CompanyIDs)
		slices.Sort(companies)
		companies = slices.Compact(companies)
	}
	if ar.Audience != policy.AudienceCompanies {
		companies = nil
	} else {
		switch {
		case len(companies) == 0:
			errs.Add("company_ids", "Choose at least one company to share the article with.")
		case len(companies) > MaxCompanies || companies[0] <= 0:
			errs.Add("company_ids", "Choose companies from the list.")
		default:
			n, err := tx.Select((*companyName)(nil)).Where("cn.id IN (?)", bun.In(companies)).Count(ctx)
			if err != nil {
				return nil, fmt.Errorf("articles: check companies: %w", err)
			}
			if int(n) != len(companies) {
				errs.Add("company_ids", "Choose companies from the list.")
			}
		}
	}
	if in.Published != nil {
		ar.Published = *in.Published
	}
	return companies, errs.Err()
}

// saveCompanies sets the companies article id is shared with.
func saveCompanies(ctx context.Context, tx *store.Scoped, id int64, companies []int64) error {
	if _, err := tx.Delete((*ArticleCompany)(nil)).Where("acx.article_id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("articles: clear companies of %d: %w", id, err)
	}
	if len(companies) == 0 {
		return nil
	}
	rows := make([]ArticleCompany, 0, len(companies))
	for _, c := range companies {
		rows = append(rows, ArticleCompany{ArticleID: id, CompanyID: c})
	}
	if _, err := tx.Insert(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("articles: share %d: %w", id, err)
	}
	return nil
}
