package tickets

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/ui"
)

// event is what happened to a ticket that its people are emailed about.
type event struct {
	opened    bool
	note      *Note
	oldStatus Status
}

// maxEmailNote bounds how much of a note an email quotes; the link leads
// to the rest.
const maxEmailNote = 4000

// notify queues, in the change's transaction, one email to each of ticket
// t's contact, watchers and assignee — not the actor, nobody who turned
// these emails off or is not active — who may read what happened: they see
// the ticket, and the note's type or the status field. Each message is
// built from the recipient's own view of the ticket, so it holds nothing
// they could not see on the page.
func notify(ctx context.Context, tx *store.Scoped, by By, cfg *Config, t *Ticket, watchers []int64, ev event) error {
	if by.Mail == nil {
		return nil
	}
	var ids []int64
	for _, id := range append([]*int64{t.ContactID, t.AssigneeID}, ptrs(watchers)...) {
		if id != nil && *id != by.Actor.UserID && !slices.Contains(ids, *id) {
			ids = append(ids, *id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var author string
	if ev.note != nil && ev.note.AuthorID != nil {
		n, err := loadNames(ctx, tx, nil, *ev.note.AuthorID)
		if err != nil {
			return err
		}
		author = n.user(ev.note.AuthorID).Name
	}
	ns, err := loadNames(ctx, tx, []Ticket{*t})
	if err != nil {
		return err
	}
	for _, id := range ids {
		u, err := people.UserByID(ctx, tx, id)
		if errors.Is(err, people.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if u.Status != people.Active || !u.TicketEmails {
			continue
		}
		ra := u.Actor()
		facts := t.facts(watchers)
		if !policy.CanSeeTicket(ra, cfg.Rules, facts) {
			continue
		}
		if ev.note != nil && !policy.CanReadNote(ra, cfg.Rules, ev.note.NoteTypeID) {
			continue
		}
		if ev.oldStatus != "" && policy.FieldAccess(ra, cfg.Rules, policy.FieldStatus) == policy.Hidden {
			continue
		}
		v := viewFor(ra, cfg, t, nil, watchers, ns)
		l := letter(by.Mail, ra, cfg, &v, ev, author)
		m, err := mail.Build(by.Mail.Tenant, by.Mail.Base, by.Mail.LogoETag, mail.KindTicket, u.Email, l)
		if err != nil {
			return err
		}
		if err := mail.Enqueue(ctx, tx, m); err != nil {
			return fmt.Errorf("tickets: email about #%d: %w", t.Number, err)
		}
	}
	return nil
}

func ptrs(ids []int64) []*int64 {
	out := make([]*int64, len(ids))
	for i := range ids {
		out[i] = &ids[i]
	}
	return out
}

// letter is the email about ev to reader ra, from their view v: the
// tickets module under the name the reader knows it by ("Support"), and a
// link to the ticket on the tenant's primary host.
func letter(m *Mail, ra policy.Actor, cfg *Config, v *View, ev event, author string) mail.Letter {
	module := mail.OneLine(policy.Label(ra, policy.PageTickets))
	ref := module + " #" + strconv.FormatInt(v.Number, 10)
	title := mail.OneLine(v.Title)
	body := ui.EmailBody{
		ButtonLabel: "Open " + ref,
		ButtonURL:   m.Base + "/tickets/" + strconv.FormatInt(v.ID, 10),
		Footnote:    "You get this email as the contact, a watcher or the assignee of this ticket. You can turn these emails off at " + m.Base + "/account/notifications.",
	}
	var subject string
	switch {
	case ev.note != nil:
		kind := "note"
		if nt, ok := cfg.NoteType(ev.note.NoteTypeID); ok {
			kind = nt.Name + " note"
		}
		subject = ref + ": new " + kind + " — " + title
		body.Heading = "New " + kind + " on " + ref
		text := ev.note.Body
		if utf8.RuneCountInString(text) > maxEmailNote {
			text = string([]rune(text)[:maxEmailNote]) + "…"
		}
		who := author
		if who == "" {
			who = "Someone"
		}
		body.Paragraphs = []string{title, mail.OneLine(who) + " wrote:", text}
	case ev.opened:
		subject = ref + " was opened for you — " + title
		body.Heading = ref + " was opened for you"
		body.Paragraphs = []string{title, "You are its contact: updates will reach you by email."}
	default:
		subject = ref + " is now " + v.Status.Label() + " — " + title
		body.Heading = ref + " is now " + v.Status.Label()
		body.Paragraphs = []string{title, "Its status changed from " + ev.oldStatus.Label() + " to " + v.Status.Label() + "."}
	}
	return mail.Letter{Subject: subject, Body: body}
}
