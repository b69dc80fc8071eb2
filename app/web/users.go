package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/useradmin"
)

// userDetailJSON is a user as the users API shows them: the same fields
// PATCH takes, built from the user's filtered view (people.ViewFor), so a
// deactivated user's email and status are absent for everyone but those
// who manage users, and the administrative fields are absent for everyone
// but those who manage users and the user themselves.
type userDetailJSON struct {
	ID           int64               `json:"id"`
	Email        string              `json:"email,omitempty"`
	Name         string              `json:"name"`
	Kind         policy.Kind         `json:"kind"`
	Status       people.Status       `json:"status,omitempty"`
	Capabilities []policy.Capability `json:"capabilities"`
	CompanyIDs   []int64             `json:"company_ids"`
	TeamIDs      []int64             `json:"team_ids"`
	// UserAdminJSON is nil, and its fields absent, when the view withholds them.
	*UserAdminJSON
}

// UserAdminJSON are the administrative fields of a user in the users API
// (policy.SeesAdminFields). Embedded as a pointer, they are all present or
// all absent; manager_id is null when present and unset.
type UserAdminJSON struct {
	HiddenPages    []policy.Page          `json:"hidden_pages"`
	Modules        []people.ModuleSetting `json:"modules"`
	OwnTicketsOnly bool                   `json:"own_tickets_only"`
	TestUser       bool                   `json:"test_user"`
	ManagerID      *int64                 `json:"manager_id"`
}

func (s *Server) toUserDetail(c *fiber.Ctx, full *people.Listed) userDetailJSON {
	st := state(c)
	l := people.ViewFor(st.actor, settingsOf(st.tenant), *full)
	out := userDetailJSON{
		ID: l.ID, Email: l.Email, Name: l.Name, Kind: l.Kind, Status: l.Status, Capabilities: l.CapabilityList(),
		CompanyIDs: l.CompanyIDs, TeamIDs: l.TeamIDs,
	}
	if l.AdminHidden {
		return out
	}
	out.UserAdminJSON = &UserAdminJSON{HiddenPages: l.HiddenPages, Modules: []people.ModuleSetting{},
		OwnTicketsOnly: l.OwnTicketsOnly, TestUser: l.TestUser, ManagerID: l.ManagerID}
	if out.HiddenPages == nil {
		out.HiddenPages = []policy.Page{}
	}
	for _, m := range l.Modules {
		out.Modules = append(out.Modules, people.ModuleSetting{Key: m.Page, Show: m.Show, Label: m.Label})
	}
	return out
}

// apiUsers is GET /api/v1/users: one page of the users the caller may see.
// It takes the list's parameters (SPEC §12) and those of Settings → Users:
//
//   - q: text in the name, or in the address where the caller may see it;
//   - kind: member, guest, client, external_editor or external_viewer;
//   - status: invited, active or deactivated, for those who see statuses
//     (who manage users); anyone else asking is refused;
//   - sort: name (the default), -name, -created (newest first) or created;
//   - limit and cursor; a cursor is good only for the sort that handed it out.
//
// An invalid value is 400 with a message for its field.
func (s *Server) apiUsers(c *fiber.Ctx) error {
	st := state(c)
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	list, next, err := people.List(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), userQuery(c), p)
	if err != nil {
		return err
	}
	items := make([]userDetailJSON, 0, len(list))
	for i := range list {
		items = append(items, s.toUserDetail(c, &list[i]))
	}
	return listJSON(c, items, next)
}

// apiUser is GET /api/v1/users/ID; a user outside the caller's scope is 404.
func (s *Server) apiUser(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	l, err := people.Visible(c.UserContext(), state(c).db, state(c).actor, id)
	if errors.Is(err, people.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	return c.JSON(s.toUserDetail(c, l))
}

// applyUser runs a change through useradmin and maps its refusals.
func (s *Server) applyUser(c *fiber.Ctx, id int64, p useradmin.Patch) (*people.User, error) {
	st := state(c)
	u, err := useradmin.Apply(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), id, p, s.who(c))
	switch {
	case errors.Is(err, people.ErrNotFound):
		return nil, errNotFound
	case errors.Is(err, useradmin.ErrForbidden):
		return nil, &httpError{Status: 403, Code: "forbidden", Message: "You can't make this change to this user."}
	}
	return u, err
}

// apiPatchUser is PATCH /api/v1/users/ID (SPEC §12).
func (s *Server) apiPatchUser(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var p useradmin.Patch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	if _, err := s.applyUser(c, id, p); err != nil {
		return err
	}
	l, err := people.Visible(c.UserContext(), state(c).db, state(c).actor, id)
	if err != nil {
		return err
	}
	return c.JSON(s.toUserDetail(c, l))
}
