package teamwork

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Helpers that read and check input, shared by every kind of object.

// line checks and trims a required one-line text into *dst.
func line(errs valid.Errors, field string, in *string, dst *string, max int, required string) {
	if in == nil {
		return
	}
	s := strings.TrimSpace(*in)
	switch {
	case s == "" && required != "":
		errs.Add(field, required)
	default:
		if msg := valid.Line(s, max); msg != "" {
			errs.Add(field, msg)
		}
	}
	*dst = s
}

// text checks and trims a text of several lines into *dst.
func text(errs valid.Errors, field string, in *string, dst *string, max int) {
	if in == nil {
		return
	}
	s := strings.TrimSpace(strings.ReplaceAll(*in, "\r\n", "\n"))
	if msg := valid.MultiLine(s, max); msg != "" {
		errs.Add(field, msg)
	}
	*dst = s
}

// DateLayout is how dates travel: 2026-11-23.
const DateLayout = "2006-01-02"

// date checks a date YYYY-MM-DD into *dst.
func date(errs valid.Errors, field string, in *string, dst *string) {
	if in == nil {
		return
	}
	s := strings.TrimSpace(*in)
	t, err := time.Parse(DateLayout, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		errs.Add(field, "Give a date as YYYY-MM-DD.")
		return
	}
	*dst = s
}

// Today is the date of now, in UTC.
func Today(now time.Time) string { return now.UTC().Format(DateLayout) }

// WeekOf is the Monday that starts the week of t (UTC), YYYY-MM-DD.
func WeekOf(t time.Time) string {
	t = t.UTC()
	d := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-d, 0, 0, 0, 0, time.UTC).Format(DateLayout)
}

// pageOf reads one page of rows from q in order o of list, and returns the
// cursor of the next page ("" when this is the last). key is the sort key
// of a row as its cursor carries it.
func pageOf[T any](ctx context.Context, q *bun.SelectQuery, rows *[]T, o store.Sort, list string, p store.Page, key func(T) (string, int64)) (string, error) {
	after, ok, err := o.Decode(list, p.Cursor)
	if err != nil {
		return "", err
	}
	limit := p.Size()
	if err := o.Apply(q, after, ok, limit).Scan(ctx, rows); err != nil {
		return "", fmt.Errorf("teamwork: %s: %w", list, err)
	}
	if len(*rows) <= limit {
		return "", nil
	}
	*rows = (*rows)[:limit]
	k, id := key((*rows)[limit-1])
	return o.Encode(list, k, id), nil
}
