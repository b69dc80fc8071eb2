package teamwork

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Comparator is how a metric's value meets its goal.
type Comparator string

// The comparators.
const (
	AtLeast Comparator = "gte"
	AtMost  Comparator = "lte"
	Exactly Comparator = "eq"
	Between Comparator = "range"
)

// Comparators lists every comparator in the order forms show them.
var Comparators = []Comparator{AtLeast, AtMost, Exactly, Between}

// Symbol is the comparator as the scorecard writes it.
func (c Comparator) Symbol() string {
	switch c {
	case AtLeast:
		return "≥"
	case AtMost:
		return "≤"
	case Exactly:
		return "="
	case Between:
		return "between"
	}
	return string(c)
}

// Source is where a metric's weekly values come from.
type Source string

// The sources: typed in, or computed by the portal from a company's data.
const (
	Manual             Source = "manual"
	TicketsOpened      Source = "tickets_opened"
	TicketsClosed      Source = "tickets_closed"
	FirstResponseHours Source = "first_response_hours"
	UnassignedLicences Source = "o365_unassigned"
)

// Sources lists every source in the order forms show them.
var Sources = []Source{Manual, TicketsOpened, TicketsClosed, FirstResponseHours, UnassignedLicences}

// Label is the source in words, with the rule that computes it.
func (s Source) Label() string {
	switch s {
	case Manual:
		return "Entered each week"
	case TicketsOpened:
		return "Tickets opened: the company's tickets created in the week"
	case TicketsClosed:
		return "Tickets closed: the company's tickets resolved or closed, by their last change in the week"
	case FirstResponseHours:
		return "First response time: for the company's tickets opened in the week, the average hours until the first note by the workspace's staff that the company may read"
	case UnassignedLicences:
		return "Office 365 unassigned licences: the company's licences nobody holds, this week"
	}
	return string(s)
}

// Fed reports whether the portal computes the values.
func (s Source) Fed() bool { return s != Manual }

// Cell is a metric's value in one week, judged against its goal.
type Cell struct {
	Week  string   `json:"week"`
	Value *float64 `json:"value"`
	Note  string   `json:"note,omitempty"`
	// Met: the value meets the goal (green); false with a value is red.
	Met bool `json:"met"`
}

// MetricView is a metric as its reader sees it, with its trailing weeks.
type MetricView struct {
	ID         int64      `json:"id"`
	Title      string     `json:"title"`
	Team       Ref        `json:"team"`
	SharedWith []Ref      `json:"shared_with"`
	Owner      *Person    `json:"owner"`
	Unit       string     `json:"unit"`
	Comparator Comparator `json:"comparator"`
	Goal       float64    `json:"goal"`
	GoalMax    *float64   `json:"goal_max,omitempty"`
	Source     Source     `json:"source"`
	Company    *Ref       `json:"company,omitempty"`
	// Weeks are the trailing weeks, oldest first, the current week last.
	Weeks []Cell `json:"weeks"`
	// Average and Total are over the weeks with a value.
	Average *float64 `json:"average"`
	Total   float64  `json:"total"`
	// RedStreak: the last two weeks with a value both missed the goal,
	// offered as an issue.
	RedStreak bool `json:"red_streak"`
	CanEdit   bool `json:"-"`
}

// GoalLabel is the goal as the scorecard writes it: "≤ 2 h".
func (v MetricView) GoalLabel() string {
	unit := ""
	if v.Unit != "" {
		unit = " " + v.Unit
	}
	if v.Comparator == Between && v.GoalMax != nil {
		return FormatValue(v.Goal) + "–" + FormatValue(*v.GoalMax) + unit
	}
	return v.Comparator.Symbol() + " " + FormatValue(v.Goal) + unit
}

// FormatValue writes a value with at most two decimals and no trailing zeros.
func FormatValue(f float64) string { return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64) }

// Meets reports whether value meets the goal of m.
func (m *Metric) Meets(value float64) bool {
	switch m.Comparator {
	case AtLeast:
		return value >= m.Goal
	case AtMost:
		return value <= m.Goal
	case Exactly:
		return value == m.Goal
	case Between:
		return m.GoalMax != nil && value >= m.Goal && value <= *m.GoalMax
	}
	return false
}

