package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// transportName says in words what the tenant's mail goes through now.
func (s *Server) transportName(t *tenant.Tenant) string {
	switch {
	case t.SMTPHost != "":
		return "your SMTP server (" + t.SMTPHost + ")"
	case s.Config.SMTP.Host != "":
		return "the server's default SMTP (" + s.Config.SMTP.Host + ")"
	}
	return "the server log (no SMTP server is configured)"
}

func (s *Server) emailForm(c *fiber.Ctx, t *tenant.Tenant) ui.EmailForm {
	return ui.EmailForm{
		Host: ui.Field{Name: "smtp_host", Value: t.SMTPHost}, Port: ui.Field{Name: "smtp_port", Value: strconv.Itoa(t.SMTPPort)},
		Username: ui.Field{Name: "smtp_username", Value: t.SMTPUsername}, Password: ui.Field{Name: "smtp_password"},
		TLS: ui.Field{Name: "smtp_tls", Value: t.SMTPTLS}, FromName: ui.Field{Name: "mail_from_name", Value: t.MailFromName},
		FromAddress: ui.Field{Name: "mail_from_address", Value: t.MailFromAddress},
		HasPassword: t.SMTPPassword != "", Transport: s.transportName(t), CSRF: state(c).session.CSRFToken,
	}
}

// mailLog is the tenant's recent messages for Settings → Email, or nil when
// its mail goes through an SMTP server: links then reach only their
// recipients. mail.RecentMessages asks the policy and stays in the tenant.
func (s *Server) mailLog(c *fiber.Ctx) (*ui.MailLog, error) {
	st := state(c)
	if !mail.UsesLog(st.tenant, s.Config.SMTP) {
		return nil, nil
	}
	ms, err := mail.RecentMessages(c.UserContext(), st.db, st.actor)
	if err != nil {
		return nil, err
	}
	log := &ui.MailLog{Messages: make([]ui.MailRow, 0, len(ms))}
	for _, m := range ms {
		log.Messages = append(log.Messages, ui.MailRow{At: m.CreatedAt, To: m.To, Subject: m.Subject, Kind: mail.KindLabel(m.Kind),
			State: mail.StateLabel(m.Status, m.DeliveredBy), Error: m.Error, Links: m.Links})
	}
	return log, nil
}

// emailSettingsPage is the whole Settings → Email page.
func (s *Server) emailSettingsPage(c *fiber.Ctx, form ui.EmailForm, test *ui.TestMail) (templ.Component, error) {
	log, err := s.mailLog(c)
	if err != nil {
		return nil, err
	}
	return ui.EmailSettingsPage(s.emailFrame(c), form, test, log), nil
}

func (s *Server) emailFrame(c *fiber.Ctx) ui.Frame {
	f := s.frame(c, "Email", policy.PageSettings)
	f.Crumbs = []ui.Crumb{{Label: "Settings", Path: "/settings"}}
	return f
}

// emailPage is GET /settings/email.
func (s *Server) emailPage(c *fiber.Ctx) error {
	form := s.emailForm(c, state(c).tenant)
	form.Saved = c.Query("saved") == "1"
	page, err := s.emailSettingsPage(c, form, nil)
	if err != nil {
		return err
	}
	return render(c, 200, page)
}

// emailSave is POST /settings/email. An empty password keeps the stored
// one; tenant.UpdateEmail checks, saves and records the change.
func (s *Server) emailSave(c *fiber.Ctx) error {
	st := state(c)
	host, user, tls := strings.TrimSpace(c.FormValue("smtp_host")), c.FormValue("smtp_username"), c.FormValue("smtp_tls")
	fromName, fromAddr, pw := c.FormValue("mail_from_name"), c.FormValue("mail_from_address"), c.FormValue("smtp_password")
	edit := tenant.EmailEdit{Host: &host, Username: &user, TLS: &tls, FromName: &fromName, FromAddress: &fromAddr, Password: &pw}
	errs := valid.Errors{}
	port, err := strconv.Atoi(strings.TrimSpace(c.FormValue("smtp_port")))
	if err != nil {
		errs.Add("smtp_port", "Use a port from 1 to 65535.")
	} else {
		edit.Port = &port
	}
	if len(errs) == 0 {
		if _, err := s.Tenants.UpdateEmail(c.UserContext(), st.tenant.ID, s.who(c), edit); err != nil && !errors.As(err, &errs) {
			return err
		}
	}
	if len(errs) > 0 {
		form := s.emailForm(c, st.tenant)
		form.Host.Value, form.Port.Value, form.Username.Value, form.TLS.Value = host, c.FormValue("smtp_port"), user, tls
		form.FromName.Value, form.FromAddress.Value = fromName, fromAddr
		form.Host.Error, form.Port.Error, form.Username.Error, form.TLS.Error = errs["smtp_host"], errs["smtp_port"], errs["smtp_username"], errs["smtp_tls"]
		form.FromName.Error, form.FromAddress.Error, form.Password.Error = errs["mail_from_name"], errs["mail_from_address"], errs["smtp_password"]
		form.FormError = "Nothing was saved. Fix the fields marked below."
		return viewErr(c, 400, ui.EmailFormView(form),
			func() (templ.Component, error) { return s.emailSettingsPage(c, form, nil) })
	}
	return redirect(c, "/settings/email?saved=1")
}

// emailTest is POST /settings/email/test: a test message to the admin's own address.
func (s *Server) emailTest(c *fiber.Ctx) error {
	st := state(c)
	ic := s.inviteContext(c)
	m, err := mail.SendTest(c.UserContext(), st.db, st.tenant, ic.Base, ic.LogoETag, st.user.Email, s.who(c))
	if err != nil {
		return err
	}
	s.wakeMail()
	t := ui.TestMail{ID: m.ID, To: m.ToAddress, Status: string(m.Status)}
	return viewErr(c, 200, ui.TestMailStatus(t),
		func() (templ.Component, error) { return s.emailSettingsPage(c, s.emailForm(c, st.tenant), &t) })
}

// emailTestStatus is GET /settings/email/test/ID: the delivery state of a test email.
func (s *Server) emailTestStatus(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	m, err := mail.ByID(c.UserContext(), state(c).db, id)
	if err != nil || m.Kind != mail.KindTest {
		return errNotFound
	}
	t := ui.TestMail{ID: m.ID, To: m.ToAddress, Status: string(m.Status), Error: m.LastError,
		Logged: m.DeliveredBy == mail.ByLog}
	return viewErr(c, 200, ui.TestMailStatus(t),
		func() (templ.Component, error) {
			return s.emailSettingsPage(c, s.emailForm(c, state(c).tenant), &t)
		})
}
