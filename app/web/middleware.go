package web

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/tokens"
)

// Cookie names.
const (
	sessionCookie = "atrium_session"
	// formCookie carries the double-submit token of forms used before
	// sign-in (login, invitation); signed-in forms use the session's token.
	formCookie = "atrium_form"
)

// logRequests writes one structured line per request: tenant, user, method,
// path, status, duration. It never logs query strings, cookies, headers or
// bodies, and hides the secret part of token links.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.handleError(c, err); herr != nil {
			s.Log.Error("error handler failed", "err", herr)
		}
	}
	st := state(c)
	attrs := []any{
		"method", c.Method(),
		"path", redactPath(c.Path()),
		"status", c.Response().StatusCode(),
		"duration_ms", float64(time.Since(start).Microseconds()) / 1000,
	}
	if st.tenant != nil {
		attrs = append(attrs, "tenant", st.tenant.Slug)
	}
	if st.user != nil {
		attrs = append(attrs, "user", st.user.ID)
	}
	if st.token != nil {
		attrs = append(attrs, "api_token", st.token.ID)
	}
	s.Log.Info("request", attrs...)
	return nil
}

// redactPath keeps token links out of the logs.
func redactPath(p string) string {
	for _, prefix := range []string{"/invite/", "/reset/"} {
		if strings.HasPrefix(p, prefix) && len(p) > len(prefix) {
			return prefix + "…"
		}
	}
	return p
}

// recoverPanics turns a panic into a 500 with the stack in the log, never in the response.
func (s *Server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.Log.Error("panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = errors.New("internal error")
		}
	}()
	return c.Next()
}

// securityHeaders sets the strict CSP and friends on every response.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if c.Protocol() == "https" {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	h.Add("Vary", "HX-Request")
	if isAPI(c) {
		// Every API answer may carry a user's data or a token; handlers that
		// serve something public set their own Cache-Control afterwards.
		h.Set(fiber.HeaderCacheControl, "no-store")
	}
	return c.Next()
}

// checkInput refuses, with a 400, text that no handler can use: a NUL byte
// or invalid UTF-8 in the path, the query string, the Host header, or the
// fields of a form or JSON body (files uploaded in a form are not text and
// are not checked). The body is already bounded by the server's BodyLimit.
func (s *Server) checkInput(c *fiber.Ctx) error {
	req := c.Request()
	uri := req.URI()
	ok := goodText(uri.PathOriginal()) && goodText(uri.Path()) && goodText(uri.QueryString()) &&
		goodText(req.Header.Host()) && goodText([]byte(c.Hostname()))
	if ok {
		uri.QueryArgs().VisitAll(func(k, v []byte) { ok = ok && goodText(k) && goodText(v) })
	}
	if ok && len(req.Body()) > 0 {
		ok = goodBody(c)
	}
	if !ok {
		return errBadText
	}
	return c.Next()
}

// goodBody checks the text fields of a form or JSON body.
func goodBody(c *fiber.Ctx) bool {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	ok := true
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		c.Request().PostArgs().VisitAll(func(k, v []byte) { ok = ok && goodText(k) && goodText(v) })
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		form, err := c.MultipartForm()
		if err != nil {
			return true // the handler answers the broken form
		}
		for k, vs := range form.Value {
			ok = ok && goodText([]byte(k))
			for _, v := range vs {
				ok = ok && goodText([]byte(v))
			}
		}
	case strings.HasPrefix(ct, fiber.MIMEApplicationJSON):
		body := c.Body()
		if !utf8.Valid(body) {
			return false
		}
		// A NUL can only hide in an escape; decode to be sure only when one
		// may be there ("\\u0000" is a backslash and text, not a NUL).
		if bytes.Contains(body, []byte(`\u0000`)) {
			var v any
			if json.Unmarshal(body, &v) == nil {
				ok = goodJSON(v)
			}
		}
	}
	return ok
}

// goodJSON walks a decoded JSON value for NUL bytes in keys and strings.
func goodJSON(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.IndexByte(v, 0) < 0
	case []any:
		for _, e := range v {
			if !goodJSON(e) {
				return false
			}
		}
	case map[string]any:
		for k, e := range v {
			if strings.IndexByte(k, 0) >= 0 || !goodJSON(e) {
				return false
			}
		}
	}
	return true
}

// goodText reports valid UTF-8 without NUL bytes.
func goodText(b []byte) bool {
	return utf8.Valid(b) && bytes.IndexByte(b, 0) < 0
}

// resolveTenant picks the tenant from the Host header (X-Forwarded-Host only
// from trusted proxies, which Fiber checks), else the default tenant, else
// answers a plain 404.
func (s *Server) resolveTenant(c *fiber.Ctx) error {
	host := tenant.NormalizeHost(c.Hostname())
	t, err := s.Tenants.ByHost(c.UserContext(), host)
	if errors.Is(err, tenant.ErrNotFound) && s.Config.DefaultTenant != "" {
		t, err = s.Tenants.BySlug(c.UserContext(), s.Config.DefaultTenant)
	}
	if errors.Is(err, tenant.ErrNotFound) {
		return errUnknownHost
	}
	if err != nil {
		return err
	}
	st := state(c)
	st.tenant = t
	st.db = s.DB.Tenant(t.ID)
	return c.Next()
}

