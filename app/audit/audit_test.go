package audit_test

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/store/storetest"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

type env struct {
	db *store.DB
	s  *store.Scoped
}

func newEnv(t *testing.T) *env {
	t.Helper()
	d := storetest.New(t)
	return &env{db: d.DB, s: d.Acme}
}

func (e *env) tenant(t *testing.T, slug string) int64 {
	t.Helper()
	return (&storetest.DB{DB: e.db}).NewTenant(t, slug).ID
}

func member(t *testing.T, s *store.Scoped, email string) *people.User {
	t.Helper()
	u, err := people.CreateUser(context.Background(), s, people.NewUser{Email: email, Kind: policy.Member, Status: people.Active})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func record(t *testing.T, s *store.Scoped, who audit.Who, action audit.Action, objectID int64, summary string) {
	t.Helper()
	if err := audit.Record(context.Background(), s, who, action, "user", objectID, summary); err != nil {
		t.Fatal(err)
	}
}

func TestRecordStoresEveryField(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin := member(t, e.s, "admin@acme.test")
	target := member(t, e.s, "target@acme.test")
	before := time.Now().UTC().Add(-time.Second)

	record(t, e.s, audit.Who{ActorID: target.ID, ImpersonatorID: admin.ID, Address: "2001:db8::1"}, audit.UserChange, target.ID, "changed the phone while previewed")
	record(t, e.s, audit.Who{Address: "192.0.2.1"}, audit.LoginFailed, 0, "failed sign-in for nobody@acme.test")

	got, next, err := audit.List(ctx, e.s, audit.Filter{Scope: auditScope(e.s)})
	if err != nil {
		t.Fatal(err)
	}
	if next != 0 || len(got) != 2 {
		t.Fatalf("%d entries, next %d; want 2, 0", len(got), next)
	}
	failed, change := got[0], got[1] // newest first
	if change.Action != audit.UserChange || change.ObjectType != "user" || change.ObjectID == nil || *change.ObjectID != target.ID ||
		change.ActorID == nil || *change.ActorID != target.ID || change.ImpersonatorID == nil || *change.ImpersonatorID != admin.ID ||
		change.Address != "2001:db8::1" || change.Summary != "changed the phone while previewed" || change.TenantID != e.s.TenantID() {
		t.Errorf("entry %+v", change)
	}
	if change.At.Before(before) || change.At.After(time.Now().UTC().Add(time.Second)) {
		t.Errorf("entry time %v, want now", change.At)
	}
	// Zero IDs are stored as NULL, not as 0 (which would name no user).
	if failed.ActorID != nil || failed.ImpersonatorID != nil || failed.ObjectID != nil || failed.Action != audit.LoginFailed {
		t.Errorf("anonymous entry %+v", failed)
	}
	var nulls int
	if err := e.db.R.QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE actor_id IS NULL AND impersonator_id IS NULL AND object_id IS NULL").Scan(&nulls); err != nil || nulls != 1 {
		t.Errorf("%d rows with NULL ids (err %v), want 1", nulls, err)
	}
}

func TestRecordJoinsTheActionsTransaction(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	boom := fmt.Errorf("the action failed")
	err := e.s.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if err := audit.Record(ctx, tx, audit.Who{}, audit.SettingsChange, "tenant", 0, "changed a setting"); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("tx err %v", err)
	}
	if got, _, err := audit.List(ctx, e.s, audit.Filter{Scope: auditScope(e.s)}); err != nil || len(got) != 0 {
		t.Errorf("entries after a rolled-back action: %+v (err %v)", got, err)
	}
}

func TestRecordRefusesAnotherTenantsActor(t *testing.T) {
	e := newEnv(t)
	other := e.db.Tenant(e.tenant(t, "globex"))
	stranger := member(t, other, "stranger@globex.test")
	if err := audit.Record(context.Background(), e.s, audit.Who{ActorID: stranger.ID}, audit.Login, "user", stranger.ID, "x"); err == nil {
		t.Error("an entry named another tenant's user as its actor")
	}
}

