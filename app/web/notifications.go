package web

import (
	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/ui"
)

// notificationsPage is GET /account/notifications: the signed-in user's
// choice of ticket emails.
func (s *Server) notificationsPage(c *fiber.Ctx) error {
	st := state(c)
	return render(c, 200, ui.NotificationsPage(s.frame(c, "Email notifications", ""), st.principalUser.TicketEmails, false))
}

// notificationsSubmit is POST /account/notifications: ticket_emails=on
// turns the emails on, its absence (an unticked box) off.
func (s *Server) notificationsSubmit(c *fiber.Ctx) error {
	st := state(c)
	on := c.FormValue("ticket_emails") == "on"
	if err := people.SetTicketEmails(c.UserContext(), st.db, s.principalWho(c), st.principalUser.ID, on); err != nil {
		return err
	}
	return view(c, 200, ui.NotificationsForm(on, true, st.session.CSRFToken), func() templ.Component {
		return ui.NotificationsPage(s.frame(c, "Email notifications", ""), on, true)
	})
}
