package web

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/resets"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

var (
	errGone     = &httpError{Status: 410, Code: "gone", Message: "This link was already used, revoked or has expired."}
	errConflict = &httpError{Status: 409, Code: "conflict", Message: "A user with this address already exists. Find them in Settings → Users instead of inviting them again."}
	// errNotManaged: the invitation is visible in the list, but the person
	// it invites is beyond the actor's reach (an admin for a people admin).
	errNotManaged = &httpError{Status: 403, Code: "forbidden", Message: "You can't resend or revoke this invitation: only those who may manage the person it invites can."}
)

// inviteContext is who invites, where, and the base of the links: the
// tenant's primary host, whatever Host the request came on.
func (s *Server) inviteContext(c *fiber.Ctx) invitations.Context {
	st := state(c)
	ic := invitations.Context{DB: st.db, Tenant: st.tenant, Base: s.Links.Base(st.tenant), Who: s.who(c), Settings: settingsOf(st.tenant)}
	if v, err := s.assetVersions(c); err == nil {
		ic.LogoETag = v[tenant.Logo]
	}
	if st.user != nil {
		ic.Actor, ic.ActorName = st.actor, st.user.DisplayName()
	}
	return ic
}

// wakeMail tells the outbox worker a message is waiting.
func (s *Server) wakeMail() {
	select {
	case s.MailWake <- struct{}{}:
	default:
	}
}

func invitationError(err error) error {
	switch {
	case errors.Is(err, invitations.ErrConflict):
		return errConflict
	case errors.Is(err, invitations.ErrNotFound):
		return errNotFound
	case errors.Is(err, invitations.ErrNotManaged):
		return errNotManaged
	case errors.Is(err, invitations.ErrForbidden):
		var fe *policy.ErrFieldForbidden
		if errors.As(err, &fe) {
			return &httpError{Status: 403, Code: "forbidden", Message: "You can't set " + strings.ReplaceAll(fe.Field, "_", " ") + " on an invitation.",
				Fields: map[string]string{fe.Field: "You can't set this."}}
		}
		return errForbidden
	case errors.Is(err, invitations.ErrGone), errors.Is(err, resets.ErrGone):
		return errGone
	}
	return err
}

// apiInvite is POST /api/v1/invitations.
func (s *Server) apiInvite(c *fiber.Ctx) error {
	var req invitations.Request
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	inv, err := invitations.Invite(c.UserContext(), s.inviteContext(c), req)
	if err != nil {
		return invitationError(err)
	}
	s.wakeMail()
	return c.Status(fiber.StatusCreated).JSON(inv)
}

// apiInvitations is GET /api/v1/invitations: one page of pending
// invitations. It takes the list's parameters (SPEC §12) and sort:
// -created (newest first, the default), created or email; a cursor is good
// only for the sort that handed it out. An unknown sort is 400 with a
// message for its field.
func (s *Server) apiInvitations(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	list, next, err := invitations.ListPageSorted(c.UserContext(), state(c).db, policy.InvitationsScope(state(c).actor), c.Query("sort"), p)
	if err != nil {
		return err
	}
	return listJSON(c, list, next)
}

// apiInvitation is GET /api/v1/invitations/ID: the invitation and its
// state (queued, sent, failed, accepted, revoked or expired), also once it
// is accepted or revoked.
func (s *Server) apiInvitation(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	inv, err := invitations.Get(c.UserContext(), state(c).db, state(c).actor, id)
	if err != nil {
		return invitationError(err)
	}
	return c.JSON(inv)
}

func paramID(c *fiber.Ctx) (int64, error) { return paramIDOf(c, "id") }

