package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// maxJSONBytes bounds JSON request bodies; uploads go through forms. The
// longest text a request carries, a ticket's description or note of 20,000
// characters, takes 120 KB when every character is sent as a \uXXXX escape.
const maxJSONBytes = 256 << 10

// decodeJSON reads a JSON body into v, refusing other content types,
// oversized bodies, unknown fields (a misspelt field would otherwise be
// ignored and the request answer 200 having changed nothing) and anything
// after the JSON value.
func decodeJSON(c *fiber.Ctx, v any) error {
	if !isJSON(c) {
		return &httpError{Status: 415, Code: "unsupported_media_type", Message: "Send JSON with Content-Type: application/json."}
	}
	body := c.Body()
	if len(body) > maxJSONBytes {
		return &httpError{Status: 413, Code: "too_large", Message: "The request body is too large."}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if name, ok := unknownField(err); ok {
			return &httpError{Status: 400, Code: "invalid", Message: fmt.Sprintf("Unknown field %q.", name),
				Fields: map[string]string{name: "Not a field of this request."}}
		}
		return errBadRequest("The body is not valid JSON for this request.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errBadRequest("The body has more after its JSON value; send one JSON value only.")
	}
	return nil
}

// unknownField is the name in encoding/json's error for a field that the
// request type does not have.
func unknownField(err error) (string, bool) {
	const prefix = "json: unknown field "
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		return "", false
	}
	name, err := strconv.Unquote(msg[len(prefix):])
	return name, err == nil
}

// userJSON is a user as the API shows it.
type userJSON struct {
	ID           int64               `json:"id"`
	Email        string              `json:"email"`
	Name         string              `json:"name"`
	Kind         policy.Kind         `json:"kind"`
	Status       people.Status       `json:"status"`
	Capabilities []policy.Capability `json:"capabilities"`
	TestUser     bool                `json:"test_user"`
}

func toUserJSON(u *people.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Kind: u.Kind, Status: u.Status, Capabilities: u.CapabilityList(), TestUser: u.TestUser}
}

// login is the one sign-in path behind the form and the API.
func (s *Server) login(c *fiber.Ctx, email, password string) (*people.User, *auth.Session, error) {
	if err := valid.Email("email", email); err != nil {
		return nil, nil, err
	}
	st := state(c)
	u, token, sess, err := s.Auth.Login(c.UserContext(), st.db, email, password, audit.Who{Address: c.IP()}, c.Get(fiber.HeaderUserAgent))
	var rl *auth.RateLimitedError
	var busy *auth.BusyError
	switch {
	case errors.As(err, &rl):
		s.logWith(c).Warn("sign-in rate-limited", "address", c.IP())
		return nil, nil, errRateLimited(int(math.Ceil(rl.RetryAfter.Seconds())))
	case errors.As(err, &busy):
		s.logWith(c).Warn("sign-in refused: every password-hashing slot is taken", "address", c.IP())
		return nil, nil, errBusy(busy.RetrySeconds())
	case errors.Is(err, auth.ErrInvalidCredentials):
		return nil, nil, errBadCredentials
	case err != nil:
		return nil, nil, err
	}
	// A session that was already on this browser ends: the new one replaces
	// it, and its preview, if any, ends as at sign-out.
	if st.session != nil {
		if _, err := auth.EndPreview(c.UserContext(), st.db, st.session, auth.PreviewEndLogout, s.principalWho(c)); err != nil {
			return nil, nil, err
		}
		if err := auth.Revoke(c.UserContext(), st.db, st.session.ID); err != nil {
			return nil, nil, err
		}
	}
	s.setSessionCookie(c, token)
	st.signIn(sess, u)
	return u, sess, nil
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type sessionResponse struct {
	User      userJSON `json:"user"`
	CSRFToken string   `json:"csrf_token"`
}

// apiLogin is POST /api/v1/session.
func (s *Server) apiLogin(c *fiber.Ctx) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, sess, err := s.login(c, req.Email, req.Password)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(sessionResponse{User: toUserJSON(u), CSRFToken: sess.CSRFToken})
}

