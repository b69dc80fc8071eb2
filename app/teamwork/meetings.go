package teamwork

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// MeetingKind is an L10 or a custom meeting.
type MeetingKind string

// The kinds of meeting.
const (
	L10    MeetingKind = "l10"
	Custom MeetingKind = "custom"
)

// The states of a meeting.
const (
	Scheduled = "scheduled"
	Running   = "running"
	Finished  = "done"
)

// The most sections a custom meeting has, and the longest one.
const (
	MaxSections       = 20
	MaxSectionMinutes = 240
)

// Meeting is one row of meetings.
type Meeting struct {
	bun.BaseModel `bun:"table:meetings,alias:mt"`
	store.TenantOwned

	ID               int64       `bun:"id,pk,autoincrement"`
	TeamID           int64       `bun:"team_id,notnull"`
	Kind             MeetingKind `bun:"kind,notnull"`
	Title            string      `bun:"title,notnull"`
	Status           string      `bun:"status,notnull"`
	Section          int         `bun:"section,notnull"`
	SectionStartedAt *time.Time  `bun:"section_started_at"`
	StartedAt        *time.Time  `bun:"started_at"`
	EndedAt          *time.Time  `bun:"ended_at"`
	Notes            string      `bun:"notes,notnull"`
	CreatedBy        *int64      `bun:"created_by"`
	CreatedAt        time.Time   `bun:"created_at,notnull"`
}

// Section is one part of a meeting's agenda.
type Section struct {
	bun.BaseModel `bun:"table:meeting_sections,alias:msec"`
	store.TenantOwned

	MeetingID int64  `bun:"meeting_id,pk" json:"-"`
	Position  int    `bun:"position,pk" json:"position"`
	Key       string `bun:"key,notnull" json:"key"`
	Title     string `bun:"title,notnull" json:"title"`
	Minutes   int    `bun:"minutes,notnull" json:"minutes"`
}

// Attendee is one person at a meeting, with their rating.
type Attendee struct {
	bun.BaseModel `bun:"table:meeting_attendees,alias:ma"`
	store.TenantOwned

	MeetingID int64 `bun:"meeting_id,pk"`
	UserID    int64 `bun:"user_id,pk"`
	Rating    *int  `bun:"rating"`
}

// L10Sections is the L10's agenda: each section and its time box.
var L10Sections = []Section{
	{Key: "segue", Title: "Segue", Minutes: 5},
	{Key: "scorecard", Title: "Scorecard", Minutes: 5},
	{Key: "rocks", Title: "Rock review", Minutes: 5},
	{Key: "headlines", Title: "Headlines", Minutes: 5},
	{Key: "todos", Title: "To-do review", Minutes: 5},
	{Key: "ids", Title: "IDS", Minutes: 60},
	{Key: "conclude", Title: "Conclude", Minutes: 5},
}

// AttendeeView is an attendee as a meeting's reader sees them.
type AttendeeView struct {
	Person
	Rating *int `json:"rating"`
}

// MeetingView is a meeting as its reader sees it. Remaining is the time
// left in the running section by the server's clock, in seconds (negative
// when over).
type MeetingView struct {
	ID        int64          `json:"id"`
	Team      Ref            `json:"team"`
	Kind      MeetingKind    `json:"kind"`
	Title     string         `json:"title"`
	Status    string         `json:"status"`
	Sections  []Section      `json:"sections"`
	Section   int            `json:"section"`
	Remaining int            `json:"remaining_seconds"`
	StartedAt *time.Time     `json:"started_at"`
	EndedAt   *time.Time     `json:"ended_at"`
	Attendees []AttendeeView `json:"attendees"`
	// Rating is the average of the ratings given, one decimal.
	Rating  *float64  `json:"rating"`
	Notes   string    `json:"notes"`
	Created time.Time `json:"created_at"`
	CanRun  bool      `json:"-"`
	// Attending: the reader attends (and so rates).
	Attending bool `json:"-"`
}

// Current is the running section, if any.
func (v MeetingView) Current() (Section, bool) {
	if v.Status != Running || v.Section < 1 || v.Section > len(v.Sections) {
		return Section{}, false
	}
	return v.Sections[v.Section-1], true
}

