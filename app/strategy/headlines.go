package strategy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/markdown"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Headline is one company headline, as stored.
type Headline struct {
	bun.BaseModel `bun:"table:headlines,alias:h"`
	store.TenantOwned

	ID        int64     `bun:"id,pk,autoincrement"`
	Title     string    `bun:"title,notnull"`
	Body      string    `bun:"body,notnull"`
	CreatedBy *int64    `bun:"created_by"`
	UpdatedBy *int64    `bun:"updated_by"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

// HeadlineView is a headline as one reader sees it.
type HeadlineView struct {
	ID    int64
	Title string
	// Body is the markdown source, HTML the same rendered and sanitised.
	Body string
	HTML string
	// Author wrote it; they stay named when deactivated.
	Author    *Person
	CreatedAt time.Time
	UpdatedAt time.Time
	// Editable: the reader may change and delete it.
	Editable bool
}

// HeadlineInput is what a create or change sets; nil leaves a field as it is.
type HeadlineInput struct {
	Title *string
	Body  *string
}

func canReadHeadlines(a policy.Actor) error {
	if !policy.CanReadStrategy(a, policy.AllStrategyPagesOn(), policy.PageHeadlines) {
		return ErrNotFound
	}
	return nil
}

// cursorHeadlines names the headlines' cursors.
const cursorHeadlines = "headlines"

// Headlines returns one page of the headlines, newest first, rendered by
// md, and the cursor of the next page ("" on the last).
func Headlines(ctx context.Context, db *store.Scoped, a policy.Actor, md *markdown.Renderer, p store.Page) ([]HeadlineView, string, error) {
	if err := canReadHeadlines(a); err != nil {
		return nil, "", err
	}
	var hs []Headline
	q, err := newestFirst(db.Select(&hs), "h.id", cursorHeadlines, p)
	if err != nil {
		return nil, "", err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("strategy: list headlines: %w", err)
	}
	hs, next := trimPage(hs, cursorHeadlines, p, func(h Headline) int64 { return h.ID })
	vs, err := headlineViews(ctx, db, a, md, hs)
	return vs, next, err
}

// CountHeadlines is the number of headlines a may read.
func CountHeadlines(ctx context.Context, db *store.Scoped, a policy.Actor) (int, error) {
	if err := canReadHeadlines(a); err != nil {
		return 0, err
	}
	n, err := db.Select((*Headline)(nil)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("strategy: count headlines: %w", err)
	}
	return int(n), nil
}

func loadHeadline(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Headline, error) {
	if err := canReadHeadlines(a); err != nil {
		return nil, err
	}
	h := new(Headline)
	err := db.Select(h).Where("h.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("strategy: load headline %d: %w", id, err)
	}
	return h, nil
}

// GetHeadline returns headline id as actor a sees it: ErrNotFound outside
// the tenant or for a reader without the headlines page.
func GetHeadline(ctx context.Context, db *store.Scoped, a policy.Actor, md *markdown.Renderer, id int64) (*HeadlineView, error) {
	h, err := loadHeadline(ctx, db, a, id)
	if err != nil {
		return nil, err
	}
	vs, err := headlineViews(ctx, db, a, md, []Headline{*h})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

func headlineViews(ctx context.Context, db *store.Scoped, a policy.Actor, md *markdown.Renderer, hs []Headline) ([]HeadlineView, error) {
	var ids []int64
	for _, h := range hs {
		ids = append(ids, idsOf(h.CreatedBy)...)
	}
	ns, err := names(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	edit := policy.CanEditHeadlines(a)
	out := make([]HeadlineView, 0, len(hs))
	for _, h := range hs {
		v := HeadlineView{ID: h.ID, Title: h.Title, Body: h.Body, Author: personOf(ns, h.CreatedBy),
			CreatedAt: h.CreatedAt, UpdatedAt: h.UpdatedAt, Editable: edit}
		if h.Body != "" {
			if v.HTML, err = md.HTML(h.Body); err != nil {
				return nil, fmt.Errorf("strategy: render headline %d: %w", h.ID, err)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// applyHeadline validates in and writes it to h.
func applyHeadline(h *Headline, in HeadlineInput) error {
	errs := valid.Errors{}
	if in.Title != nil {
		h.Title = lineText(errs, "title", *in.Title, MaxHeadlineTitle, "Give the headline a title.")
	}
	if in.Body != nil {
		h.Body = markdownText(errs, "body", *in.Body)
	}
	return errs.Err()
}

// writeHeadlines checks that by may write headlines.
func writeHeadlines(by By) error {
	if err := canReadHeadlines(by.Actor); err != nil {
		return err
	}
	if !policy.CanEditHeadlines(by.Actor) {
		return ErrForbidden
	}
	return nil
}

// CreateHeadline writes a new headline as by.Actor, records it and returns
// it. Bad values are valid.Errors.
func CreateHeadline(ctx context.Context, db *store.Scoped, md *markdown.Renderer, by By, in HeadlineInput) (*HeadlineView, error) {
	if err := writeHeadlines(by); err != nil {
		return nil, err
	}
	if in.Title == nil {
		return nil, valid.Errors{"title": "Give the headline a title."}
	}
	t := now()
	h := &Headline{CreatedAt: t, UpdatedAt: t, CreatedBy: nonZero(by.Actor.UserID), UpdatedBy: nonZero(by.Actor.UserID)}
	if err := applyHeadline(h, in); err != nil {
		return nil, err
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if _, err := tx.Insert(h).Exec(ctx); err != nil {
			return fmt.Errorf("strategy: create headline: %w", err)
		}
		return audit.Record(ctx, tx, by.Who, audit.HeadlineCreate, "headline", h.ID, h.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetHeadline(ctx, db, by.Actor, md, h.ID)
}

// UpdateHeadline changes the fields in sets of headline id, records the
// change and returns the headline. Its author stays its author.
func UpdateHeadline(ctx context.Context, db *store.Scoped, md *markdown.Renderer, by By, id int64, in HeadlineInput) (*HeadlineView, error) {
	if err := writeHeadlines(by); err != nil {
		return nil, err
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		h, err := loadHeadline(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if err := applyHeadline(h, in); err != nil {
			return err
		}
		h.UpdatedAt, h.UpdatedBy = now(), nonZero(by.Actor.UserID)
		if _, err := tx.Update(h).WherePK().ExcludeColumn("created_at", "created_by").Exec(ctx); err != nil {
			return fmt.Errorf("strategy: update headline %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.HeadlineChange, "headline", id, h.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetHeadline(ctx, db, by.Actor, md, id)
}

// DeleteHeadline removes headline id and records it.
func DeleteHeadline(ctx context.Context, db *store.Scoped, by By, id int64) error {
	if err := writeHeadlines(by); err != nil {
		return err
	}
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		h, err := loadHeadline(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.Delete((*Headline)(nil)).Where("h.id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("strategy: delete headline %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.HeadlineDelete, "headline", id, h.Title)
	})
}
