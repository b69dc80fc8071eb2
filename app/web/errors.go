package web

import (
	"errors"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/articles"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/contacts"
	"github.com/atrium-portal/atrium/app/plan"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/teamwork"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/app/workboards"
	"github.com/atrium-portal/atrium/ui"
)

// httpError is an answer the client is meant to see: a status, a code for
// programs, a sentence for people and, for bad input, messages per field.
type httpError struct {
	Status     int
	Code       string
	Message    string
	Fields     map[string]string
	RetryAfter int // seconds, for 429 and 503
}

func (e *httpError) Error() string { return e.Code + ": " + e.Message }

var (
	errUnauthenticated = &httpError{Status: 401, Code: "unauthenticated", Message: "Sign in to continue."}
	errForbidden       = &httpError{Status: 403, Code: "forbidden", Message: "You don't have access to this page. If you need it, ask an administrator of this workspace to share it with you."}
	errCSRF            = &httpError{Status: 403, Code: "csrf", Message: "This form has expired. Reload the page and try again."}
	errNotFound        = &httpError{Status: 404, Code: "not_found", Message: "There is nothing at this address, or it is not shared with you. Check the link, or start again from the home page."}
	errUnknownHost     = &httpError{Status: 404, Code: "unknown_host", Message: "No workspace is served at this address."}
	errBadCredentials  = &httpError{Status: 401, Code: "invalid_credentials", Message: "Email or password is incorrect."}
	// errNotWhilePreviewing refuses an own-account route (password, sign-in
	// secrets) while the principal previews as someone else.
	errNotWhilePreviewing = &httpError{Status: 403, Code: "forbidden", Message: "Not while previewing: this changes your own account."}
	// errNestedPreview refuses starting a preview while previewing.
	errNestedPreview = &httpError{Status: 403, Code: "forbidden", Message: "Not while previewing: exit this preview before starting another."}
	// errAdminWhilePreviewing refuses administration during a preview.
	errAdminWhilePreviewing = &httpError{Status: 403, Code: "forbidden", Message: "Not while previewing: administration is not part of a preview. Exit the preview first."}
	// errInvalidToken answers a bearer token that is unknown here, revoked,
	// expired, or whose user is no longer active.
	errInvalidToken = &httpError{Status: 401, Code: "invalid_token", Message: "This API token is unknown, revoked or expired. Create a new one under your account's API tokens."}
	// errTokenScope refuses a route an integration token's scopes do not open.
	errTokenScope = &httpError{Status: 403, Code: "token_scope", Message: "This integration token's scopes do not cover this request. An administrator can create a token with the scope it needs in Settings → Integrations."}
	// errTokenOwnAccount refuses, to any API token, the routes of the
	// account itself: a token cannot change a password or make tokens.
	errTokenOwnAccount = &httpError{Status: 403, Code: "forbidden", Message: "An API token cannot do this: it changes the account itself. Sign in to do it."}
	errBadText         = &httpError{Status: 400, Code: "invalid_characters", Message: "The request contains a NUL byte or text that is not valid UTF-8. Remove those characters and try again."}
)

func errBadRequest(msg string) *httpError {
	return &httpError{Status: 400, Code: "bad_request", Message: msg}
}

func errRateLimited(seconds int) *httpError {
	return &httpError{Status: 429, Code: "rate_limited", Message: "Too many attempts. Try again in " + humanSeconds(seconds) + ".", RetryAfter: seconds}
}

func errBusy(seconds int) *httpError {
	return &httpError{Status: 503, Code: "busy", Message: "The server is busy checking passwords. Try again in a few seconds.", RetryAfter: seconds}
}

func humanSeconds(s int) string {
	if s < 90 {
		return strconv.Itoa(s) + " seconds"
	}
	return strconv.Itoa((s+59)/60) + " minutes"
}

