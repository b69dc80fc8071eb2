package strategy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/markdown"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Doc is one of the strategy documents.
type Doc string

// The documents.
const (
	Vision    Doc = "vision"
	Why       Doc = "why"
	Direction Doc = "direction"
)

// Docs lists every document in the order of the navigation.
var Docs = []Doc{Vision, Why, Direction}

// Valid reports whether d is a known document.
func (d Doc) Valid() bool { return slices.Contains(Docs, d) }

// Page is the page that shows document d.
func (d Doc) Page() policy.Page {
	switch d {
	case Why:
		return policy.PageWhy
	case Direction:
		return policy.PageDirection
	}
	return policy.PageVision
}

// Label is the document's name in the UI.
func (d Doc) Label() string {
	info, _ := policy.Info(d.Page())
	return info.Label
}

// Section is one markdown field of a document.
type Section struct {
	Key   string
	Title string
	// Help says what belongs there, under the field.
	Help string
}

// BodyKey is the one section of the why and direction documents.
const BodyKey = "body"

// Sections are the fields of document d, in the order the page shows them.
func (d Doc) Sections() []Section {
	switch d {
	case Why:
		return []Section{{Key: BodyKey, Title: "Why", Help: "Why the company exists: its purpose, cause or passion, beyond making money."}}
	case Direction:
		return []Section{{Key: BodyKey, Title: "Direction", Help: "Where the company is heading, and what it will and will not do on the way."}}
	}
	return []Section{
		{Key: "core_values", Title: "Core values", Help: "A handful of rules the company lives by, each with a line on what it means in practice."},
		{Key: "core_focus", Title: "Core focus", Help: "The company's purpose and its niche: what it does best."},
		{Key: "ten_year_target", Title: "10-year target", Help: "One big, measurable goal for ten years from now."},
		{Key: "marketing_strategy", Title: "Marketing strategy", Help: "The target market, the three uniques, the proven process and the guarantee."},
		{Key: "three_year_picture", Title: "3-year picture", Help: "Revenue, profit and what the company looks like three years from now."},
		{Key: "one_year_plan", Title: "1-year plan", Help: "This year's revenue, profit and the goals that get there."},
	}
}

// hasSection reports whether key is a section of d.
func (d Doc) hasSection(key string) bool {
	return slices.ContainsFunc(d.Sections(), func(s Section) bool { return s.Key == key })
}

// Version is one saved version of a document, as stored. A document is
// never changed in place: its current text is its highest number.
type Version struct {
	bun.BaseModel `bun:"table:strategy_versions,alias:sv"`
	store.TenantOwned

	ID     int64 `bun:"id,pk,autoincrement"`
	Doc    Doc   `bun:"doc,notnull"`
	Number int   `bun:"number,notnull"`
	// Sections are section key → markdown.
	Sections  map[string]string `bun:"sections,type:text,notnull"`
	CreatedBy *int64            `bun:"created_by"`
	CreatedAt time.Time         `bun:"created_at,notnull"`
}

// VersionRef is a version as the history lists it: who saved it and when.
type VersionRef struct {
	ID        int64
	Number    int
	Author    *Person
	CreatedAt time.Time
}

// SectionView is one section of a document as the page shows it.
type SectionView struct {
	Section
	// Body is the markdown source; HTML the same rendered and sanitised.
	Body string
	HTML string
}

// DocumentView is a document (its current or an older version) as one
// reader sees it.
type DocumentView struct {
	Doc Doc
	// Version is nil for a document nobody has written yet.
	Version *VersionRef
	// Current: this is the current version (always, for Current).
	Current  bool
	Sections []SectionView
	// Editable: the reader may save a new version.
	Editable bool
}

// Empty reports whether no section of the document holds any text.
func (v *DocumentView) Empty() bool {
	for _, s := range v.Sections {
		if s.Body != "" {
			return false
		}
	}
	return true
}

// canRead is the policy's answer for document d with settings s.
func canRead(a policy.Actor, s policy.Settings, d Doc) error {
	if !d.Valid() || !policy.CanReadStrategy(a, s, d.Page()) {
		return ErrNotFound
	}
	return nil
}

// latest loads the current version of d, nil when there is none.
func latest(ctx context.Context, db *store.Scoped, d Doc) (*Version, error) {
	v := new(Version)
	err := db.Select(v).Where("sv.doc = ?", d).OrderExpr("sv.number DESC").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("strategy: load the %s: %w", d, err)
	}
	return v, nil
}

// Current returns the current version of document d as actor a sees it
// with the tenant's settings s, rendered by md; a document nobody wrote
// yet has no version and empty sections.
func Current(ctx context.Context, db *store.Scoped, a policy.Actor, s policy.Settings, md *markdown.Renderer, d Doc) (*DocumentView, error) {
	if err := canRead(a, s, d); err != nil {
		return nil, err
	}
	v, err := latest(ctx, db, d)
	if err != nil {
		return nil, err
	}
	return view(ctx, db, a, md, d, v, true)
}

