package web_test

import (
	"slices"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// TestEveryRouteDeclaresARule walks Fiber's route table: a route added
// without the route helper has no rule and fails here.
func TestEveryRouteDeclaresARule(t *testing.T) {
	e := newEnv(t, nil)
	rules := e.srv.Rules()
	n := 0
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == "USE" {
			continue // middleware, not a route
		}
		method := r.Method
		if method == "HEAD" {
			method = "GET" // Fiber adds HEAD beside every GET
		}
		rule, ok := rules[method+" "+r.Path]
		if !ok {
			t.Errorf("route %s %s declares no rule", r.Method, r.Path)
			continue
		}
		if !rule.Known() {
			t.Errorf("route %s %s declares unknown rule %q", r.Method, r.Path, rule)
		}
		n++
	}
	if n < len(rules) {
		t.Errorf("walked %d routes, %d declared", n, len(rules))
	}
}

// TestPublicRoutes fails when the list of routes open to anyone changes:
// adding one must be a decision, made here.
func TestPublicRoutes(t *testing.T) {
	e := newEnv(t, nil)
	var got []string
	for route, rule := range e.srv.Rules() {
		if rule == policy.Public {
			got = append(got, route)
		}
	}
	slices.Sort(got)
	want := []string{
		"GET /api/v1/openapi.json",
		"GET /brand.css",
		"GET /brand/:kind",
		"GET /favicon.ico",
		"GET /forgot",
		"GET /healthz",
		"GET /invite/:token",
		"GET /login",
		"GET /readyz",
		"GET /reset/:token",
		"GET /static/*",
		"POST /api/v1/invitations/accept",
		"POST /api/v1/password-resets",
		"POST /api/v1/password-resets/complete",
		"POST /api/v1/session",
		"POST /forgot",
		"POST /invite/:token",
		"POST /login",
		"POST /reset/:token",
	}
	if !slices.Equal(got, want) {
		t.Errorf("public routes changed:\n got %q\nwant %q", got, want)
	}
}

// TestOwnAccountRoutes fails when the list of routes that act on the
// principal's own secrets changes: they are decided for the signed-in user,
// never for a previewed one, so adding one must be a decision made here.
func TestOwnAccountRoutes(t *testing.T) {
	e := newEnv(t, nil)
	var got, inPreview []string
	for route, rule := range e.srv.Rules() {
		if rule.ForPrincipal() {
			got = append(got, route)
			if rule.AllowedInPreview() {
				inPreview = append(inPreview, route)
			}
		}
	}
	slices.Sort(got)
	slices.Sort(inPreview)
	want := []string{
		"DELETE /api/v1/previews/current",
		"DELETE /api/v1/session",
		"GET /account/notifications",
		"GET /account/password",
		"GET /account/tokens",
		"POST /account/notifications",
		"POST /account/password",
		"POST /account/tokens",
		"POST /account/tokens/:id/revoke",
		"POST /logout",
		"POST /preview/exit",
	}
	if !slices.Equal(got, want) {
		t.Errorf("own-account routes changed:\n got %q\nwant %q", got, want)
	}
	// Of them, only signing out and ending the preview work during a preview.
	if want := []string{"DELETE /api/v1/previews/current", "DELETE /api/v1/session", "POST /logout", "POST /preview/exit"}; !slices.Equal(inPreview, want) {
		t.Errorf("principal routes open in a preview:\n got %q\nwant %q", inPreview, want)
	}
}