// MetricInput is what a create or change sets; nil leaves a field as it
// is. TeamID is read on create only.
type MetricInput struct {
	TeamID        int64       `json:"team_id,omitempty"`
	Title         *string     `json:"title,omitempty"`
	OwnerID       *int64      `json:"owner_id,omitempty"`
	Unit          *string     `json:"unit,omitempty"`
	Comparator    *Comparator `json:"comparator,omitempty"`
	Goal          *float64    `json:"goal,omitempty"`
	GoalMax       *float64    `json:"goal_max,omitempty"`
	Source        *Source     `json:"source,omitempty"`
	CompanyID     *int64      `json:"company_id,omitempty"`
	SharedTeamIDs *[]int64    `json:"shared_team_ids,omitempty"`
}

// MetricQuery asks for the metrics shown in one team, or all in scope.
type MetricQuery struct {
	TeamID int64
	// Now is the time the trailing weeks end at (the zero value: now).
	Now time.Time
}

// MetricSorts: in the team's order, then the order they were added.
var MetricSorts = store.Sorts{{Name: "position", Label: "Scorecard order", ID: "m.id"}}

func (m *Metric) teams(shares []int64) []int64 { return append([]int64{m.TeamID}, shares...) }

func (m *Metric) facts(shares []int64) policy.TeamWorkFacts {
	return policy.TeamWorkFacts{Teams: m.teams(shares), OwnerID: deref(m.OwnerID)}
}

// Metrics returns one page of the metrics in a's scope mq asks for, with
// their trailing weeks.
func Metrics(ctx context.Context, db *store.Scoped, a policy.Actor, mq MetricQuery, p store.Page) ([]MetricView, string, error) {
	q := scoped(db, (*Metric)(nil), policy.TeamWork(a), metricsTable)
	if mq.TeamID != 0 {
		q = inTeam(q, metricsTable, db.TenantID(), mq.TeamID)
	}
	var rows []Metric
	next, err := pageOf(ctx, q, &rows, MetricSorts[0], "metrics", p, func(m Metric) (string, int64) { return "", m.ID })
	if err != nil {
		return nil, "", err
	}
	views, err := metricViews(ctx, db, a, rows, mq.Now)
	return views, next, err
}

// GetMetric loads metric id as a sees it, with its trailing weeks to now.
func GetMetric(ctx context.Context, db *store.Scoped, a policy.Actor, id int64, now time.Time) (*MetricView, error) {
	row, err := loadMetric(ctx, db, a, id)
	return viewOne(row, err, func(rs []Metric) ([]MetricView, error) { return metricViews(ctx, db, a, rs, now) })
}

func loadMetric(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Metric, error) {
	return loadOne[Metric](ctx, db, a, metricsTable, id)
}

// weeks are the TrailingWeeks Mondays ending with now's, oldest first.
func weeks(now time.Time) []string {
	if now.IsZero() {
		now = time.Now()
	}
	start, _ := time.Parse(DateLayout, WeekOf(now))
	out := make([]string, TrailingWeeks)
	for i := range out {
		out[i] = start.AddDate(0, 0, -7*(TrailingWeeks-1-i)).Format(DateLayout)
	}
	return out
}

