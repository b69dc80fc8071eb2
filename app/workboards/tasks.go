package workboards

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

// The states of a task, the columns of the board view.
const (
	Todo  = "todo"
	Doing = "doing"
	Done  = "done"
)

// TaskStatuses lists the columns in order.
var TaskStatuses = []string{Todo, Doing, Done}

// Task is one row of tasks.
type Task struct {
	bun.BaseModel `bun:"table:tasks,alias:tk"`
	store.TenantOwned

	ID          int64     `bun:"id,pk,autoincrement"`
	WorkboardID int64     `bun:"workboard_id,notnull"`
	CardID      *int64    `bun:"card_id"`
	Title       string    `bun:"title,notnull"`
	AssigneeID  *int64    `bun:"assignee_id"`
	DueOn       *string   `bun:"due_on"`
	Status      string    `bun:"status,notnull"`
	CreatedBy   *int64    `bun:"created_by"`
	CreatedAt   time.Time `bun:"created_at,notnull"`
	UpdatedAt   time.Time `bun:"updated_at,notnull"`
}

// TaskView is a task as its reader sees it.
type TaskView struct {
	ID          int64   `json:"id"`
	WorkboardID int64   `json:"workboard_id"`
	CardID      *int64  `json:"card_id"`
	Title       string  `json:"title"`
	Assignee    *Person `json:"assignee"`
	DueOn       *string `json:"due_on"`
	Status      string  `json:"status"`
}

// TaskInput is what a create or change sets; nil leaves a field as it is.
type TaskInput struct {
	WorkboardID int64   `json:"workboard_id,omitempty"`
	CardID      int64   `json:"card_id,omitempty"`
	Title       *string `json:"title,omitempty"`
	AssigneeID  *int64  `json:"assignee_id,omitempty"`
	DueOn       *string `json:"due_on,omitempty"`
	Status      *string `json:"status,omitempty"`
}

// TaskQuery asks for the tasks of a workboard, or of an assignee.
type TaskQuery struct {
	WorkboardID, AssigneeID int64
}

// tasksScoped starts a select of tasks a may see: a board's own tasks
// when they see the board itself (not only a card of it), a card's tasks
// when they see the card.
func tasksScoped(db *store.Scoped, model any, sc policy.WorkboardScope) *bun.SelectQuery {
	q := db.Select(model)
	if sc.None() || sc.TenantID != db.TenantID() {
		return q.Where("1 = 0")
	}
	boardQ := db.Select((*Workboard)(nil)).Column("wb.id")
	member := "wb.id IN (SELECT x.workboard_id FROM workboard_members AS x WHERE x.tenant_id = ? AND x.user_id = ?)"
	if sc.Guest {
		boardQ = boardQ.Where("(wb.security <> ? AND "+member+")", policy.TopSecret, sc.TenantID, sc.UserID)
	} else {
		boardQ = boardQ.Where("(wb.security = ? OR "+member+")", policy.Open, sc.TenantID, sc.UserID)
	}
	cardQ := cardsScoped(db, (*Card)(nil), sc).Column("c.id")
	return q.Where("((tk.card_id IS NULL AND tk.workboard_id IN (?)) OR tk.card_id IN (?))", boardQ, cardQ)
}

// Tasks lists the tasks tq asks for that a may see, by due date.
func Tasks(ctx context.Context, db *store.Scoped, a policy.Actor, tq TaskQuery) ([]TaskView, error) {
	q := tasksScoped(db, (*Task)(nil), policy.WorkboardsScope(a))
	if tq.WorkboardID != 0 {
		q = q.Where("tk.workboard_id = ?", tq.WorkboardID)
	}
	if tq.AssigneeID != 0 {
		q = q.Where("tk.assignee_id = ?", tq.AssigneeID)
	}
	var rows []Task
	if err := q.OrderExpr("tk.due_on IS NULL, tk.due_on, tk.id").Limit(store.MaxLimit).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("workboards: tasks: %w", err)
	}
	return taskViews(ctx, db, rows)
}

