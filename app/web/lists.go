package web

import (
	"errors"
	"net/url"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// listView answers a list page, choosing what to render the way view does:
// an htmx request from the list's controls (HX-Target is the list's region)
// gets the region, "Load more" (a cursor) the next rows, anything else the
// page.
func listView(c *fiber.Ctx, status int, l ui.ListView, p store.Page, region, rows templ.Component, page func() (templ.Component, error)) error {
	var fragment templ.Component
	switch {
	case c.Get("HX-Target") == l.ID:
		fragment = region
	case rowsOnly(c, p, l):
		fragment = rows
	}
	return viewErr(c, status, fragment, page)
}

// rowsOnly reports whether the answer is the next rows alone ("Load more"
// by htmx, after a cursor), without the list's heading and its count:
// listView answers so, and a handler may skip counting.
func rowsOnly(c *fiber.Ctx, p store.Page, l ui.ListView) bool {
	return p.Cursor != "" && isHTMX(c) && c.Get("HX-Target") != l.ID
}

// listQuery is the request's query without its cursor: the search, filters
// and sort a list's links keep.
func listQuery(c *fiber.Ctx) url.Values {
	q := url.Values{}
	if c.Method() == fiber.MethodGet {
		q, _ = url.ParseQuery(string(c.Request().URI().QueryString()))
	}
	q.Del("cursor")
	return q
}

// sortOptions are the choices of a list's sort field.
func sortOptions(sorts store.Sorts) []ui.Option {
	out := make([]ui.Option, 0, len(sorts))
	for _, o := range sorts {
		out = append(out, ui.Option{Value: o.Name, Label: o.Label})
	}
	return out
}

// listErrors splits a list's error: refused filters or sort (valid.Errors,
// shown by their fields with status 400) from any other failure.
func listErrors(err error) (valid.Errors, error) {
	var ve valid.Errors
	if errors.As(err, &ve) {
		return ve, nil
	}
	return nil, err
}

// applyErrors puts each message next to its filter, the sort's by the sort.
func applyErrors(l *ui.ListView, errs valid.Errors) {
	for i := range l.Filters {
		l.Filters[i].Error = errs[l.Filters[i].Name]
	}
	l.SortError = errs["sort"]
}

// anyOption is the first choice of a filter: no narrowing.
func anyOption(label string) ui.Option { return ui.Option{Value: "", Label: label} }

// fillList runs a list's page and count for l, unless its filters were
// already refused (qerr): refused filters or sort are put next to their
// fields and raise status to 400; any other failure is returned.
func fillList[T any](l *ui.ListView, status *int, qerr error, page func() ([]T, string, error), count func() (int, error)) ([]T, string, error) {
	var items []T
	var next string
	err := qerr
	if err == nil {
		items, next, err = page()
	}
	if err == nil {
		l.Count, err = count()
	}
	errs, err := listErrors(err)
	if err != nil {
		return nil, "", err
	}
	if errs != nil {
		*status = max(*status, 400)
		applyErrors(l, errs)
	}
	return items, next, nil
}
