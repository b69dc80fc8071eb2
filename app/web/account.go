package web

import (
	"errors"
	"strconv"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// passwordPage is GET /account/password.
func (s *Server) passwordPage(c *fiber.Ctx) error {
	return render(c, 200, ui.PasswordPage(s.frame(c, "Change password", ""), ui.Field{Name: "current_password"}, ui.Field{Name: "new_password"}, c.Query("done") == "1"))
}

// passwordSubmit is POST /account/password: the current password, then the
// new one, for the principal (the signed-in user); every other session of
// theirs ends, this one stays.
func (s *Server) passwordSubmit(c *fiber.Ctx) error {
	st := state(c)
	cur, next := ui.Field{Name: "current_password"}, ui.Field{Name: "new_password"}
	err := s.Auth.ChangePassword(c.UserContext(), st.db, st.principalUser.ID, st.session.ID,
		c.FormValue("current_password"), c.FormValue("new_password"), s.principalWho(c))
	if err == nil {
		return redirect(c, "/account/password?done=1")
	}
	status := 400
	var ve valid.Errors
	switch he, known := asHTTPError(err); {
	case errors.As(err, &ve):
		cur.Error, next.Error = ve["current_password"], ve["new_password"]
	case known && he.RetryAfter > 0:
		// Too many wrong guesses (429), or the server too busy to check
		// (503): the message goes next to the field, the wait into Retry-After.
		status, cur.Error = he.Status, he.Message
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(he.RetryAfter))
	default:
		return err
	}
	return view(c, status, ui.PasswordForm(cur, next, false, st.session.CSRFToken),
		func() templ.Component { return ui.PasswordPage(s.frame(c, "Change password", ""), cur, next, false) })
}
