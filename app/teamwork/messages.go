package teamwork

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// MessageView is a team message as its reader sees it. Body is the
// markdown source; pages render it sanitised.
type MessageView struct {
	ID     int64   `json:"id"`
	Team   Ref     `json:"team"`
	Title  string  `json:"title"`
	Body   string  `json:"body"`
	Author *Person `json:"author"`
	// CascadedFrom is the message this one is a cascaded copy of; the
	// original's team is named only for readers who see that team.
	CascadedFrom *int64    `json:"cascaded_from,omitempty"`
	FromTeam     *Ref      `json:"from_team,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	CanEdit      bool      `json:"-"`
}

// MessageInput is a new message: its team, and for a cascade the other
// teams that get a copy (members only).
type MessageInput struct {
	TeamID         int64   `json:"team_id"`
	Title          *string `json:"title"`
	Body           *string `json:"body"`
	CascadeTeamIDs []int64 `json:"cascade_team_ids,omitempty"`
}

// MessageSorts: newest first.
var MessageSorts = store.Sorts{{Name: "-created", Label: "Newest first", ID: "msg.id", Desc: true}}

func (m *Message) facts() policy.TeamWorkFacts {
	return policy.TeamWorkFacts{Teams: []int64{m.TeamID}, OwnerID: deref(m.AuthorID)}
}

// Messages returns one page of the messages of team teamID (0: every team
// in scope) that a may see, newest first.
func Messages(ctx context.Context, db *store.Scoped, a policy.Actor, teamID int64, p store.Page) ([]MessageView, string, error) {
	q := scoped(db, (*Message)(nil), policy.TeamWork(a), messagesTable)
	if teamID != 0 {
		q = inTeam(q, messagesTable, db.TenantID(), teamID)
	}
	var rows []Message
	next, err := pageOf(ctx, q, &rows, MessageSorts[0], "messages", p, func(m Message) (string, int64) { return "", m.ID })
	if err != nil {
		return nil, "", err
	}
	views, err := messageViews(ctx, db, a, rows)
	return views, next, err
}

// GetMessage loads message id as a sees it, else ErrNotFound.
func GetMessage(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*MessageView, error) {
	row, err := loadMessage(ctx, db, a, id)
	return viewOne(row, err, func(rs []Message) ([]MessageView, error) { return messageViews(ctx, db, a, rs) })
}

func loadMessage(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Message, error) {
	return loadOne[Message](ctx, db, a, messagesTable, id)
}

func messageViews(ctx context.Context, db *store.Scoped, a policy.Actor, rows []Message) ([]MessageView, error) {
	users, teams, origins := []int64{}, []int64{}, []int64{}
	for _, m := range rows {
		users, teams = append(users, deref(m.AuthorID)), append(teams, m.TeamID)
		if m.CascadedFrom != nil {
			origins = append(origins, *m.CascadedFrom)
		}
	}
	// The team each cascaded copy came from, when the reader sees it.
	from := map[int64]int64{}
	if len(origins) > 0 {
		var orig []Message
		if err := scoped(db, &orig, policy.TeamWork(a), messagesTable).Column("msg.id", "msg.team_id").Where("msg.id IN (?)", bun.In(uniq(origins))).Scan(ctx); err != nil {
			return nil, fmt.Errorf("teamwork: cascaded messages: %w", err)
		}
		for _, o := range orig {
			from[o.ID] = o.TeamID
			teams = append(teams, o.TeamID)
		}
	}
	n, err := loadNames(ctx, db, users, teams)
	if err != nil {
		return nil, err
	}
	out := make([]MessageView, 0, len(rows))
	for _, m := range rows {
		v := MessageView{ID: m.ID, Team: n.team(m.TeamID), Title: m.Title, Body: m.Body, Author: n.user(m.AuthorID),
			CascadedFrom: m.CascadedFrom, CreatedAt: m.CreatedAt, CanEdit: policy.CanEditTeamWork(a, m.facts())}
		if m.CascadedFrom != nil {
			if t, ok := from[*m.CascadedFrom]; ok {
				r := n.team(t)
				v.FromTeam = &r
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// PostMessage posts a message to team in.TeamID and a copy to each of
// in.CascadeTeamIDs (members only: ErrForbidden for anyone else), in one
// transaction, and returns the original.
func PostMessage(ctx context.Context, db *store.Scoped, by By, in MessageInput) (*MessageView, error) {
	if err := canAddTo(by.Actor, in.TeamID); err != nil {
		return nil, err
	}
	cascade := slices.DeleteFunc(uniq(in.CascadeTeamIDs), func(t int64) bool { return t == in.TeamID })
	if len(cascade) > 0 && !policy.Allows(by.Actor, policy.Settings{}, policy.CascadeMessages) {
		return nil, ErrForbidden
	}
	errs := valid.Errors{}
	m := &Message{TeamID: in.TeamID, AuthorID: nonZero(by.Actor.UserID), CreatedAt: time.Now().UTC()}
	if in.Title == nil {
		errs.Add("title", "Give the message a title.")
	}
	line(errs, "title", in.Title, &m.Title, MaxTitle, "Give the message a title.")
	text(errs, "body", in.Body, &m.Body, MaxText)
	if len(cascade) > MaxShares {
		errs.Add("cascade_team_ids", fmt.Sprintf("At most %d teams.", MaxShares))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		msg, err := checkTeams(ctx, tx, by.Actor, cascade)
		if err != nil {
			return err
		}
		if msg != "" || (len(cascade) > 0 && !policy.CanCascade(by.Actor, cascade)) {
			return valid.Errors{"cascade_team_ids": "Choose teams from the list."}
		}
		if _, err := tx.Insert(m).Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: post message: %w", err)
		}
		for _, t := range cascade {
			c := *m
			c.ID, c.TeamID, c.CascadedFrom = 0, t, &m.ID
			if _, err := tx.Insert(&c).Exec(ctx); err != nil {
				return fmt.Errorf("teamwork: cascade message to team %d: %w", t, err)
			}
		}
		summary := "Posted " + m.Title
		if len(cascade) > 0 {
			summary += fmt.Sprintf(", cascaded to %d teams", len(cascade))
		}
		return audit.Record(ctx, tx, by.Who, audit.MessageChange, "message", m.ID, summary)
	})
	if err != nil {
		return nil, err
	}
	return GetMessage(ctx, db, by.Actor, m.ID)
}

// DeleteMessage removes message id (its cascaded copies stay: each team
// keeps what it was told).
func DeleteMessage(ctx context.Context, db *store.Scoped, by By, id int64) error {
	return deleteOne(ctx, db, by, messagesTable, id, audit.MessageChange, plainFacts[*Message], func(x *Message) string { return x.Title })
}
