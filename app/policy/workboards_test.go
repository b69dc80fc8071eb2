package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// TestWorkboardTable renders who sees which workboard and card, who adds
// tasks, edits cards, adds related items and adds members of each kind,
// and compares it with testdata/workboards.golden, reviewed by hand against
// SPEC §6 and the guest's lists of the roles seed. Regenerate with:
// go test ./app/policy -run TestWorkboardTable -update
func TestWorkboardTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("# profile × item (level, member of it, holds a card on it) → see it as a board, see it as a card on an open board / a restricted board the actor is not in, add task, edit card, add related (on an open board), add member, add guest\n")
	openBoard, closedBoard := policy.BoardFacts{Security: policy.Open}, policy.BoardFacts{Security: policy.Restricted}
	for _, p := range teamWorkProfiles() {
		if strings.Contains(p.name, "stored") || strings.HasPrefix(p.name, "member+") && p.name != "member+super_admin" && p.name != "member+pages_hidden" {
			continue
		}
		for _, sec := range append(policy.Securities, "bogus") {
			for _, f := range []policy.BoardFacts{{Security: sec}, {Security: sec, Member: true}, {Security: sec, HoldsCard: true}} {
				fmt.Fprintf(&b, "%-24s %-10s member=%-5v card=%-5v board=%-5v card=%-5v/%-5v task=%-5v edit=%-5v related=%-5v +member=%-5v +guest=%v\n",
					p.name, sec, f.Member, f.HoldsCard, policy.CanSeeWorkboard(p.actor, f), policy.CanSeeCard(p.actor, f, openBoard), policy.CanSeeCard(p.actor, f, closedBoard),
					policy.CanAddTask(p.actor, f), policy.CanEditCard(p.actor, f, openBoard), policy.CanAddRelated(p.actor, f, openBoard),
					policy.CanAddItemMember(p.actor, f, policy.Member), policy.CanAddItemMember(p.actor, f, policy.Guest))
			}
		}
		fmt.Fprintf(&b, "%-24s rules create=%v work=%v\n", p.name,
			policy.Allows(p.actor, policy.Settings{}, policy.CreateWorkboards), policy.Allows(p.actor, policy.Settings{}, policy.WorkOnBoards))
	}
	b.WriteString("\n# kind × level → may ever be a member\n")
	for _, k := range policy.Kinds {
		for _, sec := range policy.Securities {
			fmt.Fprintf(&b, "%-16s %-10s %v\n", k, sec, policy.MayJoinItem(k, sec))
		}
	}
	golden(t, "testdata/workboards.golden", b.String(), "workboard table")
}
