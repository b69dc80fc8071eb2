package mail

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// linkRE finds the links of a message's text: the ones Atrium puts there
// are absolute http(s) URLs on the tenant's primary host.
var linkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// Links returns the links in a message's text, in order.
func Links(text string) []string {
	return linkRE.FindAllString(text, -1)
}

// RecentLimit is how many messages Settings → Email lists.
const RecentLimit = 20

// Recent is one message as Settings → Email lists it under the log transport.
type Recent struct {
	ID          int64
	To          string
	Subject     string
	Kind        Kind
	Status      Status
	DeliveredBy string
	Error       string
	CreatedAt   time.Time
	SentAt      *time.Time
	// Links are the message's links, only once the log transport wrote it:
	// a message a real server delivered keeps its links to its recipient.
	Links []string
}

// RecentMessages returns the tenant's last RecentLimit messages, newest
// first, for an actor who may manage the tenant's email
// (policy.ManageEmail); anyone else gets none. db scopes them to the tenant.
func RecentMessages(ctx context.Context, db *store.Scoped, a policy.Actor) ([]Recent, error) {
	if !policy.Allows(a, policy.Settings{}, policy.ManageEmail) {
		return nil, nil
	}
	var ms []Message
	if err := db.Select(&ms).OrderExpr("ob.id DESC").Limit(RecentLimit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("mail: recent messages: %w", err)
	}
	out := make([]Recent, 0, len(ms))
	for _, m := range ms {
		r := Recent{ID: m.ID, To: m.ToAddress, Subject: m.Subject, Kind: m.Kind, Status: m.Status, DeliveredBy: m.DeliveredBy,
			Error: m.LastError, CreatedAt: m.CreatedAt, SentAt: m.SentAt}
		if m.Status == Sent && m.DeliveredBy == ByLog {
			r.Links = Links(m.TextBody)
		}
		out = append(out, r)
	}
	return out, nil
}

// StateLabel is a message's delivery state in words: "Written to the log"
// when the log transport took it, not "Sent".
func StateLabel(s Status, deliveredBy string) string {
	switch s {
	case Queued:
		return "Queued"
	case Sending:
		return "Sending"
	case Sent:
		if deliveredBy == ByLog {
			return "Written to the log"
		}
		return "Sent"
	case Failed:
		return "Failed"
	case Cancelled:
		return "Cancelled"
	}
	return string(s)
}

// KindLabel is what a message is for, in words.
func KindLabel(k Kind) string {
	switch k {
	case KindInvite:
		return "Invitation"
	case KindReset:
		return "Password reset"
	case KindTest:
		return "Test email"
	}
	return string(k)
}