// paramIDOf is the ID in route parameter name; anything but a plain
// positive number is 404.
func paramIDOf(c *fiber.Ctx, name string) (int64, error) {
	raw := c.Params(name)
	// Digits only: one object has one address ("+5" and "05" are not 5).
	if raw == "" || raw[0] < '1' || raw[0] > '9' || strings.Trim(raw, "0123456789") != "" {
		return 0, errNotFound
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// apiResendInvitation is POST /api/v1/invitations/ID/resend.
func (s *Server) apiResendInvitation(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	inv, err := invitations.Resend(c.UserContext(), s.inviteContext(c), id)
	if err != nil {
		return invitationError(err)
	}
	s.wakeMail()
	return c.JSON(inv)
}

// apiRevokeInvitation is DELETE /api/v1/invitations/ID.
func (s *Server) apiRevokeInvitation(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := invitations.Revoke(c.UserContext(), s.inviteContext(c), id); err != nil {
		return invitationError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type acceptRequest struct {
	Token    string `json:"token"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// apiAcceptInvitation is POST /api/v1/invitations/accept: the invitee sets
// name and password and is signed in.
func (s *Server) apiAcceptInvitation(c *fiber.Ctx) error {
	var req acceptRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := invitations.Accept(c.UserContext(), state(c).db, s.Auth.Hasher, req.Token, req.Name, req.Password, s.who(c))
	if err != nil {
		return invitationError(err)
	}
	sess, err := s.startSession(c, u, "signed in after accepting the invitation")
	if err != nil {
		return err
	}
	return c.JSON(sessionResponse{User: toUserJSON(u), CSRFToken: sess.CSRFToken})
}

// startSession signs u in on this browser after an invitation or reset.
func (s *Server) startSession(c *fiber.Ctx, u *people.User, summary string) (*auth.Session, error) {
	st := state(c)
	token, sess, err := s.Auth.Sessions.Start(c.UserContext(), st.db, u.ID, s.who(c), c.Get(fiber.HeaderUserAgent), summary)
	if err != nil {
		return nil, err
	}
	// A session that was already on this browser ends: the new one replaces it.
	if st.session != nil {
		if err := auth.Revoke(c.UserContext(), st.db, st.session.ID); err != nil {
			return nil, err
		}
	}
	s.setSessionCookie(c, token)
	st.signIn(sess, u)
	return sess, nil
}

// resetLimited counts a reset request against the address and the account,
// in one atomic step per key, and refuses once either is over the limit.
func (s *Server) resetLimited(c *fiber.Ctx, email string) error {
	keys := []string{"reset:" + auth.AddressKey(c.IP()), "reset:" + auth.AccountKey(state(c).tenant.ID, people.NormalizeEmail(email))}
	wait, err := s.Auth.Limiter.Reserve(c.UserContext(), keys...)
	if err != nil {
		return err
	}
	if wait > 0 {
		return errRateLimited(int(math.Ceil(wait.Seconds())))
	}
	return nil
}

// requestReset queues a reset link when the address has an account. It
// answers no sooner than the configured reset answer time, known address or
// not: the token, the email and the audit record of a known address must
// not show in the response time.
func (s *Server) requestReset(c *fiber.Ctx, email string) error {
	defer padTo(time.Now().Add(s.Config.Passwords.ResetAnswerTime.Duration))
	if !valid.Text(email) {
		return errBadText
	}
	if err := valid.Email("email", email); err != nil {
		return err
	}
	if err := s.resetLimited(c, email); err != nil {
		return err
	}
	ic := s.inviteContext(c)
	if err := resets.Request(c.UserContext(), ic.DB, ic.Tenant, ic.Base, ic.LogoETag, people.NormalizeEmail(email), s.who(c)); err != nil {
		return err
	}
	s.wakeMail()
	return nil
}

// padTo sleeps until deadline, if it is still ahead.
func padTo(deadline time.Time) {
	if d := time.Until(deadline); d > 0 {
		time.Sleep(d)
	}
}

// resetRequest is the body of POST /api/v1/password-resets.
type resetRequest struct {
	Email string `json:"email"`
}

// resetCompleteRequest is the body of POST /api/v1/password-resets/complete.
type resetCompleteRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// apiRequestReset is POST /api/v1/password-resets: 202 whether or not the address exists.
func (s *Server) apiRequestReset(c *fiber.Ctx) error {
	var req resetRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.requestReset(c, req.Email); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"status": "accepted"})
}

// apiCompleteReset is POST /api/v1/password-resets/complete.
func (s *Server) apiCompleteReset(c *fiber.Ctx) error {
	var req resetCompleteRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if _, err := resets.Complete(c.UserContext(), state(c).db, s.Auth.Hasher, req.Token, req.Password, s.who(c)); err != nil {
		return invitationError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// forgotPage is GET /forgot.
func (s *Server) forgotPage(c *fiber.Ctx) error {
	tok, err := formToken(c)
	if err != nil {
		return err
	}
	return render(c, 200, ui.ForgotPage(s.brand(c), s.staticV, htmxConfig, ui.Field{Name: "email"}, false, tok))
}

// forgotForm is POST /forgot: the same answer for every address.
func (s *Server) forgotForm(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("email"))
	field := ui.Field{Name: "email", Value: email}
	tok, err := formToken(c)
	if err != nil {
		return err
	}
	if email == "" {
		field.Error = "Enter the address you sign in with."
		return s.renderForgot(c, 400, field, false, tok)
	}
	if err := s.requestReset(c, email); err != nil {
		he, known := asHTTPError(err)
		if !known {
			return err
		}
		field.Error = he.Message
		if msg := he.Fields["email"]; msg != "" {
			field.Error = msg
			if len(email) > valid.MaxEmail {
				field.Value = ""
			}
		}
		if he.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(he.RetryAfter))
		}
		return s.renderForgot(c, he.Status, field, false, tok)
	}
	return s.renderForgot(c, 200, field, true, tok)
}

func (s *Server) renderForgot(c *fiber.Ctx, status int, f ui.Field, sent bool, tok string) error {
	return view(c, status, ui.ForgotForm(f, sent, tok),
		func() templ.Component { return ui.ForgotPage(s.brand(c), s.staticV, htmxConfig, f, sent, tok) })
}

// resetPage is GET /reset/TOKEN.
func (s *Server) resetPage(c *fiber.Ctx) error {
	u, err := resets.Peek(c.UserContext(), state(c).db, c.Params("token"))
	if errors.Is(err, resets.ErrGone) {
		return s.resetGone(c)
	}
	if err != nil {
		return err
	}
	tok, err := formToken(c)
	if err != nil {
		return err
	}
	return render(c, 200, ui.ResetPage(s.brand(c), s.staticV, htmxConfig, c.Path(), u.Email, ui.Field{Name: "password"}, tok))
}

// resetForm is POST /reset/TOKEN: new password, every session ends, sign in here.
func (s *Server) resetForm(c *fiber.Ctx) error {
	u, err := resets.Complete(c.UserContext(), state(c).db, s.Auth.Hasher, c.Params("token"), c.FormValue("password"), s.who(c))
	if errors.Is(err, resets.ErrGone) {
		return s.resetGone(c)
	}
	var ve valid.Errors
	if errors.As(err, &ve) {
		tok, terr := formToken(c)
		if terr != nil {
			return terr
		}
		f := ui.Field{Name: "password", Error: ve["password"]}
		return view(c, 400, ui.ResetForm(c.Path(), "", f, tok),
			func() templ.Component { return ui.ResetPage(s.brand(c), s.staticV, htmxConfig, c.Path(), "", f, tok) })
	}
	if err != nil {
		return err
	}
	if _, err := s.startSession(c, u, "signed in after resetting the password"); err != nil {
		return err
	}
	return redirect(c, "/")
}

// redirect sends the browser on: HX-Redirect for htmx, 303 otherwise.
func redirect(c *fiber.Ctx, to string) error {
	if isHTMX(c) {
		c.Set("HX-Redirect", to)
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}