// SectionInput is one section of a custom meeting's agenda.
type SectionInput struct {
	Title   string `json:"title"`
	Minutes int    `json:"minutes"`
}

// MeetingInput is a new meeting: its team and kind; a custom meeting's
// title and agenda. Attendees default to the team's members.
type MeetingInput struct {
	TeamID      int64          `json:"team_id"`
	Kind        MeetingKind    `json:"kind"`
	Title       *string        `json:"title,omitempty"`
	Sections    []SectionInput `json:"sections,omitempty"`
	AttendeeIDs []int64        `json:"attendee_ids,omitempty"`
}

// MeetingChange is what a meeting's runner does: start it, move to the
// next section, write notes, rate it (an attendee, 1–10), end it.
type MeetingChange struct {
	Action string  `json:"action"`
	Notes  *string `json:"notes,omitempty"`
	Rating *int    `json:"rating,omitempty"`
}

// The runner's actions.
const (
	ActionStart = "start"
	ActionNext  = "next"
	ActionRate  = "rate"
	ActionNotes = "notes"
	ActionEnd   = "end"
)

// MeetingSorts: newest first.
var MeetingSorts = store.Sorts{{Name: "-created", Label: "Newest first", ID: "mt.id", Desc: true}}

var meetingsTable = table{name: KindMeeting, alias: "mt"}

func (m *Meeting) facts() policy.TeamWorkFacts {
	return policy.TeamWorkFacts{Teams: []int64{m.TeamID}, OwnerID: deref(m.CreatedBy)}
}

// Meetings returns one page of the meetings of team teamID (0: every team
// in scope) a may see, newest first.
func Meetings(ctx context.Context, db *store.Scoped, a policy.Actor, teamID int64, p store.Page) ([]MeetingView, string, error) {
	q := scoped(db, (*Meeting)(nil), policy.TeamWork(a), meetingsTable)
	if teamID != 0 {
		q = inTeam(q, meetingsTable, db.TenantID(), teamID)
	}
	var rows []Meeting
	next, err := pageOf(ctx, q, &rows, MeetingSorts[0], "meetings", p, func(m Meeting) (string, int64) { return "", m.ID })
	if err != nil {
		return nil, "", err
	}
	views, err := meetingViews(ctx, db, a, rows, time.Now())
	return views, next, err
}

// GetMeeting loads meeting id as a sees it, at now, else ErrNotFound.
func GetMeeting(ctx context.Context, db *store.Scoped, a policy.Actor, id int64, now time.Time) (*MeetingView, error) {
	row, err := loadMeeting(ctx, db, a, id)
	return viewOne(row, err, func(rs []Meeting) ([]MeetingView, error) { return meetingViews(ctx, db, a, rs, now) })
}

func loadMeeting(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Meeting, error) {
	return loadOne[Meeting](ctx, db, a, meetingsTable, id)
}

func meetingViews(ctx context.Context, db *store.Scoped, a policy.Actor, rows []Meeting, now time.Time) ([]MeetingView, error) {
	ids, teams := []int64{}, []int64{}
	for _, m := range rows {
		ids, teams = append(ids, m.ID), append(teams, m.TeamID)
	}
	var sections []Section
	var attendees []Attendee
	if len(ids) > 0 {
		if err := db.Select(&sections).Where("msec.meeting_id IN (?)", bun.In(ids)).OrderExpr("msec.meeting_id, msec.position").Scan(ctx); err != nil {
			return nil, fmt.Errorf("teamwork: meeting sections: %w", err)
		}
		if err := db.Select(&attendees).Where("ma.meeting_id IN (?)", bun.In(ids)).OrderExpr("ma.meeting_id, ma.user_id").Scan(ctx); err != nil {
			return nil, fmt.Errorf("teamwork: meeting attendees: %w", err)
		}
	}
	users := []int64{}
	for _, at := range attendees {
		users = append(users, at.UserID)
	}
	n, err := loadNames(ctx, db, users, teams)
	if err != nil {
		return nil, err
	}
	out := make([]MeetingView, 0, len(rows))
	for _, m := range rows {
		v := MeetingView{ID: m.ID, Team: n.team(m.TeamID), Kind: m.Kind, Title: m.Title, Status: m.Status, Section: m.Section,
			StartedAt: m.StartedAt, EndedAt: m.EndedAt, Notes: m.Notes, Created: m.CreatedAt, Sections: []Section{}, Attendees: []AttendeeView{},
			CanRun: policy.CanEditTeamWork(a, m.facts())}
		for _, s := range sections {
			if s.MeetingID == m.ID {
				v.Sections = append(v.Sections, s)
			}
		}
		var sum, count int
		for _, at := range attendees {
			if at.MeetingID != m.ID {
				continue
			}
			p := n.user(&at.UserID)
			if p == nil {
				continue
			}
			v.Attendees = append(v.Attendees, AttendeeView{Person: *p, Rating: at.Rating})
			v.Attending = v.Attending || at.UserID == a.UserID
			if at.Rating != nil {
				sum += *at.Rating
				count++
			}
		}
		if count > 0 {
			avg := float64(int(float64(sum)/float64(count)*10+0.5)) / 10
			v.Rating = &avg
		}
		if cur, ok := v.Current(); ok && m.SectionStartedAt != nil {
			v.Remaining = int(m.SectionStartedAt.Add(time.Duration(cur.Minutes)*time.Minute).Sub(now) / time.Second)
		}
		out = append(out, v)
	}
	return out, nil
}

