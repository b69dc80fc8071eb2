package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
)

// previewJSON is the preview field of GET /api/v1/me (SPEC §12).
type previewJSON struct {
	UserID   int64 `json:"user_id"`
	ByUserID int64 `json:"by_user_id"`
	ReadOnly bool  `json:"read_only"`
}

// previewOf is the request's preview for /api/v1/me, nil when none.
func previewOf(st *reqState) *previewJSON {
	if !st.previewing() || st.user == nil || st.principalUser == nil {
		return nil
	}
	return &previewJSON{UserID: st.user.ID, ByUserID: st.principalUser.ID, ReadOnly: st.previewReadOnly}
}

type previewRequest struct {
	UserID int64 `json:"user_id"`
}

// startPreview starts the session's preview as user id, returning to
// returnPath at the end. Another tenant's user, and an unknown one, is a
// 404; a user the principal may not preview, a 403 that says why.
func (s *Server) startPreview(c *fiber.Ctx, id int64, returnPath string) (*people.User, error) {
	st := state(c)
	if st.session == nil {
		return nil, errForbidden // an API token never previews
	}
	u, err := people.UserByID(c.UserContext(), st.db, id)
	if errors.Is(err, people.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	t := previewTarget(u)
	if !policy.CanPreview(st.principal, t) {
		return nil, previewRefusal(st.principal, u, t)
	}
	err = auth.StartPreview(c.UserContext(), st.db, st.session, u.ID, u.DisplayName(), returnPath, s.Auth.Sessions.Clock(), s.principalWho(c))
	if errors.Is(err, auth.ErrAlreadyPreviewing) {
		return nil, errNestedPreview
	}
	return u, err
}

// previewRefusal says in words why the policy refused principal a a
// preview as u (policy.WhyNoPreview).
func previewRefusal(a policy.Actor, u *people.User, t policy.PreviewTarget) error {
	msg := "You can't preview " + u.DisplayName() + "."
	switch policy.WhyNoPreview(a, t) {
	case policy.PreviewSelf:
		msg = "This is you: there is nothing to preview."
	case policy.PreviewInactive:
		msg = u.DisplayName() + " is not active, so has no portal to preview."
	case policy.PreviewSuperAdmin:
		msg = "Nobody previews a super admin."
	case policy.PreviewMoreRights:
		msg = u.DisplayName() + " holds a capability you don't have, so you can't preview them."
	}
	return &httpError{Status: fiber.StatusForbidden, Code: "forbidden", Message: msg}
}

// previewForm is POST /users/:id/preview: start a preview and open the
// user's home; the form's "return" field is where Exit preview comes back to.
func (s *Server) previewForm(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if _, err := s.startPreview(c, id, safeNext(c.FormValue("return"))); err != nil {
		return err
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

// apiStartPreview is POST /api/v1/previews.
func (s *Server) apiStartPreview(c *fiber.Ctx) error {
	var req previewRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.UserID <= 0 {
		return errNotFound
	}
	u, err := s.startPreview(c, req.UserID, "/")
	if err != nil {
		return err
	}
	st := state(c)
	return c.Status(fiber.StatusCreated).JSON(previewJSON{UserID: u.ID, ByUserID: st.principalUser.ID, ReadOnly: policy.PreviewReadOnly(previewTarget(u))})
}

// endPreview ends the session's preview, if any, and returns the path it
// started from.
func (s *Server) endPreview(c *fiber.Ctx) (string, error) {
	st := state(c)
	if st.session == nil || !st.session.Previewing() {
		return "/", nil
	}
	ret, err := auth.EndPreview(c.UserContext(), st.db, st.session, auth.PreviewEndExit, s.principalWho(c))
	return safeNext(ret), err
}

// previewExitForm is POST /preview/exit: back to the admin's own view, on
// the page they started the preview from.
func (s *Server) previewExitForm(c *fiber.Ctx) error {
	ret, err := s.endPreview(c)
	if err != nil {
		return err
	}
	return c.Redirect(ret, fiber.StatusSeeOther)
}

// apiEndPreview is DELETE /api/v1/previews/current.
func (s *Server) apiEndPreview(c *fiber.Ctx) error {
	if _, err := s.endPreview(c); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// mayPreview reports whether the request's signed-in user, in their own
// view and in a session, may start a preview as user id: the "Preview as"
// button shows exactly when the route would accept it.
func (s *Server) mayPreview(c *fiber.Ctx, id int64) bool {
	st := state(c)
	if st.session == nil || st.previewing() || !policy.Allows(st.principal, settingsOf(st.tenant), policy.StartPreview) {
		return false
	}
	u, err := people.UserByID(c.UserContext(), st.db, id)
	return err == nil && policy.CanPreview(st.principal, previewTarget(u))
}
