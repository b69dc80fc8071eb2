package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// teamWorkProfiles are the people of the teams' work table: user 1 acts,
// in team 1 (a client team) when they may join teams; the member and the
// client also with the teams page hidden.
func teamWorkProfiles() []profile {
	var out []profile
	for _, p := range profiles() {
		a := p.actor
		if policy.MayJoinTeams(a.Kind) {
			a.Teams = []int64{1}
		}
		out = append(out, profile{p.name, a})
		if (a.Kind == policy.Member && len(a.Capabilities) == 0) || (a.Kind == policy.Client && len(a.Capabilities) == 0) {
			hidden := a
			hidden.HiddenPages = []policy.Page{policy.PageTeams, policy.PageCompanyRocks}
			out = append(out, profile{p.name + "+pages_hidden", hidden})
		}
	}
	return out
}

// TestTeamWorkTable renders who sees and changes which object of teams'
// work, who sends issues and cascades messages, and compares it with
// testdata/teamwork.golden, reviewed by hand against SPEC §6 and the client
// seed. Regenerate with: go test ./app/policy -run TestTeamWorkTable -update
func TestTeamWorkTable(t *testing.T) {
	objects := []struct {
		name string
		f    policy.TeamWorkFacts
	}{
		{"company", policy.TeamWorkFacts{OwnerID: 7}},
		{"company/own", policy.TeamWorkFacts{OwnerID: 1}},
		{"team1", policy.TeamWorkFacts{Teams: []int64{1}, OwnerID: 7}},
		{"team1/own", policy.TeamWorkFacts{Teams: []int64{1}, OwnerID: 1}},
		{"team2", policy.TeamWorkFacts{Teams: []int64{2}, OwnerID: 7}},
		{"shared2+1", policy.TeamWorkFacts{Teams: []int64{2, 1}, OwnerID: 7}},
	}
	var b strings.Builder
	b.WriteString("# profile × object → see, change (user 1 in team 1 when they may join teams; owner 7 unless own)\n")
	for _, p := range teamWorkProfiles() {
		sc := policy.TeamWork(p.actor)
		for _, o := range objects {
			see := policy.CanSeeTeamWork(p.actor, o.f)
			if see != sc.Matches(o.f) {
				t.Errorf("%s %s: CanSeeTeamWork and the scope disagree", p.name, o.name)
			}
			edit := policy.CanEditTeamWork(p.actor, o.f)
			if edit && !see {
				t.Errorf("%s %s: changes what it cannot see", p.name, o.name)
			}
			fmt.Fprintf(&b, "%-36s %-12s see=%-5v edit=%v\n", p.name, o.name, see, edit)
		}
		team1 := policy.TeamWorkFacts{Teams: []int64{1}}
		fmt.Fprintf(&b, "%-36s send team1→2 %-5v cascade to 2 %-5v rules work=%v send=%v cascade=%v company_rocks=%v\n", p.name,
			policy.CanSendIssue(p.actor, team1, 2), policy.CanCascade(p.actor, []int64{2}),
			policy.Allows(p.actor, policy.Settings{}, policy.WorkInTeams), policy.Allows(p.actor, policy.Settings{}, policy.SendIssues),
			policy.Allows(p.actor, policy.Settings{}, policy.CascadeMessages), policy.Allows(p.actor, policy.Settings{}, policy.EditCompanyRocks))
	}
	b.WriteString("\n# profile × 1:1 → may open it (user 1 as the report, as the manager, or neither)\n")
	for _, p := range teamWorkProfiles() {
		fmt.Fprintf(&b, "%-36s report %-5v manager %-5v other %v\n", p.name,
			policy.CanSeeOneOnOne(p.actor, policy.OneOnOneFacts{MemberID: 1, ManagerID: 7}),
			policy.CanSeeOneOnOne(p.actor, policy.OneOnOneFacts{MemberID: 7, ManagerID: 1}),
			policy.CanSeeOneOnOne(p.actor, policy.OneOnOneFacts{MemberID: 7, ManagerID: 8}))
	}
	b.WriteString("\n# owner kind × teams → may an object show there (several teams only for a member's)\n")
	for _, k := range policy.Kinds {
		fmt.Fprintf(&b, "%-16s one %-5v two %-5v owns in their team %-5v elsewhere %-5v sits in a seat %v\n", k, policy.CanShareInto(k, []int64{1}), policy.CanShareInto(k, []int64{1, 2}),
			policy.CanOwnIn(k, true), policy.CanOwnIn(k, false), policy.MayHoldSeat(k))
	}
	golden(t, "testdata/teamwork.golden", b.String(), "teams' work table")
}

// TestTeamWorkScopeFailsClosed: the zero scope, an anonymous actor and a
// client in no team match nothing.
func TestTeamWorkScopeFailsClosed(t *testing.T) {
	var zero policy.TeamWorkScope
	if !zero.None() || zero.Matches(policy.TeamWorkFacts{Teams: []int64{1}}) || zero.Matches(policy.TeamWorkFacts{}) {
		t.Error("the zero scope matches an object")
	}
	if s := policy.TeamWork(policy.Actor{Kind: policy.Member}); !s.None() {
		t.Errorf("an anonymous actor got %+v", s)
	}
	loner := policy.Actor{UserID: 1, TenantID: 1, Kind: policy.Client}
	if s := policy.TeamWork(loner); !s.None() || policy.CanSeeTeam(loner, 1) {
		t.Errorf("a client in no team got %+v", s)
	}
}
