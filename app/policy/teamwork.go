package policy

import "slices"

// The work of teams (SPEC §6, page teams): rocks, scorecard metrics,
// issues, to-dos and messages. Each object shows in one or more teams; a
// rock or a metric may instead be the company's own (a company rock), and
// a rock or a metric owned by a member may be shared into several teams,
// client teams included: one object shown in each.
//
// Who sees what:
//   - members with the teams page see the work of every team; company
//     rocks too, with the company rocks page;
//   - clients see the work of the teams they belong to, and nothing of the
//     company's own (SPEC §4.1: "only the teams they belong to");
//   - guests and external users see none of it.
//
// Who changes what (the client seed's "full functionality" in their
// teams):
//   - members change the work of every team;
//   - clients change an object only when every team it shows in is one of
//     theirs: a client never changes what a team they are not in sees, so a
//     rock shared from Service Desk into their team is theirs to read, and
//     its owner's to update;
//   - company rocks are set by strategy admins and super admins; a rock's
//     owner updates their own rock wherever it is;
//   - sending an issue to another team and cascading a message to other
//     teams are for members only (SPEC §6: "not for clients").

// ReadTeamWork covers reading teams' work through the API: anyone whose
// scope of it is not empty (TeamWork). Which objects is the scope's.
const ReadTeamWork Rule = "teams.read_work"

// WorkInTeams covers adding and changing the work of a team (rocks,
// metrics and their values, issues, to-dos, messages): members and
// clients with the teams page. Which team's work is CanEditTeamWork.
const WorkInTeams Rule = "teams.work"

// SendIssues covers sending an issue to another team: members only.
const SendIssues Rule = "issues.send"

// CascadeMessages covers posting a message to other teams too: members only.
const CascadeMessages Rule = "messages.cascade"

// EditCompanyRocks covers adding company rocks and changing any of them:
// strategy admins and super admins with the company rocks page.
const EditCompanyRocks Rule = "rocks.edit_company"

func init() {
	actionRules[ReadTeamWork] = func(a Actor) bool { return !TeamWork(a).None() }
	actionRules[WorkInTeams] = mayWorkInTeams
	actionRules[SendIssues] = maySendIssues
	actionRules[CascadeMessages] = maySendIssues
	actionRules[EditCompanyRocks] = mayEditCompanyRocks
}

// teamsPage reports whether the teams page is within the actor's kind and
// not hidden from them.
func (a Actor) teamsPage() bool { return CanSeePage(a, Settings{}, PageTeams) }

func mayWorkInTeams(a Actor) bool { return (a.Kind == Member || a.Kind == Client) && a.teamsPage() }

func maySendIssues(a Actor) bool { return a.Kind == Member && a.teamsPage() }

func mayEditCompanyRocks(a Actor) bool {
	return a.HasAny(SuperAdmin, StrategyAdmin) && CanSeePage(a, Settings{}, PageCompanyRocks)
}

// TeamWorkFacts are what the policy needs of one object of a team's work.
type TeamWorkFacts struct {
	// Teams are the teams the object shows in; none means the company's own
	// (a company rock).
	Teams []int64
	// OwnerID is the user accountable for it (0: nobody).
	OwnerID int64
}

// Company reports whether the object is the company's own, in no team.
func (f TeamWorkFacts) Company() bool { return len(f.Teams) == 0 }

// TeamWorkScope is which objects of teams' work an actor may list and
// open. The domain packages turn it into SQL in one function each; Matches
// is the same decision for one object.
type TeamWorkScope struct {
	TenantID int64
	// AllTeams: the work of every team (members with the teams page).
	AllTeams bool
	// Teams: the work of these teams only (a client's teams).
	Teams []int64
	// Company: the company's own objects too (members with the company
	// rocks page).
	Company bool
}

// None reports whether the scope matches no object.
func (s TeamWorkScope) None() bool {
	return s.TenantID == 0 || (!s.AllTeams && len(s.Teams) == 0 && !s.Company)
}

// Matches reports whether an object with facts f is in the scope: a
// company object for Company, a team object shown in one of the scope's
// teams (any team for AllTeams).
func (s TeamWorkScope) Matches(f TeamWorkFacts) bool {
	switch {
	case s.None():
		return false
	case f.Company():
		return s.Company
	case s.AllTeams:
		return true
	}
	return slices.ContainsFunc(f.Teams, func(t int64) bool { return slices.Contains(s.Teams, t) })
}

