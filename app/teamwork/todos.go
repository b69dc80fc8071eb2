package teamwork

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// TodoView is a to-do as its reader sees it.
type TodoView struct {
	ID        int64      `json:"id"`
	Team      Ref        `json:"team"`
	Title     string     `json:"title"`
	Owner     *Person    `json:"owner"`
	DueOn     string     `json:"due_on"`
	Done      bool       `json:"done"`
	DoneAt    *time.Time `json:"done_at"`
	IssueID   *int64     `json:"issue_id"`
	CreatedAt time.Time  `json:"created_at"`
	// Overdue: not done and due before today.
	Overdue bool `json:"overdue"`
	CanEdit bool `json:"-"`
}

// TodoInput is what a create or change sets; nil leaves a field as it is.
// DueOn defaults to seven days from today.
type TodoInput struct {
	TeamID  int64   `json:"team_id,omitempty"`
	Title   *string `json:"title,omitempty"`
	OwnerID *int64  `json:"owner_id,omitempty"`
	DueOn   *string `json:"due_on,omitempty"`
	Done    *bool   `json:"done,omitempty"`
	// IssueID is the issue the to-do solves (SolveIssue sets it).
	IssueID int64 `json:"-"`
}

// TodoQuery asks for the to-dos of one team (0: every team in scope), of
// one owner (0: anyone's); open ones, or with Done those done too.
type TodoQuery struct {
	TeamID  int64
	OwnerID int64
	Done    bool
}

// TodoSorts: by due date, then the order they were added.
var TodoSorts = store.Sorts{{Name: "due", Label: "Due date", Expr: "td.due_on", ID: "td.id"}}

func (t *Todo) facts() policy.TeamWorkFacts {
	return policy.TeamWorkFacts{Teams: []int64{t.TeamID}, OwnerID: deref(t.OwnerID)}
}

// Todos returns one page of the to-dos in a's scope tq asks for.
func Todos(ctx context.Context, db *store.Scoped, a policy.Actor, tq TodoQuery, p store.Page) ([]TodoView, string, error) {
	q := scoped(db, (*Todo)(nil), policy.TeamWork(a), todosTable)
	if tq.TeamID != 0 {
		q = inTeam(q, todosTable, db.TenantID(), tq.TeamID)
	}
	if tq.OwnerID != 0 {
		q = q.Where("td.owner_id = ?", tq.OwnerID)
	}
	if !tq.Done {
		q = q.Where("td.done_at IS NULL")
	}
	var rows []Todo
	next, err := pageOf(ctx, q, &rows, TodoSorts[0], "todos", p, func(t Todo) (string, int64) { return t.DueOn, t.ID })
	if err != nil {
		return nil, "", err
	}
	views, err := todoViews(ctx, db, a, rows)
	return views, next, err
}

// GetTodo loads to-do id as a sees it, else ErrNotFound.
func GetTodo(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*TodoView, error) {
	row, err := loadTodo(ctx, db, a, id)
	return viewOne(row, err, func(rs []Todo) ([]TodoView, error) { return todoViews(ctx, db, a, rs) })
}

func loadTodo(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Todo, error) {
	return loadOne[Todo](ctx, db, a, todosTable, id)
}

func todoViews(ctx context.Context, db *store.Scoped, a policy.Actor, rows []Todo) ([]TodoView, error) {
	users, teams := []int64{}, []int64{}
	for _, t := range rows {
		users, teams = append(users, deref(t.OwnerID)), append(teams, t.TeamID)
	}
	n, err := loadNames(ctx, db, users, teams)
	if err != nil {
		return nil, err
	}
	today := Today(time.Now())
	out := make([]TodoView, 0, len(rows))
	for _, t := range rows {
		out = append(out, TodoView{ID: t.ID, Team: n.team(t.TeamID), Title: t.Title, Owner: n.user(t.OwnerID), DueOn: t.DueOn,
			Done: t.DoneAt != nil, DoneAt: t.DoneAt, IssueID: t.IssueID, CreatedAt: t.CreatedAt,
			Overdue: t.DoneAt == nil && t.DueOn < today, CanEdit: policy.CanEditTeamWork(a, t.facts())})
	}
	return out, nil
}