// asHTTPError maps any error to what the client sees; unknown errors are a
// 500 whose details stay in the log.
func asHTTPError(err error) (*httpError, bool) {
	var he *httpError
	if errors.As(err, &he) {
		return he, true
	}
	if errors.Is(err, store.ErrBadCursor) {
		return errBadCursor, true
	}
	var rl *auth.RateLimitedError
	if errors.As(err, &rl) {
		return errRateLimited(int(math.Ceil(rl.RetryAfter.Seconds()))), true
	}
	var busy *auth.BusyError
	if errors.As(err, &busy) {
		return errBusy(busy.RetrySeconds()), true
	}
	if errors.Is(err, tickets.ErrNotFound) || errors.Is(err, contacts.ErrNotFound) || errors.Is(err, articles.ErrNotFound) || errors.Is(err, plan.ErrNotFound) || errors.Is(err, teamwork.ErrNotFound) || errors.Is(err, workboards.ErrNotFound) {
		return errNotFound, true
	}
	if errors.Is(err, contacts.ErrConflict) {
		return &httpError{Status: 409, Code: "conflict", Message: "Another contact already has this external ID.",
			Fields: map[string]string{"external_id": "Another contact already has this external ID."}}, true
	}
	if errors.Is(err, articles.ErrForbidden) || errors.Is(err, teamwork.ErrForbidden) || errors.Is(err, workboards.ErrForbidden) {
		return errForbidden, true
	}
	if errors.Is(err, tickets.ErrConflict) {
		return &httpError{Status: 409, Code: "conflict", Message: "Another ticket already has this external ID.",
			Fields: map[string]string{"external_id": "Another ticket already has this external ID."}}, true
	}
	if he, ok := strategyError(err); ok {
		return he, true
	}
	var ff *policy.ErrFieldForbidden
	if errors.As(err, &ff) {
		return &httpError{Status: 403, Code: "forbidden", Message: "You can't change " + fieldWords(ff.Field) + ".",
			Fields: map[string]string{ff.Field: "You can't change this."}}, true
	}
	var ve valid.Errors
	if errors.As(err, &ve) {
		return &httpError{Status: 400, Code: "invalid", Message: "Some fields need attention.", Fields: ve}, true
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code := strings.ToLower(strings.ReplaceAll(http.StatusText(fe.Code), " ", "_"))
		msg := fe.Message
		switch fe.Code {
		case fiber.StatusNotFound:
			return errNotFound, true
		case fiber.StatusRequestEntityTooLarge:
			code, msg = "too_large", "What you sent is too large to accept. Send a smaller file or shorter text."
		}
		if msg == "" || msg == http.StatusText(fe.Code) {
			// Fiber's own message is the bare status text: say it in words.
			msg = "This request could not be handled. Go back and try again."
		}
		return &httpError{Status: fe.Code, Code: code, Message: msg}, true
	}
	return &httpError{Status: 500, Code: "internal", Message: "Something went wrong on our side. Try again in a moment; if it keeps happening, tell your administrator."}, false
}

// fieldWords names a refused field in a sentence: "the time spent".
func fieldWords(f string) string {
	tf := policy.TicketField(f)
	if tf.Standard() {
		return "the " + strings.ToLower(tf.Label())
	}
	if _, custom := tf.CustomFieldID(); custom {
		return "this field"
	}
	return strings.ReplaceAll(f, "_", " ")
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// handleError answers an error in the request's own terms: JSON for the
// API, a fragment for htmx, a branded page otherwise.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	he, known := asHTTPError(err)
	if !known {
		s.logWith(c).Error("request failed", "method", c.Method(), "path", redactPath(c.Path()), "err", err)
	}
	c.Status(he.Status)
	if he.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(he.RetryAfter))
	}
	if isAPI(c) {
		return c.JSON(errorBody{errorDetail{he.Code, he.Message, he.Fields}})
	}
	if he == errUnknownHost {
		return render(c, he.Status, ui.UnknownHost())
	}
	if he.Status == 401 {
		if isHTMX(c) {
			c.Set("HX-Redirect", "/login")
			return c.SendStatus(401)
		}
		return c.Redirect("/login?next="+url.QueryEscape(safeNext(c.OriginalURL())), fiber.StatusSeeOther)
	}
	st := state(c)
	v := errorView(he, st.user != nil)
	if isHTMX(c) {
		return render(c, he.Status, ui.ErrorBox(v))
	}
	if st.tenant == nil {
		return c.SendString(v.Title + ". " + he.Message)
	}
	if st.user != nil {
		return render(c, he.Status, ui.ErrorPage(s.frame(c, v.Title, ""), v))
	}
	v.Bare = true
	return render(c, he.Status, ui.BareErrorPage(s.brand(c), s.staticV, htmxConfig, v))
}

// errorView is what an error page says: the heading for the status, the
// error's sentence with what to do, the messages of the fields, and the
// way on — home when signed in, the sign-in page otherwise.
func errorView(he *httpError, signedIn bool) ui.ErrorView {
	v := ui.ErrorView{Status: he.Status, Title: errorTitle(he.Status), Message: he.Message}
	if he.Code == errCSRF.Code {
		v.Title = "This form has expired"
	}
	for _, k := range slices.Sorted(maps.Keys(he.Fields)) {
		v.Details = append(v.Details, he.Fields[k])
	}
	if signedIn {
		v.Actions = []ui.ErrorAction{{Label: "Go to the home page", Path: "/"}}
	} else {
		v.Actions = []ui.ErrorAction{{Label: "Sign in", Path: "/login"}}
	}
	return v
}

// errorTitle is the heading of an error page: what happened, in words.
func errorTitle(status int) string {
	switch status {
	case 403:
		return "You don't have access"
	case 404:
		return "Page not found"
	case 409:
		return "This clashes with what is already there"
	case 410:
		return "This link no longer works"
	case 413:
		return "Too large to accept"
	case 429:
		return "Too many attempts"
	case 503:
		return "The server is busy"
	}
	if status >= 500 {
		return "Something went wrong"
	}
	return "This request can't be completed"
}

func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

// isHTMX chooses a fragment over a page. It never grants anything: the
// header is the client's to set.
func isHTMX(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-Boosted") != "true"
}