func metricViews(ctx context.Context, db *store.Scoped, a policy.Actor, rows []Metric, now time.Time) ([]MetricView, error) {
	ws := weeks(now)
	ids, users, teams, companies := []int64{}, []int64{}, []int64{}, []int64{}
	for _, m := range rows {
		ids, teams = append(ids, m.ID), append(teams, m.TeamID)
		users = append(users, deref(m.OwnerID))
		companies = append(companies, deref(m.CompanyID))
	}
	shares, err := sharesOf(ctx, db, metricsTable, ids)
	if err != nil {
		return nil, err
	}
	for _, s := range shares {
		teams = append(teams, s...)
	}
	var values []Value
	if len(ids) > 0 {
		if err := db.Select(&values).Where("mv.metric_id IN (?)", bun.In(ids)).Where("mv.week >= ?", ws[0]).Scan(ctx); err != nil {
			return nil, fmt.Errorf("teamwork: metric values: %w", err)
		}
	}
	n, err := loadNames(ctx, db, users, teams)
	if err != nil {
		return nil, err
	}
	cnames, err := companyNames(ctx, db, companies)
	if err != nil {
		return nil, err
	}
	out := make([]MetricView, 0, len(rows))
	for _, m := range rows {
		v := MetricView{ID: m.ID, Title: m.Title, Team: n.team(m.TeamID), SharedWith: n.teamList(shares[m.ID]), Owner: n.user(m.OwnerID),
			Unit: m.Unit, Comparator: m.Comparator, Goal: m.Goal, GoalMax: m.GoalMax, Source: m.Source,
			CanEdit: policy.CanEditTeamWork(a, m.facts(shares[m.ID]))}
		if m.CompanyID != nil {
			v.Company = &Ref{ID: *m.CompanyID, Name: cnames[*m.CompanyID]}
		}
		byWeek := map[string]Value{}
		if m.Source.Fed() {
			if byWeek, err = fedValues(ctx, db, &m, ws); err != nil {
				return nil, err
			}
		} else {
			for _, val := range values {
				if val.MetricID == m.ID {
					byWeek[val.Week] = val
				}
			}
		}
		v.Weeks, v.Average, v.Total, v.RedStreak = cells(&m, ws, byWeek)
		out = append(out, v)
	}
	return out, nil
}

// cells judge the values of ws against m's goal, with their average and
// total and whether the last two weeks with a value were both red.
func cells(m *Metric, ws []string, byWeek map[string]Value) ([]Cell, *float64, float64, bool) {
	out := make([]Cell, 0, len(ws))
	var total float64
	var counted int
	var reds []bool
	for _, w := range ws {
		c := Cell{Week: w}
		if val, ok := byWeek[w]; ok {
			x := val.Value
			c.Value, c.Note, c.Met = &x, val.Note, m.Meets(x)
			total += x
			counted++
			reds = append(reds, !c.Met)
		}
		out = append(out, c)
	}
	var avg *float64
	if counted > 0 {
		x := math.Round(total/float64(counted)*100) / 100
		avg = &x
	}
	streak := len(reds) >= 2 && reds[len(reds)-1] && reds[len(reds)-2]
	return out, avg, math.Round(total*100) / 100, streak
}

