package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/plan"
	"github.com/atrium-portal/atrium/app/valid"
)

// apiPlan is GET /api/v1/plan?company_id=ID: that company's plan, its
// goals and its initiatives; without company_id, the first company the
// caller sees. A company outside the caller's scope is 404.
func (s *Server) apiPlan(c *fiber.Ctx) error {
	st := state(c)
	var id int64
	if v := c.Query("company_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return valid.Errors{"company_id": "Choose a company from the list."}
		}
		id = n
	} else {
		cs, err := plan.Companies(c.UserContext(), st.db, st.actor)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			return errNotFound
		}
		id = cs[0].ID
	}
	p, err := plan.List(c.UserContext(), st.db, st.actor, id)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// apiPlanItem is GET /api/v1/plan/items/ID; 404 outside the caller's scope.
func (s *Server) apiPlanItem(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	it, err := plan.Get(c.UserContext(), state(c).db, state(c).actor, id)
	if err != nil {
		return err
	}
	return c.JSON(it)
}

// apiCreatePlanItem is POST /api/v1/plan/items: 201 with the item.
func (s *Server) apiCreatePlanItem(c *fiber.Ctx) error {
	var in plan.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	it, err := plan.Create(c.UserContext(), state(c).db, s.planBy(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(it)
}

// apiUpdatePlanItem is PATCH /api/v1/plan/items/ID: members change any
// field, external editors the status alone (another field is 403).
func (s *Server) apiUpdatePlanItem(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var in plan.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	it, err := plan.Update(c.UserContext(), state(c).db, s.planBy(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(it)
}

// apiDeletePlanItem is DELETE /api/v1/plan/items/ID: 204.
func (s *Server) apiDeletePlanItem(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := plan.Delete(c.UserContext(), state(c).db, s.planBy(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// planCommentBody is what POST /api/v1/plan/items/ID/comments takes.
type planCommentBody struct {
	Body string `json:"body"`
}

// apiAddPlanComment is POST /api/v1/plan/items/ID/comments: 201 with the comment.
func (s *Server) apiAddPlanComment(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var in planCommentBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cm, err := plan.AddComment(c.UserContext(), state(c).db, s.planBy(c), id, in.Body)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(cm)
}
