package mail

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// Letter is what a message says, before it becomes text and HTML.
type Letter struct {
	Subject string
	Body    ui.EmailBody
}

// Build renders a letter as a branded outbox message to one address. base
// is the tenant's root URL (its primary host), logoETag the version of its
// logo ("" when it has none).
func Build(t *tenant.Tenant, base, logoETag string, kind Kind, to string, l Letter) (*Message, error) {
	if valid.HasControl(to) {
		return nil, fmt.Errorf("mail: build %s: the address has a line break", kind)
	}
	l.Subject = OneLine(l.Subject)
	b := ui.EmailBrand{AppName: OneLine(t.AppName), PrimaryColor: t.PrimaryColor, TextOnBrand: tenant.TextOn(t.PrimaryColor)}
	if logoETag != "" {
		b.LogoURL = base + "/brand/logo?v=" + logoETag
	}
	var html bytes.Buffer
	if err := ui.Email(b, l.Body).Render(context.Background(), &html); err != nil {
		return nil, fmt.Errorf("mail: render %s: %w", kind, err)
	}
	var text strings.Builder
	fmt.Fprintf(&text, "%s\n\n", l.Body.Heading)
	for _, p := range l.Body.Paragraphs {
		fmt.Fprintf(&text, "%s\n\n", p)
	}
	if l.Body.ButtonURL != "" {
		fmt.Fprintf(&text, "%s: %s\n\n", l.Body.ButtonLabel, l.Body.ButtonURL)
	}
	if l.Body.Footnote != "" {
		fmt.Fprintf(&text, "%s\n\n", l.Body.Footnote)
	}
	fmt.Fprintf(&text, "-- \n%s\n", OneLine(t.AppName))
	return &Message{Kind: kind, ToAddress: to, Subject: l.Subject, TextBody: text.String(), HTMLBody: html.String()}, nil
}

// OneLine replaces line breaks and other control characters with spaces.
// Names that reach a header, a subject or a line of an email go through it,
// whatever was checked when they were saved.
func OneLine(s string) string {
	if !valid.HasControl(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if valid.HasControl(string(r)) {
			return ' '
		}
		return r
	}, s)
}

// InvitationLetter invites someone to the tenant's portal.
func InvitationLetter(t *tenant.Tenant, inviter, link string) Letter {
	app := OneLine(t.AppName)
	invited := "You have been invited to " + app + "."
	if inviter != "" {
		invited = OneLine(inviter) + " has invited you to " + app + "."
	}
	return Letter{
		Subject: "You are invited to " + app,
		Body: ui.EmailBody{
			Heading:     "Join " + app,
			Paragraphs:  []string{invited + " Choose your name and a password to get started."},
			ButtonLabel: "Accept the invitation",
			ButtonURL:   link,
			Footnote:    "The link works once and expires in 7 days. If you did not expect this invitation, ignore this email.",
		},
	}
}

// ResetLetter carries a password reset link.
func ResetLetter(t *tenant.Tenant, link string) Letter {
	app := OneLine(t.AppName)
	return Letter{
		Subject: "Reset your " + app + " password",
		Body: ui.EmailBody{
			Heading:     "Reset your password",
			Paragraphs:  []string{"Someone asked to reset the password of your " + app + " account. If it was you, choose a new password."},
			ButtonLabel: "Choose a new password",
			ButtonURL:   link,
			Footnote:    "The link works once and expires in 1 hour. If you did not ask for it, ignore this email: your password stays as it is.",
		},
	}
}

// TestLetter checks a tenant's email settings.
func TestLetter(t *tenant.Tenant) Letter {
	app := OneLine(t.AppName)
	return Letter{
		Subject: "Test email from " + app,
		Body: ui.EmailBody{
			Heading:    "Your email settings work",
			Paragraphs: []string{"This test message was sent from " + app + ". Invitations and password resets will arrive the same way."},
		},
	}
}
