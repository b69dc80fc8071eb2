package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// CategoryView is a category as one reader sees it: with the number of
// its articles that reader may see.
type CategoryView struct {
	ID       int64
	Name     string
	Articles int
}

// Categories are the categories actor a may see, in their order: every
// one for those who write the knowledge base; for other readers only those
// holding an article they may see, so a category's name shared with no one
// stays internal.
func Categories(ctx context.Context, db *store.Scoped, a policy.Actor) ([]CategoryView, error) {
	out := []CategoryView{}
	sc := policy.ArticlesScope(a)
	if sc.None() {
		return out, nil
	}
	var cats []Category
	if err := db.Select(&cats).OrderExpr("ac.position, lower(ac.name), ac.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("articles: categories: %w", err)
	}
	var counts []struct {
		CategoryID int64 `bun:"category_id"`
		N          int   `bun:"n"`
	}
	if err := selectScoped(db, (*Article)(nil), sc).ColumnExpr("a.category_id, COUNT(*) AS n").
		Where("a.category_id IS NOT NULL").GroupExpr("a.category_id").Scan(ctx, &counts); err != nil {
		return nil, fmt.Errorf("articles: count by category: %w", err)
	}
	n := map[int64]int{}
	for _, c := range counts {
		n[c.CategoryID] = c.N
	}
	edit := policy.CanEditArticles(a)
	for _, c := range cats {
		if edit || n[c.ID] > 0 {
			out = append(out, CategoryView{ID: c.ID, Name: c.Name, Articles: n[c.ID]})
		}
	}
	return out, nil
}

// checkName validates a category's name.
func checkName(name string) (string, error) {
	s := strings.TrimSpace(name)
	switch {
	case s == "":
		return s, valid.Errors{"name": "Name the category."}
	case utf8.RuneCountInString(s) > MaxCategoryName || !valid.Text(s) || valid.HasControl(s):
		return s, valid.Errors{"name": fmt.Sprintf("Use at most %d characters on one line.", MaxCategoryName)}
	}
	return s, nil
}

var errNameTaken = valid.Errors{"name": "Another category has this name."}

// CreateCategory adds a category at the end of the list and records it.
func CreateCategory(ctx context.Context, db *store.Scoped, by By, name string) (*CategoryView, error) {
	if !policy.CanEditArticles(by.Actor) {
		return nil, ErrForbidden
	}
	name, err := checkName(name)
	if err != nil {
		return nil, err
	}
	c := &Category{Name: name, CreatedAt: time.Now().UTC()}
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if err := tx.LockTenant(ctx); err != nil {
			return err
		}
		var count, last int
		if err := tx.Select((*Category)(nil)).ColumnExpr("COUNT(*), COALESCE(MAX(ac.position), 0)").Scan(ctx, &count, &last); err != nil {
			return fmt.Errorf("articles: count categories: %w", err)
		}
		if count >= MaxCategories {
			return valid.Errors{"name": fmt.Sprintf("A knowledge base has at most %d categories.", MaxCategories)}
		}
		c.Position = last + 1
		if _, err := tx.Insert(c).Exec(ctx); err != nil {
			if store.IsUniqueViolation(err) {
				return errNameTaken
			}
			return fmt.Errorf("articles: create category: %w", err)
		}
		return audit.Record(ctx, tx, by.Who, audit.ArticleCategories, "article_category", c.ID, "Added "+c.Name)
	})
	if err != nil {
		return nil, err
	}
	return &CategoryView{ID: c.ID, Name: c.Name}, nil
}

func loadCategory(ctx context.Context, tx *store.Scoped, id int64) (*Category, error) {
	c := new(Category)
	err := tx.Select(c).Where("ac.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("articles: load category %d: %w", id, err)
	}
	return c, nil
}

// RenameCategory renames category id and records it.
func RenameCategory(ctx context.Context, db *store.Scoped, by By, id int64, name string) error {
	if !policy.CanEditArticles(by.Actor) {
		return ErrForbidden
	}
	name, err := checkName(name)
	if err != nil {
		return err
	}
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		c, err := loadCategory(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Name == name {
			return nil
		}
		if _, err := tx.Update((*Category)(nil)).Set("name = ?", name).Where("ac.id = ?", id).Exec(ctx); err != nil {
			if store.IsUniqueViolation(err) {
				return errNameTaken
			}
			return fmt.Errorf("articles: rename category %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.ArticleCategories, "article_category", id, "Renamed "+c.Name+" to "+name)
	})
}

// DeleteCategory removes category id; its articles stay, uncategorised.
func DeleteCategory(ctx context.Context, db *store.Scoped, by By, id int64) error {
	if !policy.CanEditArticles(by.Actor) {
		return ErrForbidden
	}
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		c, err := loadCategory(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Update((*Article)(nil)).Set("category_id = NULL").Where("a.category_id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("articles: uncategorise %d: %w", id, err)
		}
		if _, err := tx.Delete((*Category)(nil)).Where("ac.id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("articles: delete category %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.ArticleCategories, "article_category", id, "Deleted "+c.Name)
	})
}