// VersionOf returns version id of document d as actor a sees it: ErrNotFound
// when it is not a version of d in this tenant or a may not read d.
func VersionOf(ctx context.Context, db *store.Scoped, a policy.Actor, s policy.Settings, md *markdown.Renderer, d Doc, id int64) (*DocumentView, error) {
	if err := canRead(a, s, d); err != nil {
		return nil, err
	}
	v := new(Version)
	err := db.Select(v).Where("sv.doc = ? AND sv.id = ?", d, id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("strategy: load version %d of the %s: %w", id, d, err)
	}
	cur, err := latest(ctx, db, d)
	if err != nil {
		return nil, err
	}
	return view(ctx, db, a, md, d, v, cur != nil && cur.ID == v.ID)
}

// view builds the view of version v (nil: none yet) of d for a.
func view(ctx context.Context, db *store.Scoped, a policy.Actor, md *markdown.Renderer, d Doc, v *Version, current bool) (*DocumentView, error) {
	out := &DocumentView{Doc: d, Current: current, Editable: current && policy.CanEditVision(a)}
	var texts map[string]string
	if v != nil {
		ns, err := names(ctx, db, idsOf(v.CreatedBy))
		if err != nil {
			return nil, err
		}
		out.Version = &VersionRef{ID: v.ID, Number: v.Number, Author: personOf(ns, v.CreatedBy), CreatedAt: v.CreatedAt}
		texts = v.Sections
	}
	for _, sec := range d.Sections() {
		sv := SectionView{Section: sec, Body: texts[sec.Key]}
		if sv.Body != "" {
			html, err := md.HTML(sv.Body)
			if err != nil {
				return nil, fmt.Errorf("strategy: render the %s's %s: %w", d, sec.Key, err)
			}
			sv.HTML = html
		}
		out.Sections = append(out.Sections, sv)
	}
	return out, nil
}

func idsOf(ids ...*int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id != nil {
			out = append(out, *id)
		}
	}
	return out
}

// cursorVersions names the history's cursors.
const cursorVersions = "strategy_versions"

// Versions returns one page of document d's history, newest first, and
// the cursor of the next page ("" on the last).
func Versions(ctx context.Context, db *store.Scoped, a policy.Actor, s policy.Settings, d Doc, p store.Page) ([]VersionRef, string, error) {
	if err := canRead(a, s, d); err != nil {
		return nil, "", err
	}
	list := cursorVersions + ":" + string(d)
	var vs []Version
	q, err := newestFirst(db.Select(&vs).Column("sv.id", "sv.number", "sv.created_by", "sv.created_at").Where("sv.doc = ?", d), "sv.id", list, p)
	if err != nil {
		return nil, "", err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("strategy: history of the %s: %w", d, err)
	}
	vs, next := trimPage(vs, list, p, func(v Version) int64 { return v.ID })
	var ids []int64
	for _, v := range vs {
		ids = append(ids, idsOf(v.CreatedBy)...)
	}
	ns, err := names(ctx, db, ids)
	if err != nil {
		return nil, "", err
	}
	out := make([]VersionRef, 0, len(vs))
	for _, v := range vs {
		out = append(out, VersionRef{ID: v.ID, Number: v.Number, Author: personOf(ns, v.CreatedBy), CreatedAt: v.CreatedAt})
	}
	return out, next, nil
}

// SaveInput is a new version of a document.
type SaveInput struct {
	// Sections are the texts by section key; a section not named keeps
	// its current text.
	Sections map[string]string
	// Base is the version number the writer started from (0: none yet);
	// nil saves over whatever is current. When another version was saved
	// since, the save is refused with ErrConflict.
	Base *int
}

// Save stores a new version of document d as by.Actor, who must be
// allowed to write it, records it and returns the document as it now is.
// Bad values are valid.Errors, keyed by section; saving the current text
// unchanged stores nothing.
func Save(ctx context.Context, db *store.Scoped, md *markdown.Renderer, by By, d Doc, in SaveInput) (*DocumentView, error) {
	if err := canRead(by.Actor, by.Settings, d); err != nil {
		return nil, err
	}
	if !policy.CanEditVision(by.Actor) {
		return nil, ErrForbidden
	}
	errs := valid.Errors{}
	texts := map[string]string{}
	for key, text := range in.Sections {
		if !d.hasSection(key) {
			errs.Add(key, "This is not a section of the "+d.Label()+".")
			continue
		}
		texts[key] = markdownText(errs, key, text)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		cur, err := latest(ctx, tx, d)
		if err != nil {
			return err
		}
		number, merged := 1, map[string]string{}
		if cur != nil {
			number = cur.Number + 1
			maps.Copy(merged, cur.Sections)
		}
		if in.Base != nil && *in.Base != number-1 {
			return ErrConflict
		}
		maps.Copy(merged, texts)
		for k, t := range merged {
			if t == "" || !d.hasSection(k) {
				delete(merged, k)
			}
		}
		if cur != nil && maps.Equal(merged, cur.Sections) {
			return nil // nothing changed: no new version
		}
		v := &Version{Doc: d, Number: number, Sections: merged, CreatedBy: nonZero(by.Actor.UserID), CreatedAt: now()}
		if _, err := tx.Insert(v).Exec(ctx); err != nil {
			if store.IsUniqueViolation(err) {
				return ErrConflict
			}
			return fmt.Errorf("strategy: save the %s: %w", d, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.StrategySave, string(d), v.ID, fmt.Sprintf("%s, version %d", d.Label(), number))
	})
	if err != nil {
		return nil, err
	}
	return Current(ctx, db, by.Actor, by.Settings, md, d)
}
