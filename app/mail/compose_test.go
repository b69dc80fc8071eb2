package mail_test

import (
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/tenant"
)

// headers returns the header lines of a raw message.
func headers(raw []byte) []string {
	head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
	return strings.Split(head, "\r\n")
}

// TestLineBreaksNeverReachHeaders: a tenant saved before names were checked
// (or written by hand) still cannot add a header or a line to an email.
func TestLineBreaksNeverReachHeaders(t *testing.T) {
	tn := &tenant.Tenant{AppName: "Acme\r\nBcc: victim@evil.example", MailFromName: "Desk\nBcc: victim@evil.example",
		MailFromAddress: "desk@acme.example", PrimaryColor: "#0F766E", Hosts: []tenant.Host{{Hostname: "acme.example", IsPrimary: true}}}
	m, err := mail.Build(tn, "https://acme.example", "", mail.KindInvite, "erin@globex.example",
		mail.InvitationLetter(tn, "Ada\r\nX-Evil: 1", "https://acme.example/invite/T"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(m.Subject, "\r\n") || strings.Contains(m.TextBody, "\nBcc:") || strings.Contains(m.TextBody, "\nX-Evil") {
		t.Errorf("line break kept: subject %q\n%s", m.Subject, m.TextBody)
	}
	raw, err := mail.Compose(mail.Envelope{From: mail.Sender(tn, config.SMTP{}), To: m.ToAddress, Subject: "Hi\r\nBcc: victim@evil.example", Text: m.TextBody, HTML: m.HTMLBody}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers(raw) {
		if strings.HasPrefix(h, "Bcc:") || strings.HasPrefix(h, "X-Evil") {
			t.Errorf("injected header %q", h)
		}
	}
	if _, err := mail.Compose(mail.Envelope{From: mail.Sender(tn, config.SMTP{}), To: "erin@globex.example\r\nBcc: victim@evil.example"}, time.Now()); err == nil {
		t.Error("a recipient with a line break was composed")
	}
	if _, err := mail.Build(tn, "https://acme.example", "", mail.KindTest, "a@b.example\nBcc: c@d.example", mail.TestLetter(tn)); err == nil {
		t.Error("a message to an address with a line break was built")
	}
}
