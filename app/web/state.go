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
)

// reqState is what the middleware learned about a request.
type reqState struct {
	tenant  *tenant.Tenant
	db      *store.Scoped // bound to tenant
	session *auth.Session
	user    *people.User
	actor   policy.Actor
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

// who is the acting user and address of a request, for the audit log.
func (s *Server) who(c *fiber.Ctx) audit.Who {
	w := audit.Who{Address: c.IP()}
	if u := state(c).user; u != nil {
		w.ActorID = u.ID
	}
	return w
}