// CreateTodo adds a to-do to team in.TeamID, due in seven days unless in
// says, owned by its author unless in says, and returns it.
func CreateTodo(ctx context.Context, db *store.Scoped, by By, in TodoInput) (*TodoView, error) {
	if err := canAddTo(by.Actor, in.TeamID); err != nil {
		return nil, err
	}
	if in.Title == nil {
		return nil, valid.Errors{"title": "Say what is to be done."}
	}
	now := time.Now().UTC()
	t := &Todo{TeamID: in.TeamID, DueOn: Today(now.Add(DefaultTodoDue)), OwnerID: nonZero(by.Actor.UserID), IssueID: nonZero(in.IssueID),
		CreatedBy: nonZero(by.Actor.UserID), CreatedAt: now}
	if !policy.MayOwnTeamWork(by.Actor.Kind) {
		t.OwnerID = nil
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if err := applyTodo(ctx, tx, t, in); err != nil {
			return err
		}
		if _, err := tx.Insert(t).Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: create to-do: %w", err)
		}
		return audit.Record(ctx, tx, by.Who, audit.TodoChange, "todo", t.ID, "Added "+t.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetTodo(ctx, db, by.Actor, t.ID)
}

// UpdateTodo changes the fields in sets of to-do id and returns it.
func UpdateTodo(ctx context.Context, db *store.Scoped, by By, id int64, in TodoInput) (*TodoView, error) {
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		t, err := loadTodo(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if !policy.CanEditTeamWork(by.Actor, t.facts()) {
			return ErrForbidden
		}
		if err := applyTodo(ctx, tx, t, in); err != nil {
			return err
		}
		if _, err := tx.Update(t).WherePK().ExcludeColumn("created_at", "created_by", "team_id", "issue_id").Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: update to-do %d: %w", id, err)
		}
		summary := "Changed "
		if in.Done != nil && *in.Done {
			summary = "Done: "
		}
		return audit.Record(ctx, tx, by.Who, audit.TodoChange, "todo", id, summary+t.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetTodo(ctx, db, by.Actor, id)
}

// DeleteTodo removes to-do id.
func DeleteTodo(ctx context.Context, db *store.Scoped, by By, id int64) error {
	return deleteOne(ctx, db, by, todosTable, id, audit.TodoChange, plainFacts[*Todo], func(x *Todo) string { return x.Title })
}

func applyTodo(ctx context.Context, tx *store.Scoped, t *Todo, in TodoInput) error {
	errs := valid.Errors{}
	line(errs, "title", in.Title, &t.Title, MaxTitle, "Say what is to be done.")
	date(errs, "due_on", in.DueOn, &t.DueOn)
	if in.Done != nil {
		switch {
		case *in.Done && t.DoneAt == nil:
			now := time.Now().UTC()
			t.DoneAt = &now
		case !*in.Done:
			t.DoneAt = nil
		}
	}
	if in.OwnerID != nil {
		t.OwnerID = nonZero(*in.OwnerID)
	}
	if t.OwnerID != nil {
		_, msg, err := checkOwner(ctx, tx, *t.OwnerID, []int64{t.TeamID})
		if err != nil {
			return err
		}
		if msg != "" {
			errs.Add("owner_id", msg)
		}
	}
	return errs.Err()
}

// CompletionWindow is how far back a completion rate looks.
const CompletionWindow = 90 * 24 * time.Hour

// CompletionRule says how a completion rate is computed, for the pages
// that show one.
const CompletionRule = "Of the to-dos due in the last 90 days, the share done by their due date."

// Completion is a to-do completion rate: Done of Due, as a percentage
// (nil when nothing was due).
type Completion struct {
	Due     int  `json:"due"`
	Done    int  `json:"done"`
	Percent *int `json:"percent"`
}

// CompletionRate is team teamID's to-do completion rate (CompletionRule)
// at now, or that of owner ownerID's to-dos when ownerID is not 0 (a 1:1's
// report), within a's scope.
func CompletionRate(ctx context.Context, db *store.Scoped, a policy.Actor, teamID, ownerID int64, now time.Time) (Completion, error) {
	q := scoped(db, (*Todo)(nil), policy.TeamWork(a), todosTable).Column("td.due_on", "td.done_at").
		Where("td.due_on >= ? AND td.due_on < ?", Today(now.Add(-CompletionWindow)), Today(now))
	if teamID != 0 {
		q = inTeam(q, todosTable, db.TenantID(), teamID)
	}
	if ownerID != 0 {
		q = q.Where("td.owner_id = ?", ownerID)
	}
	var rows []Todo
	if err := q.Scan(ctx, &rows); err != nil {
		return Completion{}, fmt.Errorf("teamwork: completion rate: %w", err)
	}
	c := Completion{Due: len(rows)}
	for _, t := range rows {
		if t.DoneAt != nil && t.DoneAt.UTC().Format(DateLayout) <= t.DueOn {
			c.Done++
		}
	}
	if c.Due > 0 {
		p := int(math.Round(float64(c.Done) * 100 / float64(c.Due)))
		c.Percent = &p
	}
	return c, nil
}