// seed writes one entry per row, one second apart, oldest first, with
// fixed times so that Since and Until can be tested exactly.
func seed(t *testing.T, e *env) (ids map[string]int64, users [2]*people.User, t0 time.Time) {
	t.Helper()
	ctx := context.Background()
	users = [2]*people.User{member(t, e.s, "ada@acme.test"), member(t, e.s, "bob@acme.test")}
	t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	rows := []struct {
		key    string
		actor  int
		action audit.Action
		sum    string
	}{
		{"login-ada", 0, audit.Login, "ada@acme.test signed in"},
		{"invite", 0, audit.Invite, "invited carol@acme.test as member"},
		{"caps", 0, audit.CapabilityChange, "capabilities of bob@acme.test: none → super_admin"},
		{"login-bob", 1, audit.Login, "bob@acme.test signed in"},
		{"pages", 1, audit.PageAccessChange, "hidden pages of ada@acme.test: 100% of tickets"},
		{"team", 1, audit.TeamChange, "renamed team Ops to Operations"},
	}
	ids = map[string]int64{}
	for i, r := range rows {
		en := &audit.Entry{
			At: t0.Add(time.Duration(i) * time.Second), ActorID: &users[r.actor].ID, Action: r.action,
			ObjectType: "user", Summary: r.sum,
		}
		if _, err := e.s.Insert(en).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		ids[r.key] = en.ID
	}
	return ids, users, t0
}

func TestListFilters(t *testing.T) {
	tests := []struct {
		name   string
		filter func(users [2]*people.User, t0 time.Time) audit.Filter
		want   []string // keys, newest first
	}{
		{"everything, newest first", func([2]*people.User, time.Time) audit.Filter { return audit.Filter{} },
			[]string{"team", "pages", "login-bob", "caps", "invite", "login-ada"}},
		{"an exact action", func([2]*people.User, time.Time) audit.Filter { return audit.Filter{Action: "login"} },
			[]string{"login-bob", "login-ada"}},
		{"an exact action is not a prefix", func([2]*people.User, time.Time) audit.Filter { return audit.Filter{Action: "user"} },
			nil},
		{"a prefix", func([2]*people.User, time.Time) audit.Filter { return audit.Filter{Action: "user."} },
			[]string{"pages", "caps", "invite"}},
		{"an actor", func(u [2]*people.User, _ time.Time) audit.Filter { return audit.Filter{ActorID: u[1].ID} },
			[]string{"team", "pages", "login-bob"}},
		{"since is inclusive", func(_ [2]*people.User, t0 time.Time) audit.Filter {
			return audit.Filter{Since: t0.Add(4 * time.Second)}
		},
			[]string{"team", "pages"}},
		{"until is exclusive", func(_ [2]*people.User, t0 time.Time) audit.Filter {
			return audit.Filter{Until: t0.Add(2 * time.Second)}
		},
			[]string{"invite", "login-ada"}},
		{"since and until in another zone", func(_ [2]*people.User, t0 time.Time) audit.Filter {
			z := time.FixedZone("UTC+5", 5*3600)
			return audit.Filter{Since: t0.Add(time.Second).In(z), Until: t0.Add(3 * time.Second).In(z)}
		}, []string{"caps", "invite"}},
		{"a query, any case", func([2]*people.User, time.Time) audit.Filter { return audit.Filter{Query: "SIGNED IN"} },
			[]string{"login-bob", "login-ada"}},
		{"a query with an underscore", func([2]*people.User, time.Time) audit.Filter { return audit.Filter{Query: "super_admin"} },
			[]string{"caps"}},
		{"an underscore is not a wildcard", func([2]*people.User, time.Time) audit.Filter { return audit.Filter{Query: "ops_to"} },
			nil},
		{"a percent sign is literal", func([2]*people.User, time.Time) audit.Filter { return audit.Filter{Query: "100%"} },
			[]string{"pages"}},
		{"a percent sign is not a wildcard", func([2]*people.User, time.Time) audit.Filter { return audit.Filter{Query: "ada%tickets"} },
			nil},
		{"filters combine", func(u [2]*people.User, _ time.Time) audit.Filter {
			return audit.Filter{Action: "login", ActorID: u[0].ID, Query: "ada"}
		}, []string{"login-ada"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ids, users, t0 := seed(t, e)
			keyOf := map[int64]string{}
			for k, id := range ids {
				keyOf[id] = k
			}
			f := tt.filter(users, t0)
			f.Scope = auditScope(e.s)
			got, next, err := audit.List(context.Background(), e.s, f)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, en := range got {
				keys = append(keys, keyOf[en.ID])
			}
			if !slices.Equal(keys, tt.want) || next != 0 {
				t.Errorf("got %v (next %d), want %v", keys, next, tt.want)
			}
		})
	}
}