// CreateMeeting adds a meeting to team in.TeamID: an L10 with its seven
// sections, or a custom meeting with the agenda in gives; attendees are
// in.AttendeeIDs, else the team's members.
func CreateMeeting(ctx context.Context, db *store.Scoped, by By, in MeetingInput) (*MeetingView, error) {
	if err := canAddTo(by.Actor, in.TeamID); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	m := &Meeting{TeamID: in.TeamID, Kind: in.Kind, Status: Scheduled, CreatedBy: nonZero(by.Actor.UserID), CreatedAt: now}
	errs := valid.Errors{}
	var sections []Section
	switch in.Kind {
	case L10:
		m.Title = "L10 — " + now.Format("Jan 2, 2006")
		sections = slices.Clone(L10Sections)
	case Custom:
		if len(in.Sections) == 0 {
			errs.Add("sections", "Give the meeting at least one agenda section.")
		}
		if len(in.Sections) > MaxSections {
			errs.Add("sections", fmt.Sprintf("At most %d sections.", MaxSections))
		}
		for i, s := range in.Sections {
			row := Section{Key: "custom", Minutes: s.Minutes}
			field := fmt.Sprintf("sections.%d", i)
			line(errs, field+".title", &s.Title, &row.Title, MaxTitle, "Name the section.")
			if s.Minutes < 1 || s.Minutes > MaxSectionMinutes {
				errs.Add(field+".minutes", fmt.Sprintf("Give from 1 to %d minutes.", MaxSectionMinutes))
			}
			sections = append(sections, row)
		}
		if in.Title == nil {
			errs.Add("title", "Name the meeting.")
		}
	default:
		errs.Add("kind", "Choose l10 or custom.")
	}
	line(errs, "title", in.Title, &m.Title, MaxTitle, "Name the meeting.")
	if err := errs.Err(); err != nil {
		return nil, err
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		attendees := uniq(in.AttendeeIDs)
		if len(attendees) == 0 {
			if err := tx.RawRead("SELECT user_id FROM team_members WHERE tenant_id = ? AND team_id = ? ORDER BY user_id", tx.TenantID(), in.TeamID).Scan(ctx, &attendees); err != nil {
				return fmt.Errorf("teamwork: team members: %w", err)
			}
		}
		for _, u := range attendees {
			if _, msg, err := checkOwner(ctx, tx, u, []int64{in.TeamID}); err != nil {
				return err
			} else if msg != "" {
				return valid.Errors{"attendee_ids": "Choose people of the workspace; a client attends only their team's meetings."}
			}
		}
		if _, err := tx.Insert(m).Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: create meeting: %w", err)
		}
		for i := range sections {
			sections[i].MeetingID, sections[i].Position = m.ID, i+1
		}
		if _, err := tx.Insert(&sections).Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: meeting sections: %w", err)
		}
		if len(attendees) > 0 {
			rows := make([]Attendee, 0, len(attendees))
			for _, u := range attendees {
				rows = append(rows, Attendee{MeetingID: m.ID, UserID: u})
			}
			if _, err := tx.Insert(&rows).Exec(ctx); err != nil {
				return fmt.Errorf("teamwork: meeting attendees: %w", err)
			}
		}
		return audit.Record(ctx, tx, by.Who, audit.MeetingChange, "meeting", m.ID, "Set up "+m.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetMeeting(ctx, db, by.Actor, m.ID, now)
}

