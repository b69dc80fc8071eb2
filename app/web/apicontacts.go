package web

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/contacts"
	"github.com/atrium-portal/atrium/app/valid"
)

// contactsBy is who changes a contact in this request.
func (s *Server) contactsBy(c *fiber.Ctx) contacts.By {
	return contacts.By{Actor: state(c).actor, Who: s.who(c)}
}

// contactQuery reads the contacts list's filters and sort from the query:
// company_id (an ID), q (a search in name and email) and sort.
func contactQuery(c *fiber.Ctx) (contacts.Query, error) {
	q := contacts.Query{Q: c.Query("q"), Sort: c.Query("sort")}
	if v := c.Query("company_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return q, valid.Errors{"company_id": "Choose a company from the list."}
		}
		q.CompanyID = id
	}
	return q, nil
}

// apiContacts is GET /api/v1/contacts: one page of the contacts the caller
// may see (members every company's, external users their companies'),
// filtered by company_id and q, in a sort of contacts.Sorts.
func (s *Server) apiContacts(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	q, err := contactQuery(c)
	if err != nil {
		return err
	}
	cs, next, err := contacts.List(c.UserContext(), state(c).db, state(c).actor, q, p)
	if err != nil {
		return err
	}
	return listJSON(c, cs, next)
}

// apiContact is GET /api/v1/contacts/ID; 404 outside the caller's scope.
func (s *Server) apiContact(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	v, err := contacts.Get(c.UserContext(), state(c).db, state(c).actor, id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// apiCreateContact is POST /api/v1/contacts: 201 with the contact.
func (s *Server) apiCreateContact(c *fiber.Ctx) error {
	var in contacts.ContactInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := contacts.Create(c.UserContext(), state(c).db, s.contactsBy(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// apiUpdateContact is PATCH /api/v1/contacts/ID: the fields sent change.
func (s *Server) apiUpdateContact(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var in contacts.ContactInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := contacts.Update(c.UserContext(), state(c).db, s.contactsBy(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// apiDeleteContact is DELETE /api/v1/contacts/ID: 204.
func (s *Server) apiDeleteContact(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := contacts.Delete(c.UserContext(), state(c).db, s.contactsBy(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// apiUpsertContact is PUT /api/v1/contacts/by-external-id/EXTERNAL_ID, a
// PSA's sync: 201 when it created the contact, 200 when it existed (and
// the same body sent again changes nothing).
func (s *Server) apiUpsertContact(c *fiber.Ctx) error {
	ext, err := url.PathUnescape(c.Params("external_id"))
	if err != nil {
		return errNotFound
	}
	var in contacts.ContactInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, created, err := contacts.Upsert(c.UserContext(), state(c).db, s.contactsBy(c), ext, in)
	if err != nil {
		return err
	}
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(v)
}