func TestListPages(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	ids, _, _ := seed(t, e)
	var seen []int64
	var before int64
	for page := 0; ; page++ {
		got, next, err := audit.List(ctx, e.s, audit.Filter{Scope: auditScope(e.s), Limit: 4, Before: before})
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range got {
			seen = append(seen, en.ID)
		}
		if page == 0 && (len(got) != 4 || next != got[3].ID) {
			t.Fatalf("first page: %d entries, next %d", len(got), next)
		}
		if next == 0 {
			if page != 1 || len(got) != 2 {
				t.Errorf("last page %d holds %d entries, want page 1 with 2", page, len(got))
			}
			break
		}
		before = next
	}
	want := []int64{ids["team"], ids["pages"], ids["login-bob"], ids["caps"], ids["invite"], ids["login-ada"]}
	if !slices.Equal(seen, want) {
		t.Errorf("pages gave %v, want %v", seen, want)
	}

	// An exact fit has no next page.
	if got, next, err := audit.List(ctx, e.s, audit.Filter{Scope: auditScope(e.s), Limit: 6}); err != nil || len(got) != 6 || next != 0 {
		t.Errorf("limit 6 of 6: %d entries, next %d, err %v", len(got), next, err)
	}
}

func TestListLimitDefaults(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	err := e.s.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		for i := range 101 {
			if err := audit.Record(ctx, tx, audit.Who{}, audit.Login, "user", 0, fmt.Sprintf("entry %d", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{0, -1, audit.MaxLimit + 1} {
		got, next, err := audit.List(ctx, e.s, audit.Filter{Scope: auditScope(e.s), Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 100 || next != got[99].ID || got[0].Summary != "entry 100" {
			t.Errorf("limit %d: %d entries, next %d, first %q; want the newest 100", limit, len(got), next, got[0].Summary)
		}
	}
	if got, _, err := audit.List(ctx, e.s, audit.Filter{Scope: auditScope(e.s), Limit: audit.MaxLimit}); err != nil || len(got) != 101 {
		t.Errorf("limit %d: %d entries (err %v), want all 101", audit.MaxLimit, len(got), err)
	}
}

func TestListStaysInItsTenant(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	other := e.db.Tenant(e.tenant(t, "globex"))
	stranger := member(t, other, "stranger@globex.test")
	record(t, other, audit.Who{ActorID: stranger.ID}, audit.Login, stranger.ID, "CANARY-GLOBEX signed in")
	record(t, e.s, audit.Who{}, audit.Login, 0, "acme entry")

	for _, f := range []audit.Filter{{}, {Query: "canary"}, {ActorID: stranger.ID}, {Action: "login"}} {
		f.Scope = auditScope(e.s)
		got, _, err := audit.List(ctx, e.s, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range got {
			if strings.Contains(en.Summary, "CANARY") || en.TenantID != e.s.TenantID() {
				t.Errorf("filter %+v: acme sees %+v", f, en)
			}
		}
	}
	got, _, err := audit.List(ctx, other, audit.Filter{Scope: auditScope(other)})
	if err != nil || len(got) != 1 || got[0].Summary != "CANARY-GLOBEX signed in" {
		t.Errorf("globex sees %+v (err %v)", got, err)
	}
}

// The log is append-only: no code in app/ updates or deletes its rows. A
// change that adds such a query fails here and has to explain itself.
func TestNothingUpdatesOrDeletesTheLog(t *testing.T) {
	rawSQL := regexp.MustCompile(`(?i)(UPDATE\s+audit_log|DELETE\s+FROM\s+audit_log)`)
	fset := token.NewFileSet()
	var checked int
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		checked++
		inAudit := f.Name.Name == "audit"
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind == token.STRING && rawSQL.MatchString(n.Value) {
					t.Errorf("%s: SQL that changes the audit log: %s", fset.Position(n.Pos()), n.Value)
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || len(n.Args) == 0 || !slices.Contains([]string{"Update", "Delete", "NewUpdate", "NewDelete"}, sel.Sel.Name) {
					return true
				}
				arg := exprString(n.Args[0])
				if strings.Contains(arg, "audit.Entry") || (inAudit && strings.Contains(arg, "Entry")) {
					t.Errorf("%s: %s(%s) changes the audit log", fset.Position(n.Pos()), sel.Sel.Name, arg)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked only %d files; is the walk rooted at app/?", checked)
	}
}

func exprString(e ast.Expr) string {
	var b strings.Builder
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(id.Name)
		}
		return true
	})
	return b.String()
}

// auditScope is the whole audit log of db's tenant, as its operator reads it.
func auditScope(db *store.Scoped) policy.Scope {
	return policy.AuditScope(policy.Operator(db.TenantID()))
}

// TestListFailsClosed: without a scope, with a scope of another tenant or
// with the scope of someone who may not read the log, nothing is listed.
func TestListFailsClosed(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	record(t, e.s, audit.Who{}, audit.Login, 0, "an entry")
	other := e.db.Tenant(e.tenant(t, "globex"))
	member := policy.Actor{UserID: 5, TenantID: e.s.TenantID(), Kind: policy.Member}
	for name, sc := range map[string]policy.Scope{
		"no scope":               {},
		"another tenant's scope": auditScope(other),
		"a plain member's scope": policy.AuditScope(member),
	} {
		got, _, err := audit.List(ctx, e.s, audit.Filter{Scope: sc})
		if err != nil || len(got) != 0 {
			t.Errorf("%s: %d entries, %v", name, len(got), err)
		}
	}
	if got, _, err := audit.List(ctx, e.s, audit.Filter{Scope: auditScope(e.s)}); err != nil || len(got) != 1 {
		t.Errorf("the operator's scope: %d entries, %v", len(got), err)
	}
}

// TestActionPrefixIsLiteral: an action prefix ending in "." is matched as
// written; "_", "%" and "\" in it are not LIKE's wildcards or escape.
func TestActionPrefixIsLiteral(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	u := member(t, e.s, "ada@acme.test")
	for _, a := range []audit.Action{"user.invite", "userxinvite.x", `a\b.y`, `a\\b.y`, "a_b.z", "axb.z", "100%.w", "1000.w"} {
		if _, err := e.s.Insert(&audit.Entry{At: time.Now().UTC(), ActorID: &u.ID, Action: a, ObjectType: "user", Summary: string(a)}).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"user.", []string{"user.invite"}},
		{"user_invite.", nil},
		{"a_b.", []string{"a_b.z"}},
		{`a\b.`, []string{`a\b.y`}},
		{"100%.", []string{"100%.w"}},
		{"%.", nil},
		{"_.", nil},
	}
	for _, tt := range tests {
		got, _, err := audit.List(ctx, e.s, audit.Filter{Scope: auditScope(e.s), Action: tt.prefix})
		if err != nil {
			t.Fatalf("%q: %v", tt.prefix, err)
		}
		var actions []string
		for _, en := range got {
			actions = append(actions, string(en.Action))
		}
		if !slices.Equal(actions, tt.want) {
			t.Errorf("prefix %q matched %q, want %q", tt.prefix, actions, tt.want)
		}
	}
}

// TestListPreviewFilters: "previewed by" an admin is what was written
// while they previewed someone and their own records of starting and
// ending the preview; "any preview" is every preview's; entries outside
// a preview are in neither.
func TestListPreviewFilters(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	ada, alan, tess := member(t, e.s, "ada@acme.test"), member(t, e.s, "alan@acme.test"), member(t, e.s, "tess@acme.test")
	record(t, e.s, audit.Who{ActorID: ada.ID}, audit.Login, ada.ID, "ada signed in")
	record(t, e.s, audit.Who{ActorID: ada.ID}, audit.PreviewStart, tess.ID, "started a preview as tess")
	record(t, e.s, audit.Who{ActorID: tess.ID, ImpersonatorID: ada.ID}, audit.TicketCreate, 1, "opened a ticket")
	record(t, e.s, audit.Who{ActorID: ada.ID}, audit.PreviewEnd, tess.ID, "ended a preview (exit)")
	record(t, e.s, audit.Who{ActorID: tess.ID}, audit.TicketCreate, 2, "tess on her own")
	record(t, e.s, audit.Who{ActorID: alan.ID}, audit.PreviewStart, tess.ID, "alan started a preview as tess")
	record(t, e.s, audit.Who{ActorID: ada.ID}, audit.UserChange, tess.ID, "ada changed tess")

	summaries := func(f audit.Filter) []string {
		t.Helper()
		f.Scope, f.Oldest = auditScope(e.s), true
		got, _, err := audit.List(ctx, e.s, f)
		if err != nil {
			t.Fatal(err)
		}
		n, err := audit.Count(ctx, e.s, f)
		if err != nil || n != len(got) {
			t.Errorf("count %d (%v), list %d", n, err, len(got))
		}
		var out []string
		for _, en := range got {
			out = append(out, en.Summary)
		}
		return out
	}
	for name, tt := range map[string]struct {
		f    audit.Filter
		want []string
	}{
		"previewed by ada":  {audit.Filter{ImpersonatorID: ada.ID}, []string{"started a preview as tess", "opened a ticket", "ended a preview (exit)"}},
		"previewed by alan": {audit.Filter{ImpersonatorID: alan.ID}, []string{"alan started a preview as tess"}},
		"previewed by tess": {audit.Filter{ImpersonatorID: tess.ID}, nil},
		"any preview":       {audit.Filter{Previews: true}, []string{"started a preview as tess", "opened a ticket", "ended a preview (exit)", "alan started a preview as tess"}},
		"with an action":    {audit.Filter{ImpersonatorID: ada.ID, Action: "ticket."}, []string{"opened a ticket"}},
		"both at once":      {audit.Filter{ImpersonatorID: ada.ID, Previews: true, Action: "preview."}, []string{"started a preview as tess", "ended a preview (exit)"}},
	} {
		if got := summaries(tt.f); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", name, got, tt.want)
		}
	}

	ids, err := audit.Impersonators(ctx, e.s, auditScope(e.s))
	if err != nil || !slices.Equal(ids, []int64{alan.ID, ada.ID}) {
		t.Errorf("impersonators %v (%v), want alan then ada: %v", ids, err, []int64{alan.ID, ada.ID})
	}
	// Another tenant's previews, and a scope that reads nothing, name nobody.
	other := e.db.Tenant(e.tenant(t, "globex"))
	admin, target := member(t, other, "admin@globex.test"), member(t, other, "user@globex.test")
	record(t, other, audit.Who{ActorID: target.ID, ImpersonatorID: admin.ID}, audit.TicketCreate, 3, "globex write")
	if ids, err := audit.Impersonators(ctx, e.s, auditScope(e.s)); err != nil || slices.Contains(ids, admin.ID) {
		t.Errorf("acme's impersonators %v (%v) include globex's admin", ids, err)
	}
	if ids, err := audit.Impersonators(ctx, other, auditScope(other)); err != nil || !slices.Equal(ids, []int64{admin.ID}) {
		t.Errorf("globex's impersonators %v (%v)", ids, err)
	}
	if ids, err := audit.Impersonators(ctx, e.s, policy.Scope{}); err != nil || len(ids) != 0 {
		t.Errorf("no scope: %v (%v)", ids, err)
	}
}