// TeamWork is the scope of teams' work for actor a.
func TeamWork(a Actor) TeamWorkScope {
	if !a.SignedIn() {
		return TeamWorkScope{}
	}
	sc := TeamWorkScope{TenantID: a.TenantID}
	switch {
	case a.Kind == Member:
		sc.AllTeams = a.teamsPage()
		sc.Company = CanSeePage(a, Settings{}, PageCompanyRocks)
	case a.Kind == Client && a.teamsPage():
		sc.Teams = slices.Clone(a.Teams)
	}
	if sc.None() {
		return TeamWorkScope{}
	}
	return sc
}

// CanSeeTeamWork reports whether a may open the object with facts f.
func CanSeeTeamWork(a Actor, f TeamWorkFacts) bool { return TeamWork(a).Matches(f) }

// InTeam reports whether a belongs to team teamID.
func InTeam(a Actor, teamID int64) bool { return slices.Contains(a.Teams, teamID) }

// CanSeeTeam reports whether a may open team teamID's page: members with
// the teams page any team, clients their own.
func CanSeeTeam(a Actor, teamID int64) bool {
	return CanSeeTeamWork(a, TeamWorkFacts{Teams: []int64{teamID}})
}

// CanEditTeamWork reports whether a may change the object with facts f
// (and add one like it): see it, and
//   - a company object: a strategy admin or super admin, or its owner;
//   - a team object: a member, its owner, or a client in every team it
//     shows in.
func CanEditTeamWork(a Actor, f TeamWorkFacts) bool {
	if !CanSeeTeamWork(a, f) {
		return false
	}
	if f.OwnerID != 0 && f.OwnerID == a.UserID {
		return true
	}
	if f.Company() {
		return mayEditCompanyRocks(a)
	}
	switch a.Kind {
	case Member:
		return mayWorkInTeams(a)
	case Client:
		return mayWorkInTeams(a) && !slices.ContainsFunc(f.Teams, func(t int64) bool { return !InTeam(a, t) })
	}
	return false
}

// CanShareInto reports whether an object owned by a user of kind owner may
// show in teams (the first is its home team): one team for anyone's, several
// only for an object a member owns (SPEC §6). Whether the actor may put it
// in those teams is CanEditTeamWork with the same teams.
func CanShareInto(owner Kind, teams []int64) bool {
	return len(teams) <= 1 || owner == Member
}

// CanSendIssue reports whether a may send an issue of team from to team
// to: members who may change the issue, to another team they may see.
func CanSendIssue(a Actor, f TeamWorkFacts, to int64) bool {
	return maySendIssues(a) && CanEditTeamWork(a, f) && CanSeeTeam(a, to) && !slices.Contains(f.Teams, to)
}

// CanCascade reports whether a may post a message of team from to the
// teams to as well: members only, to teams they may see.
func CanCascade(a Actor, to []int64) bool {
	if !maySendIssues(a) {
		return false
	}
	for _, t := range to {
		if !CanSeeTeam(a, t) {
			return false
		}
	}
	return true
}

// MayOwnTeamWork reports whether a user of kind k may own team work in a
// team they are in: members and clients (the client seed: "issues and
// to-dos assigned across both sides of the table").
func MayOwnTeamWork(k Kind) bool { return k == Member || k == Client }

// CanOwnIn reports whether a user of kind k may own an object shown in
// teams they are (inTeam) or are not in: a member anywhere, a client only
// in one of their teams.
func CanOwnIn(k Kind, inTeam bool) bool { return k == Member || (k == Client && inTeam) }

// 1:1s (SPEC §6): private to a member and their manager. Clients, guests
// and external users can neither start nor hold one (the page is members'
// only), and nobody else reads one: not an admin, not a super admin.

// HoldOneOnOnes covers starting 1:1s and writing their agenda and notes:
// members with the 1:1s page. Which 1:1 is CanSeeOneOnOne.
const HoldOneOnOnes Rule = "one_on_ones.hold"

func init() { actionRules[HoldOneOnOnes] = mayHoldOneOnOnes }

func mayHoldOneOnOnes(a Actor) bool {
	return a.Kind == Member && CanSeePage(a, Settings{}, PageOneOnOnes)
}

// OneOnOneFacts are the two people of a 1:1.
type OneOnOneFacts struct {
	MemberID, ManagerID int64
}

// CanSeeOneOnOne reports whether a may open (and write in) the 1:1 with
// facts f: one of its two people, with the 1:1s page.
func CanSeeOneOnOne(a Actor, f OneOnOneFacts) bool {
	return mayHoldOneOnOnes(a) && a.UserID != 0 && (a.UserID == f.MemberID || a.UserID == f.ManagerID)
}
