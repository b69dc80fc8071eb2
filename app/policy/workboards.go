package policy

import "slices"

// Workboards and cards (SPEC §6, page workboards) and the guest's lists of
// the roles seed, item by item.
//
// Security levels, for a workboard and for each of its cards:
//   - open: every member of the workspace (with the workboards page);
//   - restricted: its members; they may add member and guest users;
//   - top_secret: its members only; a guest can never be added.
//
// Members of the workspace have "full access, subject to the security
// settings on each card and workboard": an admin is no exception. Guests
// see only the workboards and cards they are invited to. A card's members
// see it whatever the board's level, and see the board it is on (only
// the cards they may see).

// Security is a workboard's or a card's security level.
type Security string

// The security levels.
const (
	Open       Security = "open"
	Restricted Security = "restricted"
	TopSecret  Security = "top_secret"
)

// Securities lists every level in the order forms show them.
var Securities = []Security{Open, Restricted, TopSecret}

// Valid reports whether s is a known level.
func (s Security) Valid() bool { return slices.Contains(Securities, s) }

// Label is the level in words.
func (s Security) Label() string {
	switch s {
	case Open:
		return "Open"
	case Restricted:
		return "Restricted"
	case TopSecret:
		return "Top secret"
	}
	return string(s)
}

// CreateWorkboards covers creating workboards and cards, the global "+" and
// a card's "+": members with the workboards page. Guests never: they
// manage what others created (the seed's "cannot" list).
const CreateWorkboards Rule = "workboards.create"

// WorkOnBoards covers the work guests share with members on what they
// may see: tasks on a board they belong to, a card's summary, files and
// links, members of restricted items. Which item is decided per object.
const WorkOnBoards Rule = "workboards.work"

func init() {
	actionRules[CreateWorkboards] = mayCreateWorkboards
	actionRules[WorkOnBoards] = func(a Actor) bool { return (a.Kind == Member || a.Kind == Guest) && a.workboardsPage() }
}

func (a Actor) workboardsPage() bool { return CanSeePage(a, Settings{}, PageWorkboards) }

func mayCreateWorkboards(a Actor) bool { return a.Kind == Member && a.workboardsPage() }

// BoardFacts are what the policy needs of a workboard or a card: its level
// and whether the actor is one of its members. HoldsCard, for a workboard,
// says the actor is a member of one of its cards.
type BoardFacts struct {
	Security  Security
	Member    bool
	HoldsCard bool
}

// canSeeItem is the one rule of a workboard or a card: its members see
// it; members of the workspace see an open one; nobody else.
func canSeeItem(a Actor, f BoardFacts) bool {
	if !a.SignedIn() || !a.workboardsPage() || !f.Security.Valid() {
		return false
	}
	switch {
	case a.Kind == Guest:
		return f.Member && f.Security != TopSecret
	case a.Kind != Member:
		return false
	}
	return f.Member || f.Security == Open
}

// CanSeeWorkboard reports whether a may open a workboard with facts f: the
// item rule, or holding one of its cards.
func CanSeeWorkboard(a Actor, f BoardFacts) bool {
	return canSeeItem(a, f) || (f.HoldsCard && f.Security.Valid() && canSeeItem(a, BoardFacts{Security: Restricted, Member: true}))
}

// CanSeeCard reports whether a may open a card with facts f on a board with
// facts board: its members see it (a guest, unless it is top secret);
// members of the workspace see an open card on a board they see as such
// (open, or one of its members) — both levels apply.
func CanSeeCard(a Actor, f, board BoardFacts) bool {
	if f.Member {
		return canSeeItem(a, f)
	}
	return f.Security == Open && a.Kind == Member && canSeeItem(a, board) && canSeeItem(a, f)
}

// CanAddTask reports whether a may add a task on a workboard with facts f:
// members of the workspace who see the board itself (holding one of its
// cards is not enough), guests who are its members (the seed: "add tasks
// within a workboard they are a member of").
func CanAddTask(a Actor, f BoardFacts) bool {
	if !canSeeItem(a, f) {
		return false
	}
	return a.Kind == Member || (a.Kind == Guest && f.Member)
}

// CanEditCard reports whether a may edit a card's summary and add files
// and links to it: whoever sees it, guests included (the seed).
func CanEditCard(a Actor, f, board BoardFacts) bool { return CanSeeCard(a, f, board) }

// CanAddRelated reports whether a may add related items to a card: members
// of the workspace who see it; never guests (the seed).
func CanAddRelated(a Actor, f, board BoardFacts) bool {
	return a.Kind == Member && CanSeeCard(a, f, board)
}

// CanAddItemMember reports whether a, who sees the item, may add a user of
// kind newKind as a member of a workboard or card with facts f:
//   - restricted: its members, guests included, add members and guests;
//   - top secret: its members (members of the workspace) add members only;
//   - open: members of the workspace add members and guests (a guest sees
//     only what they are invited to, so inviting one is how they reach an
//     open item).
//
// A guest is never added to a top secret item, and only members and
// guests are ever members of one.
func CanAddItemMember(a Actor, f BoardFacts, newKind Kind) bool {
	if !MayJoinItem(newKind, f.Security) {
		return false
	}
	switch f.Security {
	case Restricted:
		return f.Member && canSeeItem(a, f)
	case TopSecret:
		return a.Kind == Member && f.Member && canSeeItem(a, f)
	case Open:
		return a.Kind == Member && canSeeItem(a, f)
	}
	return false
}

// MayJoinItem reports whether a user of kind k can ever be a member of a
// workboard or card of level s, whoever adds them: members, and guests
// unless it is top secret.
func MayJoinItem(k Kind, s Security) bool {
	return k == Member || (k == Guest && s != TopSecret)
}

// WorkboardScope is which workboards and cards an actor may list: the
// domain turns it into SQL in one function; CanSeeWorkboard and
// CanSeeCard are the same decision for one item.
type WorkboardScope struct {
	TenantID, UserID int64
	// Guest: only what the user is a member of, never top secret.
	Guest bool
}

// None reports whether the scope matches nothing.
func (s WorkboardScope) None() bool { return s.TenantID == 0 || s.UserID == 0 }

// WorkboardsScope is the scope of workboards and cards for actor a:
// members and guests with the workboards page; nobody else.
func WorkboardsScope(a Actor) WorkboardScope {
	if !a.SignedIn() || !a.workboardsPage() || (a.Kind != Member && a.Kind != Guest) {
		return WorkboardScope{}
	}
	return WorkboardScope{TenantID: a.TenantID, UserID: a.UserID, Guest: a.Kind == Guest}
}
