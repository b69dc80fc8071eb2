package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/tokens"
)

// reqState is what the middleware learned about a request.
//
// The principal is the user the session belongs to; the actor is the user
// the request acts as, and user is the actor's record. They are the same
// user until a preview (SPEC §9) makes the actor the previewed user while
// the principal stays the admin. Domain code gets the actor; only routes
// marked policy.OwnAccount act on the principal.
type reqState struct {
	tenant    *tenant.Tenant
	db        *store.Scoped // bound to tenant
	session   *auth.Session
	user      *people.User
	actor     policy.Actor
	principal policy.Actor
	// principalUser is the signed-in user's record.
	principalUser *people.User
	// token is the API token the request was authenticated with (an
	// Authorization: Bearer header on /api/v1), nil for a session. Such a
	// request has no session, needs no CSRF token, never reaches the
	// principal's own routes, and an integration token only the routes its
	// scopes open.
	token *tokens.Token
	// previewReadOnly: the request previews a user who is not a test user,
	// so it may change nothing (SPEC §9).
	previewReadOnly bool
}

// signIn records the session's user as both principal and actor.
func (st *reqState) signIn(sess *auth.Session, u *people.User) {
	st.session = sess
	st.user, st.actor = u, u.Actor()
	st.principalUser, st.principal = u, st.actor
	if sess.CompanyID != nil {
		st.actor = st.actor.NarrowTo(*sess.CompanyID)
	}
}

// previewAs makes u the request's actor while the principal stays: the
// session previews u (SPEC §9). The session's company choice is made
// during the preview (it is cleared when one starts and ends), so it
// narrows u as it would narrow u's own session.
func (st *reqState) previewAs(u *people.User) {
	st.user, st.actor = u, u.Actor()
	if st.session != nil && st.session.CompanyID != nil {
		st.actor = st.actor.NarrowTo(*st.session.CompanyID)
	}
	st.previewReadOnly = policy.PreviewReadOnly(previewTarget(u))
}

// previewTarget is what the policy needs to know of u to decide a preview.
func previewTarget(u *people.User) policy.PreviewTarget {
	return policy.PreviewTarget{
		Target:   policy.Target{UserID: u.ID, Kind: u.Kind, Capabilities: u.CapabilityList()},
		TenantID: u.TenantID, Active: u.Status == people.Active, TestUser: u.TestUser,
	}
}

// signInWithToken records the token's user as both principal and actor:
// a token acts with exactly its user's rights, and never previews.
func (st *reqState) signInWithToken(t *tokens.Token, u *people.User) {
	st.token = t
	st.user, st.actor = u, u.Actor()
	st.principalUser, st.principal = u, st.actor
}

// previewing reports whether the request acts as someone other than the
// signed-in user.
func (st *reqState) previewing() bool {
	if st.user != nil && st.principalUser != nil && st.user.ID != st.principalUser.ID {
		return true
	}
	return st.actor.UserID != st.principal.UserID
}

const stateKey = "atrium.state"

func state(c *fiber.Ctx) *reqState {
	if st, ok := c.Locals(stateKey).(*reqState); ok {
		return st
	}
	st := &reqState{}
	c.Locals(stateKey, st)
	return st
}

func randomString() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", errors.New("web: no randomness")
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// who is the acting user, the principal behind them when they differ (a
// preview) and the address of a request, for the audit log.
func (s *Server) who(c *fiber.Ctx) audit.Who {
	st := state(c)
	w := audit.Who{Address: c.IP()}
	if st.user != nil {
		w.ActorID = st.user.ID
	}
	if p := st.principalUser; p != nil && st.user != nil && p.ID != st.user.ID {
		w.ImpersonatorID = p.ID
	}
	return w
}

// principalWho is the signed-in user and the address of a request, for the
// audit records of what they do to their own account (password, sign-out):
// the principal acts there, even while previewing someone else.
func (s *Server) principalWho(c *fiber.Ctx) audit.Who {
	w := audit.Who{Address: c.IP()}
	if p := state(c).principalUser; p != nil {
		w.ActorID = p.ID
	}
	return w
}
