package web

import (
	"context"
	"errors"
	"strconv"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// passwordPage is GET /account/password.
func (s *Server) passwordPage(c *fiber.Ctx) error {
	return render(c, 200, ui.PasswordPage(s.frame(c, "Change password", ""), ui.Field{Name: "current_password"}, ui.Field{Name: "new_password"}, c.Query("done") == "1"))
}

// passwordSubmit is POST /account/password: the current password, then the
// new one; every other session of the user ends, this one stays.
func (s *Server) passwordSubmit(c *fiber.Ctx) error {
	st := state(c)
	cur, next := ui.Field{Name: "current_password"}, ui.Field{Name: "new_password"}
	status := 400
	ok, err := s.Auth.CheckCurrentPassword(c.UserContext(), st.db, st.user, c.FormValue("current_password"))
	switch he, _ := asHTTPError(err); {
	case err == nil && !ok:
		cur.Error = "This is not your current password."
	case err == nil:
	case he.RetryAfter > 0:
		// Too many wrong guesses (429), or the server too busy to check
		// (503): the message goes next to the field, the wait into Retry-After.
		status, cur.Error = he.Status, he.Message
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(he.RetryAfter))
	default:
		return err
	}
	var ve valid.Errors
	if errors.As(auth.CheckNewPassword(c.FormValue("new_password")), &ve) {
		next.Error = ve["password"]
	}
	if cur.Error != "" || next.Error != "" {
		return view(c, status, ui.PasswordForm(cur, next, false, st.session.CSRFToken),
			func() templ.Component { return ui.PasswordPage(s.frame(c, "Change password", ""), cur, next, false) })
	}
	hash, err := s.Auth.Hasher.Hash(c.UserContext(), c.FormValue("new_password"))
	if err != nil {
		return err
	}
	err = st.db.Tx(c.UserContext(), func(ctx context.Context, tx *store.Scoped) error {
		if err := people.SetPassword(ctx, tx, st.user.ID, hash, ""); err != nil {
			return err
		}
		if err := auth.RevokeUser(ctx, tx, st.user.ID, st.session.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.who(c), audit.PasswordChange, "user", st.user.ID, "changed their password")
	})
	if err != nil {
		return err
	}
	return redirect(c, "/account/password?done=1")
}