// ChangeMeeting runs meeting id: start, next, notes, rate or end. Ending
// it calls recap, in the same transaction, with the meeting as it ended
// (to email each attendee their recap); recap may be nil.
func ChangeMeeting(ctx context.Context, db *store.Scoped, by By, id int64, ch MeetingChange, recap func(ctx context.Context, tx *store.Scoped, m *Meeting) error) (*MeetingView, error) {
	now := time.Now().UTC()
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		m, err := loadMeeting(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if !policy.CanEditTeamWork(by.Actor, m.facts()) {
			return ErrForbidden
		}
		var n int
		if err := tx.RawRead("SELECT COUNT(*) FROM meeting_sections WHERE tenant_id = ? AND meeting_id = ?", tx.TenantID(), id).Scan(ctx, &n); err != nil {
			return fmt.Errorf("teamwork: count sections: %w", err)
		}
		summary := ""
		switch ch.Action {
		case ActionStart:
			if m.Status != Scheduled {
				return valid.Errors{"action": "The meeting has already started."}
			}
			m.Status, m.StartedAt, m.Section, m.SectionStartedAt = Running, &now, 1, &now
			summary = "Started "
		case ActionNext:
			if m.Status != Running {
				return valid.Errors{"action": "Start the meeting first."}
			}
			if m.Section < n {
				m.Section, m.SectionStartedAt = m.Section+1, &now
			}
			summary = "Moved on in "
		case ActionNotes:
			errs := valid.Errors{}
			text(errs, "notes", ch.Notes, &m.Notes, MaxText)
			if err := errs.Err(); err != nil {
				return err
			}
			summary = "Wrote the notes of "
		case ActionRate:
			if ch.Rating == nil || *ch.Rating < 1 || *ch.Rating > 10 {
				return valid.Errors{"rating": "Rate the meeting from 1 to 10."}
			}
			if m.Status == Scheduled {
				return valid.Errors{"rating": "Rate the meeting once it has started."}
			}
			res, err := tx.Update((*Attendee)(nil)).Set("rating = ?", *ch.Rating).Where("ma.meeting_id = ? AND ma.user_id = ?", id, by.Actor.UserID).Exec(ctx)
			if err != nil {
				return fmt.Errorf("teamwork: rate meeting %d: %w", id, err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return valid.Errors{"rating": "Only the meeting's attendees rate it."}
			}
			return audit.Record(ctx, tx, by.Who, audit.MeetingChange, "meeting", id, fmt.Sprintf("Rated %s %d", m.Title, *ch.Rating))
		case ActionEnd:
			if m.Status != Running {
				return valid.Errors{"action": "Only a running meeting ends."}
			}
			m.Status, m.EndedAt, m.SectionStartedAt = Finished, &now, nil
			summary = "Ended "
		default:
			return valid.Errors{"action": "Choose start, next, notes, rate or end."}
		}
		if _, err := tx.Update(m).WherePK().ExcludeColumn("created_at", "created_by", "team_id", "kind").Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: update meeting %d: %w", id, err)
		}
		if err := audit.Record(ctx, tx, by.Who, audit.MeetingChange, "meeting", id, summary+m.Title); err != nil {
			return err
		}
		if ch.Action == ActionEnd && recap != nil {
			return recap(ctx, tx, m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return GetMeeting(ctx, db, by.Actor, id, now)
}

// DeleteMeeting removes meeting id.
func DeleteMeeting(ctx context.Context, db *store.Scoped, by By, id int64) error {
	return deleteOne(ctx, db, by, meetingsTable, id, audit.MeetingChange, plainFacts[*Meeting], func(x *Meeting) string { return x.Title })
}

// Recap is what one attendee's recap of a finished meeting holds: only
// what that attendee may see, read through their own scope.
type Recap struct {
	Meeting MeetingView
	// Todos are the to-dos added in the meeting's team while it ran.
	Todos []TodoView
	// Solved are the issues solved while it ran; Moved those sent from its
	// team to another the reader sees.
	Solved, Moved []IssueView
	Rocks         []RockView
	Metrics       []MetricView
}

// RecapFor reads meeting m's recap as reader a sees it.
func RecapFor(ctx context.Context, db *store.Scoped, a policy.Actor, m *Meeting) (*Recap, error) {
	if m.StartedAt == nil || m.EndedAt == nil {
		return nil, ErrNotFound
	}
	views, err := meetingViews(ctx, db, a, []Meeting{*m}, *m.EndedAt)
	if err != nil {
		return nil, err
	}
	if !policy.CanSeeTeamWork(a, m.facts()) {
		return nil, ErrNotFound
	}
	r := &Recap{Meeting: views[0]}
	during := func(t time.Time) bool { return !t.Before(*m.StartedAt) && !t.After(*m.EndedAt) }
	page := store.Page{Limit: store.MaxLimit}
	todos, _, err := Todos(ctx, db, a, TodoQuery{TeamID: m.TeamID, Done: true}, page)
	if err != nil {
		return nil, err
	}
	for _, t := range todos {
		if during(t.CreatedAt) {
			r.Todos = append(r.Todos, t)
		}
	}
	// Issues changed while it ran, in every team the reader sees: those
	// solved in this team, and those sent from it to another.
	var changed []Issue
	q := scoped(db, &changed, policy.TeamWork(a), issuesTable).Where("i.updated_at >= ? AND i.updated_at <= ?", *m.StartedAt, *m.EndedAt).OrderExpr("i.id").Limit(store.MaxLimit)
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("teamwork: issues of the meeting: %w", err)
	}
	moved, err := movedDuring(ctx, db, m)
	if err != nil {
		return nil, err
	}
	issues, err := issueViews(ctx, db, a, changed)
	if err != nil {
		return nil, err
	}
	for _, i := range issues {
		switch {
		case i.Team.ID == m.TeamID && i.Status == IssueSolved && i.SolvedAt != nil && during(*i.SolvedAt):
			r.Solved = append(r.Solved, i)
		case i.Team.ID != m.TeamID && slices.Contains(moved, i.ID):
			r.Moved = append(r.Moved, i)
		}
	}
	if r.Rocks, _, err = Rocks(ctx, db, a, RockQuery{TeamID: m.TeamID}, page); err != nil {
		return nil, err
	}
	if r.Metrics, _, err = Metrics(ctx, db, a, MetricQuery{TeamID: m.TeamID, Now: *m.EndedAt}, page); err != nil {
		return nil, err
	}
	return r, nil
}

// movedDuring are the issues sent away from m's team while it ran, as the
// audit log recorded them ("Sent to team N: …").
func movedDuring(ctx context.Context, db *store.Scoped, m *Meeting) ([]int64, error) {
	var rows []struct {
		ObjectID int64  `bun:"object_id"`
		Summary  string `bun:"summary"`
	}
	err := db.RawRead("SELECT object_id, summary FROM audit_log WHERE tenant_id = ? AND action = ? AND object_type = 'issue' AND at >= ? AND at <= ?",
		db.TenantID(), audit.IssueChange, *m.StartedAt, *m.EndedAt).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("teamwork: issues sent during meeting %d: %w", m.ID, err)
	}
	var out []int64
	prefix := fmt.Sprintf("Sent from team %d ", m.TeamID)
	for _, r := range rows {
		if strings.HasPrefix(r.Summary, prefix) {
			out = append(out, r.ObjectID)
		}
	}
	return out, nil
}

// AttendeeIDs are the users who attend meeting id.
func AttendeeIDs(ctx context.Context, tx *store.Scoped, id int64) ([]int64, error) {
	var out []int64
	if err := tx.Select((*Attendee)(nil)).Column("ma.user_id").Where("ma.meeting_id = ?", id).OrderExpr("ma.user_id").Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("teamwork: attendees of %d: %w", id, err)
	}
	return out, nil
}
