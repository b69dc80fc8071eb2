package web

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/store"
)

// maxCursorLen bounds the cursor a request may carry.
const maxCursorLen = 2048

var errBadCursor = &httpError{Status: 400, Code: "invalid", Message: "Some fields need attention.",
	Fields: map[string]string{"cursor": "Use the next_cursor of the previous page."}}

// pageOf reads ?limit= and ?cursor= of a list (SPEC §12). A limit that is not
// a whole number from 1 to store.MaxLimit is 400; a cursor the list did not
// hand out is 400 too, when the list decodes it.
func pageOf(c *fiber.Ctx) (store.Page, error) {
	p := store.Page{Limit: store.DefaultLimit, Cursor: c.Query("cursor")}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxLimit {
			return p, &httpError{Status: 400, Code: "invalid", Message: "Some fields need attention.",
				Fields: map[string]string{"limit": "Use a whole number from 1 to " + strconv.Itoa(store.MaxLimit) + "."}}
		}
		p.Limit = n
	}
	if len(p.Cursor) > maxCursorLen {
		return p, errBadCursor
	}
	return p, nil
}

// listBody is one page of any list: next_cursor is "" on the last page.
type listBody[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// listJSON answers one page of a list.
func listJSON[T any](c *fiber.Ctx, items []T, next string) error {
	if items == nil {
		items = []T{}
	}
	return c.JSON(listBody[T]{Items: items, NextCursor: next})
}

// nextURL is the address of the page after this one, for "Load more": path
// with the request's query (its search and filters) and the cursor next.
// "" when there is none.
func nextURL(c *fiber.Ctx, path, next string) string {
	if next == "" {
		return ""
	}
	q := url.Values{}
	if c.Method() == fiber.MethodGet {
		q, _ = url.ParseQuery(string(c.Request().URI().QueryString()))
	}
	q.Set("cursor", next)
	return path + "?" + q.Encode()
}
