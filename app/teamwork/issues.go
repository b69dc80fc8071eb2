package teamwork

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Priority is how pressing an issue is.
type Priority string

// The priorities.
const (
	High   Priority = "high"
	Medium Priority = "medium"
	Low    Priority = "low"
)

// Priorities lists every priority in the order forms show them.
var Priorities = []Priority{High, Medium, Low}

// Term is which list an issue is on.
type Term string

// The lists: this quarter's, worked in meetings, and the parking lot.
const (
	ShortTerm Term = "short"
	LongTerm  Term = "long"
)

// Terms lists both.
var Terms = []Term{ShortTerm, LongTerm}

// The states of an issue.
const (
	IssueOpen   = "open"
	IssueSolved = "solved"
)

// IssueView is an issue as its reader sees it.
type IssueView struct {
	ID          int64      `json:"id"`
	Team        Ref        `json:"team"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Owner       *Person    `json:"owner"`
	Priority    Priority   `json:"priority"`
	Term        Term       `json:"term"`
	TopRank     *int       `json:"top_rank"`
	Status      string     `json:"status"`
	SolvedAt    *time.Time `json:"solved_at"`
	CreatedAt   time.Time  `json:"created_at"`
	CanEdit     bool       `json:"-"`
	// CanSend: the reader may send it to another team (members).
	CanSend bool `json:"-"`
}

// IssueInput is what a create or change sets; nil leaves a field as it
// is. TeamID is read on create; on a change it sends the issue to another
// team (members only).
type IssueInput struct {
	TeamID      int64     `json:"team_id,omitempty"`
	Title       *string   `json:"title,omitempty"`
	Description *string   `json:"description,omitempty"`
	OwnerID     *int64    `json:"owner_id,omitempty"`
	Priority    *Priority `json:"priority,omitempty"`
	Term        *Term     `json:"term,omitempty"`
	// TopRank 1–3 picks it for IDS; 0 unpicks it.
	TopRank *int    `json:"top_rank,omitempty"`
	Status  *string `json:"status,omitempty"`
}

// IssueQuery asks for the issues of one team (0: every team in scope) in
// one state ("" for open and solved).
type IssueQuery struct {
	TeamID int64
	Status string
	Term   Term
}

// IssueSorts: picked ones first, by rank, then by priority and age.
var IssueSorts = store.Sorts{{Name: "created", Label: "Oldest first", ID: "i.id"}}

func (i *Issue) facts() policy.TeamWorkFacts {
	return policy.TeamWorkFacts{Teams: []int64{i.TeamID}, OwnerID: deref(i.OwnerID)}
}

// Issues returns one page of the issues in a's scope iq asks for.
func Issues(ctx context.Context, db *store.Scoped, a policy.Actor, iq IssueQuery, p store.Page) ([]IssueView, string, error) {
	errs := valid.Errors{}
	if iq.Status != "" && iq.Status != IssueOpen && iq.Status != IssueSolved {
		errs.Add("status", "Choose open or solved.")
	}
	if iq.Term != "" && !slices.Contains(Terms, iq.Term) {
		errs.Add("term", "Choose short or long.")
	}
	if err := errs.Err(); err != nil {
		return nil, "", err
	}
	q := scoped(db, (*Issue)(nil), policy.TeamWork(a), issuesTable)
	if iq.TeamID != 0 {
		q = inTeam(q, issuesTable, db.TenantID(), iq.TeamID)
	}
	if iq.Status != "" {
		q = q.Where("i.status = ?", iq.Status)
	}
	if iq.Term != "" {
		q = q.Where("i.term = ?", iq.Term)
	}
	var rows []Issue
	next, err := pageOf(ctx, q, &rows, IssueSorts[0], "issues", p, func(i Issue) (string, int64) { return "", i.ID })
	if err != nil {
		return nil, "", err
	}
	views, err := issueViews(ctx, db, a, rows)
	return views, next, err
}

// GetIssue loads issue id as a sees it, else ErrNotFound.
func GetIssue(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*IssueView, error) {
	row, err := loadIssue(ctx, db, a, id)
	return viewOne(row, err, func(rs []Issue) ([]IssueView, error) { return issueViews(ctx, db, a, rs) })
}

func loadIssue(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Issue, error) {
	return loadOne[Issue](ctx, db, a, issuesTable, id)
}

func issueViews(ctx context.Context, db *store.Scoped, a policy.Actor, rows []Issue) ([]IssueView, error) {
	users, teams := []int64{}, []int64{}
	for _, i := range rows {
		users, teams = append(users, deref(i.OwnerID)), append(teams, i.TeamID)
	}
	n, err := loadNames(ctx, db, users, teams)
	if err != nil {
		return nil, err
	}
	out := make([]IssueView, 0, len(rows))
	for _, i := range rows {
		out = append(out, IssueView{ID: i.ID, Team: n.team(i.TeamID), Title: i.Title, Description: i.Description, Owner: n.user(i.OwnerID),
			Priority: i.Priority, Term: i.Term, TopRank: i.TopRank, Status: i.Status, SolvedAt: i.SolvedAt, CreatedAt: i.CreatedAt,
			CanEdit: policy.CanEditTeamWork(a, i.facts()), CanSend: policy.Allows(a, policy.Settings{}, policy.SendIssues) && policy.CanEditTeamWork(a, i.facts())})
	}
	return out, nil
}

// CreateIssue adds an issue to team in.TeamID and returns it.
func CreateIssue(ctx context.Context, db *store.Scoped, by By, in IssueInput) (*IssueView, error) {
	if err := canAddTo(by.Actor, in.TeamID); err != nil {
		return nil, err
	}
	if in.Title == nil {
		return nil, valid.Errors{"title": "Name the issue."}
	}
	now := time.Now().UTC()
	i := &Issue{TeamID: in.TeamID, Priority: Medium, Term: ShortTerm, Status: IssueOpen, OwnerID: nonZero(by.Actor.UserID),
		CreatedBy: nonZero(by.Actor.UserID), CreatedAt: now, UpdatedAt: now}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if err := applyIssue(ctx, tx, i, in); err != nil {
			return err
		}
		if _, err := tx.Insert(i).Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: create issue: %w", err)
		}
		return audit.Record(ctx, tx, by.Who, audit.IssueChange, "issue", i.ID, "Added "+i.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetIssue(ctx, db, by.Actor, i.ID)
}

// UpdateIssue changes the fields in sets of issue id and returns it. A
// TeamID other than the issue's sends it to that team: members only
// (policy.CanSendIssue), refused for clients with ErrForbidden.
func UpdateIssue(ctx context.Context, db *store.Scoped, by By, id int64, in IssueInput) (*IssueView, error) {
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		i, err := loadIssue(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if !policy.CanEditTeamWork(by.Actor, i.facts()) {
			return ErrForbidden
		}
		summary := "Changed "
		if in.TeamID != 0 && in.TeamID != i.TeamID {
			if !policy.Allows(by.Actor, policy.Settings{}, policy.SendIssues) {
				return ErrForbidden
			}
			if !policy.CanSendIssue(by.Actor, i.facts(), in.TeamID) {
				return valid.Errors{"team_id": "Choose a team from the list."}
			}
			var n int
			if err := tx.RawRead("SELECT COUNT(*) FROM teams WHERE tenant_id = ? AND id = ?", tx.TenantID(), in.TeamID).Scan(ctx, &n); err != nil {
				return fmt.Errorf("teamwork: check team: %w", err)
			}
			if n == 0 {
				return valid.Errors{"team_id": "Choose a team from the list."}
			}
			// Meeting recaps read this summary (movedDuring).
			summary = fmt.Sprintf("Sent from team %d to team %d: ", i.TeamID, in.TeamID)
			i.TeamID, i.TopRank = in.TeamID, nil
		}
		if err := applyIssue(ctx, tx, i, in); err != nil {
			return err
		}
		i.UpdatedAt = time.Now().UTC()
		if _, err := tx.Update(i).WherePK().ExcludeColumn("created_at", "created_by").Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: update issue %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.IssueChange, "issue", id, summary+i.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetIssue(ctx, db, by.Actor, id)
}

// DeleteIssue removes issue id.
func DeleteIssue(ctx context.Context, db *store.Scoped, by By, id int64) error {
	return deleteOne(ctx, db, by, issuesTable, id, audit.IssueChange, plainFacts[*Issue], func(x *Issue) string { return x.Title })
}

// SolveIssue marks issue id solved and, when todo names one, adds the
// to-do that carries the solution to the issue's team, in one transaction.
func SolveIssue(ctx context.Context, db *store.Scoped, by By, id int64, todo *TodoInput) (*IssueView, error) {
	solved := IssueSolved
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		v, err := UpdateIssue(ctx, tx, by, id, IssueInput{Status: &solved})
		if err != nil {
			return err
		}
		if todo == nil {
			return nil
		}
		t := *todo
		t.TeamID, t.IssueID = v.Team.ID, id
		_, err = CreateTodo(ctx, tx, by, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	return GetIssue(ctx, db, by.Actor, id)
}

func applyIssue(ctx context.Context, tx *store.Scoped, i *Issue, in IssueInput) error {
	errs := valid.Errors{}
	line(errs, "title", in.Title, &i.Title, MaxTitle, "Name the issue.")
	text(errs, "description", in.Description, &i.Description, MaxText)
	if in.Priority != nil {
		if !slices.Contains(Priorities, *in.Priority) {
			errs.Add("priority", "Choose high, medium or low.")
		}
		i.Priority = *in.Priority
	}
	if in.Term != nil {
		if !slices.Contains(Terms, *in.Term) {
			errs.Add("term", "Choose the short-term or the long-term list.")
		}
		i.Term = *in.Term
	}
	if in.Status != nil {
		switch *in.Status {
		case IssueOpen:
			i.Status, i.SolvedAt = IssueOpen, nil
		case IssueSolved:
			if i.Status != IssueSolved {
				now := time.Now().UTC()
				i.Status, i.SolvedAt, i.TopRank = IssueSolved, &now, nil
			}
		default:
			errs.Add("status", "Choose open or solved.")
		}
	}
	if in.TopRank != nil {
		switch r := *in.TopRank; {
		case r == 0:
			i.TopRank = nil
		case r >= 1 && r <= 3 && i.Status == IssueOpen:
			i.TopRank = &r
			// One issue per rank: the one that held it is unpicked.
			if _, err := tx.Update((*Issue)(nil)).Set("top_rank = NULL").Where("i.team_id = ? AND i.top_rank = ? AND i.id <> ?", i.TeamID, r, i.ID).Exec(ctx); err != nil {
				return fmt.Errorf("teamwork: unpick rank %d: %w", r, err)
			}
		default:
			errs.Add("top_rank", "Pick an open issue as 1, 2 or 3.")
		}
	}
	if in.OwnerID != nil {
		i.OwnerID = nonZero(*in.OwnerID)
	}
	if i.OwnerID != nil && (in.OwnerID != nil || in.TeamID != 0) {
		_, msg, err := checkOwner(ctx, tx, *i.OwnerID, []int64{i.TeamID})
		if err != nil {
			return err
		}
		switch {
		case msg != "" && in.OwnerID == nil:
			// Sent to a team its owner is not in: the team there picks one.
			i.OwnerID = nil
		case msg != "":
			errs.Add("owner_id", msg)
		}
	}
	return errs.Err()
}