// apiLogout is DELETE /api/v1/session.
func (s *Server) apiLogout(c *fiber.Ctx) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// endSession signs the principal out: the whole session ends, a preview
// included, and the record names the principal.
func (s *Server) endSession(c *fiber.Ctx) error {
	st := state(c)
	if err := auth.Logout(c.UserContext(), st.db, st.session.ID, s.principalWho(c)); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return nil
}

// loginPage is GET /login.
func (s *Server) loginPage(c *fiber.Ctx) error {
	if state(c).user != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	tok, err := formToken(c)
	if err != nil {
		return err
	}
	return render(c, 200, ui.LoginPage(s.brand(c), s.staticV, htmxConfig, ui.Field{Name: "email"}, "", tok, safeNext(c.Query("next"))))
}

// loginForm is POST /login: the form without JavaScript, or htmx swapping it.
func (s *Server) loginForm(c *fiber.Ctx) error {
	email, next := c.FormValue("email"), safeNext(c.FormValue("next"))
	_, _, err := s.login(c, email, c.FormValue("password"))
	if err == nil {
		return redirect(c, next)
	}
	he, known := asHTTPError(err)
	if !known {
		return err
	}
	if he.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(he.RetryAfter))
	}
	tok, terr := formToken(c)
	if terr != nil {
		return terr
	}
	// An address refused before any lookup (too long, on several lines) is
	// shown next to the field, and not echoed back into the form.
	emailField, msg := ui.Field{Name: "email", Value: email}, he.Message
	if m := he.Fields["email"]; m != "" {
		emailField.Value, emailField.Error, msg = "", m, ""
	}
	return view(c, he.Status, ui.LoginForm(emailField, msg, tok, next),
		func() templ.Component {
			return ui.LoginPage(s.brand(c), s.staticV, htmxConfig, emailField, msg, tok, next)
		})
}

// logoutForm is POST /logout from the user menu.
func (s *Server) logoutForm(c *fiber.Ctx) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// invitePage is GET /invite/TOKEN: choose a name and password.
func (s *Server) invitePage(c *fiber.Ctx) error {
	u, err := invitations.Peek(c.UserContext(), state(c).db, c.Params("token"))
	if errors.Is(err, invitations.ErrGone) {
		return s.invitationGone(c, c.Params("token"))
	}
	if err != nil {
		return err
	}
	tok, err := formToken(c)
	if err != nil {
		return err
	}
	return render(c, 200, ui.SetPasswordPage(s.brand(c), s.staticV, htmxConfig, c.Path(), u.Email,
		ui.Field{Name: "name", Value: u.Name}, ui.Field{Name: "password"}, "", tok))
}

// inviteForm is POST /invite/TOKEN: set name and password, use the link, sign in.
func (s *Server) inviteForm(c *fiber.Ctx) error {
	st := state(c)
	secret := c.Params("token")
	name := strings.TrimSpace(c.FormValue("name"))
	u, err := invitations.Accept(c.UserContext(), st.db, s.Auth.Hasher, secret, name, c.FormValue("password"), s.who(c))
	if errors.Is(err, invitations.ErrGone) {
		return s.invitationGone(c, secret)
	}
	var ve valid.Errors
	if errors.As(err, &ve) {
		invitee, perr := invitations.Peek(c.UserContext(), st.db, secret)
		if perr != nil {
			return invitationError(perr)
		}
		tok, terr := formToken(c)
		if terr != nil {
			return terr
		}
		nameField := ui.Field{Name: "name", Value: name, Error: ve["name"]}
		pwField := ui.Field{Name: "password", Error: ve["password"]}
		return view(c, 400, ui.SetPasswordForm(c.Path(), invitee.Email, nameField, pwField, "", tok), func() templ.Component {
			return ui.SetPasswordPage(s.brand(c), s.staticV, htmxConfig, c.Path(), invitee.Email, nameField, pwField, "", tok)
		})
	}
	if err != nil {
		return err
	}
	if _, err := s.startSession(c, u, "signed in after accepting the invitation"); err != nil {
		return err
	}
	return redirect(c, "/")
}