// loadSession finds the signed-in user from the session cookie, in this
// tenant only: a cookie from another tenant's host names no session here.
// On the API, an Authorization: Bearer header names an API token instead
// (loadToken); HTML pages never read it.
func (s *Server) loadSession(c *fiber.Ctx) error {
	if secret, ok := bearerToken(c); ok && isAPI(c) {
		return s.loadToken(c, secret)
	}
	token := c.Cookies(sessionCookie)
	if token == "" {
		return c.Next()
	}
	st := state(c)
	// The session and its user in one statement, the user's rights in a
	// second: with the tenant's, three before the page's own work
	// (TestQueriesBeforeThePage).
	sess, err := s.Auth.Sessions.LookupWithUser(c.UserContext(), st.db, token)
	if errors.Is(err, auth.ErrNoSession) {
		s.clearSessionCookie(c)
		return c.Next()
	}
	if err != nil {
		return err
	}
	u := sess.User
	if u == nil || u.ID == 0 {
		err = people.ErrNotFound
	} else {
		err = people.LoadRights(c.UserContext(), st.db, u)
	}
	if errors.Is(err, people.ErrNotFound) || (err == nil && u.Status != people.Active) {
		if err := auth.Revoke(c.UserContext(), st.db, sess.ID); err != nil {
			return err
		}
		s.clearSessionCookie(c)
		return c.Next()
	}
	if err != nil {
		return err
	}
	st.signIn(sess, u)
	if sess.Previewing() {
		if err := s.loadPreview(c, st); err != nil {
			return err
		}
	}
	// Whatever a signed-in request gets is theirs alone: never cached.
	// Public assets (branding, static files) set their own Cache-Control.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// loadPreview makes the previewed user the request's actor, or ends the
// preview (recorded) and goes on as the principal when it has lasted its
// 30 minutes or the principal may no longer preview that user: their
// rights are checked again on every request, so demoting them ends it.
func (s *Server) loadPreview(c *fiber.Ctx, st *reqState) error {
	ctx, sess := c.UserContext(), st.session
	how := auth.PreviewEnd("")
	target, err := people.UserByID(ctx, st.db, *sess.PreviewUserID)
	switch {
	case errors.Is(err, people.ErrNotFound):
		how = auth.PreviewEndDemotion
	case err != nil:
		return err
	case sess.PreviewExpired(s.Auth.Sessions.Clock()):
		how = auth.PreviewEndExpiry
	case !policy.CanPreview(st.principal, previewTarget(target)):
		how = auth.PreviewEndDemotion
	}
	if how != "" {
		_, err := auth.EndPreview(ctx, st.db, sess, how, s.principalWho(c))
		return err
	}
	st.previewAs(target)
	return nil
}

// bearerToken is the token of an Authorization: Bearer header. Other
// schemes (a proxy's Basic, say) are not ours and are ignored.
func bearerToken(c *fiber.Ctx) (string, bool) {
	scheme, secret, ok := strings.Cut(c.Get(fiber.HeaderAuthorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(secret), true
}

// loadToken signs the request in with an API token of this tenant: its
// user, with exactly their rights. A token that is unknown here (another
// tenant's too), revoked or expired, or whose user is not active, is a 401
// at once, whatever the route: the caller meant to be someone.
func (s *Server) loadToken(c *fiber.Ctx, secret string) error {
	st := state(c)
	t, u, err := tokens.Lookup(c.UserContext(), st.db, secret, time.Now())
	if errors.Is(err, tokens.ErrInvalid) {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer error="invalid_token"`)
		return errInvalidToken
	}
	if err != nil {
		return err
	}
	st.signInWithToken(t, u)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// checkCSRF guards every state change. A request from another origin is
// refused outright. A signed-in request must carry the session's token in
// X-CSRF-Token (htmx and the API) or the _csrf field of a form body (never
// the query string); a form used before sign-in must echo its double-submit
// cookie. Anonymous JSON needs Content-Type application/json, which a
// cross-site form cannot send.
func (s *Server) checkCSRF(c *fiber.Ctx, rule policy.Rule) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return nil
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || tenant.NormalizeHost(u.Host) != tenant.NormalizeHost(c.Hostname()) {
			return errCSRF
		}
	}
	st := state(c)
	// A request authenticated by an API token carries no cookie, so no
	// other site can make a browser send it: it needs no CSRF token.
	if st.token != nil {
		return nil
	}
	given := c.Get("X-CSRF-Token")
	if given == "" {
		given = bodyCSRF(c)
	}
	// Public routes (signing in, accepting an invitation, asking for or
	// completing a reset) are used signed out and their pages carry the
	// double-submit token, so they follow the rules of anonymous requests
	// even when the browser also has a session.
	if st.session != nil && rule != policy.Public {
		if !sameToken(given, st.session.CSRFToken) {
			return errCSRF
		}
		return nil
	}
	if isJSON(c) {
		return nil
	}
	if !sameToken(given, c.Cookies(formCookie)) {
		return errCSRF
	}
	return nil
}

// bodyCSRF is the _csrf field of a form body (urlencoded or multipart).
// Never the query string: a token in a URL ends up in logs, history and
// Referer headers, and a link carrying it must not pass for a form.
func bodyCSRF(c *fiber.Ctx) string {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		return string(c.Request().PostArgs().Peek("_csrf"))
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		if form, err := c.MultipartForm(); err == nil && len(form.Value["_csrf"]) > 0 {
			return form.Value["_csrf"][0]
		}
	}
	return ""
}

func sameToken(given, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(given), []byte(want)) == 1
}

func isJSON(c *fiber.Ctx) bool {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	return strings.HasPrefix(ct, fiber.MIMEApplicationJSON)
}

// authorize enforces a route's rule and, for state changes, CSRF. Someone
// not signed in is sent to the sign-in page (401 for the API and htmx)
// before anything else is checked; a signed-in user outside the rule gets
// the branded 403.
//
// A route in a section (page != "") also needs the section's page: a page
// hidden from the actor closes every route under it. OwnAccount routes are
// decided for the principal, whose own secrets they touch.
func (s *Server) authorize(page policy.Page, rule policy.Rule) fiber.Handler {
	return func(c *fiber.Ctx) error {
		st := state(c)
		if rule != policy.Public && st.user == nil {
			return errUnauthenticated
		}
		// An API token never reaches the principal's own routes (password,
		// tokens, sessions), and an integration token only the routes its
		// scopes open; its user's rights are checked below all the same.
		if t := st.token; t != nil {
			if rule.ForPrincipal() {
				return errTokenOwnAccount
			}
			if t.Kind == tokens.Integration && !policy.TokenAllows(t.Scopes, page, rule, c.Method()) {
				return errTokenScope
			}
		}
		if st.tenant != nil {
			if err := s.checkCSRF(c, rule); err != nil {
				return err
			}
		}
		set := settingsOf(st.tenant)
		who := st.actor
		if rule.ForPrincipal() {
			who = st.principal
		}
		if st.previewing() {
			if err := refuseInPreview(c, st, page, rule); err != nil {
				// A page the previewed user could not open on their own is
				// refused as it would be for them, so the preview shows their
				// answer; "not part of a preview" is for what they could.
				if err == errAdminWhilePreviewing && !policy.ExplainRoute(who, set, page, rule, nil) {
					return errForbidden
				}
				return err
			}
		}
		// The access explainer asks the same function (GET /api/v1/users/{id}/access).
		if !policy.ExplainRoute(who, set, page, rule, nil) {
			return errForbidden
		}
		return c.Next()
	}
}

// refuseInPreview is the error for a request of rule r while previewing,
// or nil: the principal's own secrets and starting another preview are
// always refused, and so is administration (an admin page or action,
// whoever is previewed); a preview of a user who is not a test user
// changes nothing but the preview itself and the sign-in.
func refuseInPreview(c *fiber.Ctx, st *reqState, page policy.Page, r policy.Rule) error {
	switch {
	case r == policy.StartPreview:
		return errNestedPreview
	case !r.AllowedInPreview():
		return errNotWhilePreviewing
	case policy.AdminRoute(page, r):
		return errAdminWhilePreviewing
	case st.previewReadOnly && !r.AllowedInReadOnlyPreview():
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead:
			return nil
		}
		return &httpError{Status: fiber.StatusForbidden, Code: "read_only_preview",
			Message: "This is a preview of " + st.user.DisplayName() + "'s portal: it can't change anything."}
	}
	return nil
}

func (s *Server) notFound(c *fiber.Ctx) error { return errNotFound }

func settingsOf(t *tenant.Tenant) policy.Settings {
	if t == nil {
		return policy.Settings{}
	}
	return policy.Settings{WhyEnabled: t.WhyEnabled, DirectionEnabled: t.DirectionEnabled}
}

func (s *Server) setSessionCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: token, Path: "/",
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https",
		// The cookie lasts as long as the session may; the server ends it
		// sooner when it sits idle or is revoked.
		Expires: time.Now().Add(s.Config.Session.AbsoluteTimeout.Duration),
	})
}

func (s *Server) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https",
	})
}

// formToken returns the double-submit token of an anonymous form, setting
// its cookie when the browser has none yet.
func formToken(c *fiber.Ctx) (string, error) {
	if t := c.Cookies(formCookie); t != "" && len(t) <= 64 {
		return t, nil
	}
	t, err := randomString()
	if err != nil {
		return "", err
	}
	c.Cookie(&fiber.Cookie{
		Name: formCookie, Value: t, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https",
	})
	return t, nil
}

// logAttrs is a convenience for handlers that log with the request's tenant.
func (s *Server) logWith(c *fiber.Ctx) *slog.Logger {
	st := state(c)
	l := s.Log
	if st.tenant != nil {
		l = l.With("tenant", st.tenant.Slug)
	}
	return l
}