func taskViews(ctx context.Context, db *store.Scoped, rows []Task) ([]TaskView, error) {
	var users []int64
	for _, t := range rows {
		if t.AssigneeID != nil {
			users = append(users, *t.AssigneeID)
		}
	}
	ps, err := persons(ctx, db, users)
	if err != nil {
		return nil, err
	}
	out := make([]TaskView, 0, len(rows))
	for _, t := range rows {
		v := TaskView{ID: t.ID, WorkboardID: t.WorkboardID, CardID: t.CardID, Title: t.Title, DueOn: t.DueOn, Status: t.Status}
		if t.AssigneeID != nil {
			if p, ok := ps[*t.AssigneeID]; ok {
				v.Assignee = &p
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// CreateTask adds a task to workboard in.WorkboardID (and card in.CardID,
// if any): members of the workspace who see the board, guests who are its
// members (policy.CanAddTask); on a card, those who may edit the card.
func CreateTask(ctx context.Context, db *store.Scoped, by By, in TaskInput) (*TaskView, error) {
	board, err := GetWorkboard(ctx, db, by.Actor, in.WorkboardID)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	t := &Task{WorkboardID: board.ID, Status: Todo, CreatedBy: nonZero(by.Actor.UserID), CreatedAt: now, UpdatedAt: now}
	switch {
	case in.CardID != 0:
		c, err := GetCard(ctx, db, by.Actor, in.CardID)
		if err != nil || c.WorkboardID != board.ID {
			return nil, valid.Errors{"card_id": "Choose a card of this workboard."}
		}
		if !c.CanEdit {
			return nil, ErrForbidden
		}
		t.CardID = &c.ID
	case !board.CanAddTask:
		return nil, ErrForbidden
	}
	if in.Title == nil {
		return nil, valid.Errors{"title": "Say what is to be done."}
	}
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if err := applyTask(ctx, tx, t, in); err != nil {
			return err
		}
		if _, err := tx.Insert(t).Exec(ctx); err != nil {
			return fmt.Errorf("workboards: create task: %w", err)
		}
		return audit.Record(ctx, tx, by.Who, audit.WorkboardChange, "task", t.ID, "Added the task "+t.Title)
	})
	if err != nil {
		return nil, err
	}
	vs, err := taskViews(ctx, db, []Task{*t})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// UpdateTask changes task id: whoever sees it manages it (guests included:
// they manage tasks created elsewhere).
func UpdateTask(ctx context.Context, db *store.Scoped, by By, id int64, in TaskInput) (*TaskView, error) {
	var t Task
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		var rows []Task
		if err := tasksScoped(tx, &rows, policy.WorkboardsScope(by.Actor)).Where("tk.id = ?", id).Scan(ctx); err != nil {
			return fmt.Errorf("workboards: load task %d: %w", id, err)
		}
		if len(rows) == 0 {
			return ErrNotFound
		}
		t = rows[0]
		if err := applyTask(ctx, tx, &t, in); err != nil {
			return err
		}
		t.UpdatedAt = time.Now().UTC()
		if _, err := tx.Update(&t).WherePK().ExcludeColumn("created_at", "created_by", "workboard_id", "card_id").Exec(ctx); err != nil {
			return fmt.Errorf("workboards: update task %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.WorkboardChange, "task", id, "Changed the task "+t.Title)
	})
	if err != nil {
		return nil, err
	}
	vs, err := taskViews(ctx, db, []Task{t})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

func applyTask(ctx context.Context, tx *store.Scoped, t *Task, in TaskInput) error {
	errs := valid.Errors{}
	checkName(errs, "title", in.Title, &t.Title, MaxName, "Say what is to be done.")
	if in.DueOn != nil {
		s := strings.TrimSpace(*in.DueOn)
		if s == "" {
			t.DueOn = nil
		} else if d, err := time.Parse("2006-01-02", s); err != nil || d.Year() < 2000 || d.Year() > 2100 {
			errs.Add("due_on", "Give a date as YYYY-MM-DD.")
		} else {
			t.DueOn = &s
		}
	}
	if in.Status != nil {
		if !slices.Contains(TaskStatuses, *in.Status) {
			errs.Add("status", "Choose to do, doing or done.")
		}
		t.Status = *in.Status
	}
	if in.AssigneeID != nil {
		t.AssigneeID = nonZero(*in.AssigneeID)
		if t.AssigneeID != nil {
			ps, err := persons(ctx, tx, []int64{*t.AssigneeID})
			if err != nil {
				return err
			}
			if p, ok := ps[*t.AssigneeID]; !ok || (p.Kind != policy.Member && p.Kind != policy.Guest) {
				errs.Add("assignee_id", "Choose a member or guest of the workspace.")
			}
		}
	}
	return errs.Err()
}