func companyNames(ctx context.Context, db *store.Scoped, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	ids = slices.DeleteFunc(uniq(ids), func(id int64) bool { return id == 0 })
	if len(ids) == 0 {
		return out, nil
	}
	var rows []teamName
	if err := db.RawRead("SELECT id, name FROM companies WHERE tenant_id = ? AND id IN (?)", db.TenantID(), bun.In(ids)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("teamwork: company names: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// CreateMetric adds a metric to team in.TeamID and returns it.
func CreateMetric(ctx context.Context, db *store.Scoped, by By, in MetricInput) (*MetricView, error) {
	now := time.Now().UTC()
	m := &Metric{TeamID: in.TeamID, Comparator: AtLeast, Source: Manual, OwnerID: nonZero(by.Actor.UserID),
		CreatedBy: nonZero(by.Actor.UserID), CreatedAt: now, UpdatedAt: now}
	if err := canAddTo(by.Actor, in.TeamID); err != nil {
		return nil, err
	}
	switch {
	case in.Title == nil:
		return nil, valid.Errors{"title": "Give the metric a title."}
	case in.Goal == nil:
		return nil, valid.Errors{"goal": "Give the metric a goal."}
	}
	var id int64
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		shares, err := applyMetric(ctx, tx, by.Actor, m, nil, in)
		if err != nil {
			return err
		}
		if _, err := tx.Insert(m).Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: create metric: %w", err)
		}
		id = m.ID
		if err := saveMetricShares(ctx, tx, id, shares); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by.Who, audit.MetricChange, "metric", id, "Added "+m.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetMetric(ctx, db, by.Actor, id, now)
}

// canAddTo says whether a may add work to team teamID: ErrForbidden when
// they see the team but may not, a field error when they cannot see it.
func canAddTo(a policy.Actor, teamID int64) error {
	f := policy.TeamWorkFacts{Teams: []int64{teamID}}
	switch {
	case teamID != 0 && policy.CanEditTeamWork(a, f):
		return nil
	case teamID != 0 && policy.CanSeeTeamWork(a, f):
		return ErrForbidden
	}
	return valid.Errors{"team_id": "Choose one of your teams."}
}

// UpdateMetric changes the fields in sets of metric id and returns it.
func UpdateMetric(ctx context.Context, db *store.Scoped, by By, id int64, in MetricInput) (*MetricView, error) {
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		m, old, err := editableMetric(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		shares, err := applyMetric(ctx, tx, by.Actor, m, old, in)
		if err != nil {
			return err
		}
		m.UpdatedAt = time.Now().UTC()
		if _, err := tx.Update(m).WherePK().ExcludeColumn("created_at", "created_by", "team_id").Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: update metric %d: %w", id, err)
		}
		if in.SharedTeamIDs != nil {
			if err := saveMetricShares(ctx, tx, id, shares); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, by.Who, audit.MetricChange, "metric", id, "Changed "+m.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetMetric(ctx, db, by.Actor, id, time.Now())
}

// DeleteMetric removes metric id with its values, from every team.
func DeleteMetric(ctx context.Context, db *store.Scoped, by By, id int64) error {
	return deleteOne(ctx, db, by, metricsTable, id, audit.MetricChange, func(ctx context.Context, tx *store.Scoped, m *Metric) (policy.TeamWorkFacts, error) {
		shares, err := sharesOf(ctx, tx, metricsTable, []int64{m.ID})
		return m.facts(shares[m.ID]), err
	}, func(m *Metric) string { return m.Title })
}

// editableMetric loads metric id with its shares, when a may change it.
func editableMetric(ctx context.Context, tx *store.Scoped, a policy.Actor, id int64) (*Metric, []int64, error) {
	m, err := loadMetric(ctx, tx, a, id)
	if err != nil {
		return nil, nil, err
	}
	shares, err := sharesOf(ctx, tx, metricsTable, []int64{id})
	if err != nil {
		return nil, nil, err
	}
	if !policy.CanEditTeamWork(a, m.facts(shares[id])) {
		return nil, nil, ErrForbidden
	}
	return m, shares[id], nil
}

// ValueInput is a week's value of a metric; a nil Value clears the week.
type ValueInput struct {
	Week  string   `json:"week"`
	Value *float64 `json:"value"`
	Note  *string  `json:"note,omitempty"`
}

// SetValue enters (or clears) metric id's value of a week, once for every
// team the metric shows in, and returns the metric.
func SetValue(ctx context.Context, db *store.Scoped, by By, id int64, in ValueInput) (*MetricView, error) {
	errs := valid.Errors{}
	var week string
	date(errs, "week", &in.Week, &week)
	if week != "" {
		t, _ := time.Parse(DateLayout, week)
		week = WeekOf(t)
	}
	if in.Value != nil && (math.IsNaN(*in.Value) || math.IsInf(*in.Value, 0) || math.Abs(*in.Value) > 1e12) {
		errs.Add("value", "Give a number.")
	}
	var note string
	text(errs, "note", in.Note, &note, MaxNote)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var title string
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		m, _, err := editableMetric(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if m.Source.Fed() {
			return valid.Errors{"value": "The portal computes this metric's values; they cannot be typed in."}
		}
		title = m.Title
		if _, err := tx.Delete((*Value)(nil)).Where("mv.metric_id = ? AND mv.week = ?", id, week).Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: clear value: %w", err)
		}
		summary := "Cleared the value of " + week
		if in.Value != nil {
			v := &Value{MetricID: id, Week: week, Value: *in.Value, Note: note, EnteredBy: nonZero(by.Actor.UserID), UpdatedAt: time.Now().UTC()}
			if _, err := tx.Insert(v).Exec(ctx); err != nil {
				return fmt.Errorf("teamwork: enter value: %w", err)
			}
			summary = "Entered " + FormatValue(*in.Value) + " for " + week
		}
		return audit.Record(ctx, tx, by.Who, audit.MetricChange, "metric", id, summary+" of "+title)
	})
	if err != nil {
		return nil, err
	}
	t, _ := time.Parse(DateLayout, week)
	now := time.Now()
	if t.After(now) {
		now = t
	}
	return GetMetric(ctx, db, by.Actor, id, now)
}

// applyMetric checks in and writes it to m; it returns the shares m has afterwards.
func applyMetric(ctx context.Context, tx *store.Scoped, a policy.Actor, m *Metric, old []int64, in MetricInput) ([]MetricShare, error) {
	errs := valid.Errors{}
	line(errs, "title", in.Title, &m.Title, MaxTitle, "Give the metric a title.")
	line(errs, "unit", in.Unit, &m.Unit, MaxUnit, "")
	if in.Comparator != nil {
		if !slices.Contains(Comparators, *in.Comparator) {
			errs.Add("comparator", "Choose at least, at most, exactly or between.")
		}
		m.Comparator = *in.Comparator
	}
	for field, f := range map[string]*float64{"goal": in.Goal, "goal_max": in.GoalMax} {
		if f != nil && (math.IsNaN(*f) || math.IsInf(*f, 0) || math.Abs(*f) > 1e12) {
			errs.Add(field, "Give a number.")
		}
	}
	if in.Goal != nil {
		m.Goal = *in.Goal
	}
	if in.GoalMax != nil {
		m.GoalMax = in.GoalMax
	}
	if m.Comparator == Between && (m.GoalMax == nil || *m.GoalMax < m.Goal) {
		errs.Add("goal_max", "Give the top of the range, at least the goal.")
	}
	if m.Comparator != Between {
		m.GoalMax = nil
	}
	if in.Source != nil {
		if !slices.Contains(Sources, *in.Source) {
			errs.Add("source", "Choose where the values come from.")
		}
		m.Source = *in.Source
	}
	if in.CompanyID != nil {
		m.CompanyID = nonZero(*in.CompanyID)
	}
	if m.Source.Fed() {
		if m.CompanyID == nil {
			errs.Add("company_id", "Choose the company whose data feeds the metric.")
		} else if names, err := companyNames(ctx, tx, []int64{*m.CompanyID}); err != nil {
			return nil, err
		} else if _, ok := names[*m.CompanyID]; !ok {
			errs.Add("company_id", "Choose a company from the list.")
		}
	} else {
		m.CompanyID = nil
	}
	shares := old
	if in.SharedTeamIDs != nil {
		shares = slices.DeleteFunc(uniq(*in.SharedTeamIDs), func(t int64) bool { return t == m.TeamID })
		added := slices.DeleteFunc(slices.Clone(shares), func(t int64) bool { return slices.Contains(old, t) })
		msg, err := checkTeams(ctx, tx, a, added)
		if err != nil {
			return nil, err
		}
		if msg != "" {
			errs.Add("shared_team_ids", msg)
		}
	}
	if in.OwnerID != nil {
		m.OwnerID = nonZero(*in.OwnerID)
	}
	var kind policy.Kind
	if m.OwnerID != nil {
		k, msg, err := checkOwner(ctx, tx, *m.OwnerID, m.teams(shares))
		if err != nil {
			return nil, err
		}
		if msg != "" && (in.OwnerID != nil || in.SharedTeamIDs != nil) {
			errs.Add("owner_id", msg)
		}
		kind = k
	}
	if !policy.CanShareInto(kind, m.teams(shares)) {
		errs.Add("shared_team_ids", "Only a metric owned by a member of the workspace is shared into other teams.")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	rows := make([]MetricShare, 0, len(shares))
	for _, t := range shares {
		rows = append(rows, MetricShare{TeamID: t})
	}
	return rows, nil
}

func saveMetricShares(ctx context.Context, tx *store.Scoped, id int64, rows []MetricShare) error {
	for i := range rows {
		rows[i].MetricID = id
	}
	return saveShares(ctx, tx, "ms.metric_id = ?", id, rows)
}
