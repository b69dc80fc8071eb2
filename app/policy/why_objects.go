package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The explained decisions of single objects. Each Can… of an object is its
// Explain… with no Why, and a property test holds each to the scope its
// lists are built from, so the explainer, the object's page and the lists
// all say the same.

// ExplainTicket is CanSeeTicket, narrated: the tickets page; then members
// see every ticket, and an external user a ticket of one of their
// companies on a board open to their kind for that company — with own
// tickets only, one they are the contact or a watcher of. With w.Objects,
// what they see of it follows: the fields hidden from them and the note
// types they read.
func ExplainTicket(a Actor, r TicketRules, t TicketFacts, w *Why) bool {
	if !canSeePage(a, Settings{}, PageTickets, w) || !seeTicket(a, r, t, w) {
		return false
	}
	if w.explaining() && w.Objects {
		ticketFields(a, r, w)
		ticketNotes(a, r, w)
	}
	return true
}

func seeTicket(a Actor, r TicketRules, t TicketFacts, w *Why) bool {
	if a.Kind == Member {
		return w.says(true, func() string { return "Members see every ticket, on every board." })
	}
	if !a.Kind.External() {
		return w.says(false, func() string { return fmt.Sprintf("%s users see no tickets.", a.Kind.Label()) })
	}
	b, ok := r.Board(t.BoardID)
	if !ok {
		return w.says(false, func() string { return "The ticket's board no longer exists." })
	}
	if !slices.Contains(b.Kinds, a.Kind) {
		if len(b.Kinds) == 0 {
			return w.says(false, func() string { return fmt.Sprintf("The ticket is on %s, which is for members only.", w.board(b.ID)) })
		}
		return w.says(false, func() string {
			return fmt.Sprintf("The ticket is on %s, which is open to %s but not to %s.", w.board(b.ID), kindList(b.Kinds), a.Kind.Plural())
		})
	}
	if t.CompanyID == 0 {
		return w.says(false, func() string {
			return "The ticket belongs to no company: it is the workspace's own work, which only members see."
		})
	}
	if !HasCompany(a, t.CompanyID) {
		return w.says(false, func() string {
			return fmt.Sprintf("The ticket is %s's, and %s is assigned to %s, not to %s.", w.company(t.CompanyID), w.who(), w.companies(a.Companies), w.company(t.CompanyID))
		})
	}
	if !b.AllCompanies && !slices.Contains(b.Companies, t.CompanyID) {
		return w.says(false, func() string {
			return fmt.Sprintf("The ticket is on %s, which is open to %s of %s only, not of %s.", w.board(b.ID), a.Kind.Plural(), w.companies(b.Companies), w.company(t.CompanyID))
		})
	}
	w.says(true, func() string {
		return fmt.Sprintf("The ticket is %s's, on %s, which is open to %s of %s; %s is assigned to %s.",
			w.company(t.CompanyID), w.board(b.ID), a.Kind.Plural(), w.company(t.CompanyID), w.who(), w.company(t.CompanyID))
	})
	if !a.OwnTicketsOnly {
		return w.says(true, func() string {
			return fmt.Sprintf("Own tickets only is off for %s, so they see every such ticket, whoever its contact.", w.who())
		})
	}
	switch {
	case t.ContactID != 0 && t.ContactID == a.UserID:
		return w.says(true, func() string {
			return fmt.Sprintf("Own tickets only is on for %s, and they are the ticket's contact.", w.who())
		})
	case slices.Contains(t.Watchers, a.UserID):
		return w.says(true, func() string {
			return fmt.Sprintf("Own tickets only is on for %s, and they watch the ticket.", w.who())
		})
	}
	return w.says(false, func() string {
		return fmt.Sprintf("Own tickets only is on for %s, and they are neither the ticket's contact nor one of its watchers.", w.who())
	})
}

// ticketFields says which fields of a ticket a reads, changes or never sees.
func ticketFields(a Actor, r TicketRules, w *Why) {
	fields := slices.Clone(TicketFields)
	var custom []TicketField
	for f := range w.Names.Fields {
		if !f.Standard() {
			custom = append(custom, f)
		}
	}
	sort.Slice(custom, func(i, j int) bool { return custom[i] < custom[j] })
	fields = append(fields, custom...)
	var hidden, read []string
	for _, f := range fields {
		switch FieldAccess(a, r, f) {
		case Hidden:
			hidden = append(hidden, w.field(f))
		case Read:
			read = append(read, w.field(f))
		}
	}
	if len(hidden) > 0 {
		w.says(true, func() string { return fmt.Sprintf("Fields hidden from %s: %s.", a.Kind.Plural(), list(hidden)) })
	}
	if len(read) > 0 && mayWriteTickets(a) {
		w.says(true, func() string { return fmt.Sprintf("Fields %s reads but may not change: %s.", w.who(), list(read)) })
	}
}

// ticketNotes says which note types a reads.
func ticketNotes(a Actor, r TicketRules, w *Why) {
	var reads, not []string
	for _, n := range r.NoteTypes {
		if CanReadNote(a, r, n.ID) {
			reads = append(reads, w.noteType(n.ID))
		} else {
			not = append(not, w.noteType(n.ID))
		}
	}
	if len(not) == 0 {
		w.says(true, func() string { return fmt.Sprintf("%s reads notes of every type.", w.who()) })
		return
	}
	if len(reads) == 0 {
		w.says(true, func() string { return fmt.Sprintf("%s reads no notes.", w.who()) })
		return
	}
	w.says(true, func() string { return fmt.Sprintf("%s reads %s notes, not %s notes.", w.who(), list(reads), list(not)) })
}

// ExplainReport is CanSeeReport, narrated: the reports page; then members
// see every report, drafts too, and external users the published reports
// of their companies.
func ExplainReport(a Actor, r ReportFacts, w *Why) bool {
	if !canSeePage(a, Settings{}, PageReports, w) {
		return false
	}
	switch {
	case a.Kind == Member:
		return w.says(true, func() string { return "Members see every report, drafts included." })
	case !a.Kind.External():
		return w.says(false, func() string { return fmt.Sprintf("%s users see no reports.", a.Kind.Label()) })
	case !r.Published:
		return w.says(false, func() string { return "The report is a draft: external users see a report once it is published." })
	case !HasCompany(a, r.CompanyID):
		return w.says(false, func() string {
			return fmt.Sprintf("The report is %s's, and %s is assigned to %s, not to %s.", w.company(r.CompanyID), w.who(), w.companies(a.Companies), w.company(r.CompanyID))
		})
	}
	return w.says(true, func() string {
		return fmt.Sprintf("The report is published and %s's, and %s is assigned to %s.", w.company(r.CompanyID), w.who(), w.company(r.CompanyID))
	})
}

// ExplainReportPart is whether a reads one part of a report: the report,
// then the part's internal-only mark.
func ExplainReportPart(a Actor, r ReportFacts, internalOnly bool, w *Why) bool {
	if !ExplainReport(a, r, w) {
		return false
	}
	switch {
	case !internalOnly:
		return w.says(true, func() string {
			return "The part is not marked internal only, so everyone who sees the report reads it."
		})
	case CanSeeInternalParts(a):
		return w.says(true, func() string { return "The part is marked internal only, and members read such parts." })
	}
	return w.says(false, func() string {
		return fmt.Sprintf("The part is marked internal only: it never reaches %s, only members.", a.Kind.Plural())
	})
}

// ExplainArticle is CanSeeArticle, narrated: the knowledge base page; then
// members see every article, external users the published ones shared
// with every company or with one of theirs.
func ExplainArticle(a Actor, f ArticleFacts, w *Why) bool {
	if !canSeePage(a, Settings{}, PageExternalContent, w) {
		return false
	}
	switch {
	case a.Kind == Member:
		return w.says(true, func() string { return "Members see every article, drafts included." })
	case !a.Kind.External():
		return w.says(false, func() string { return fmt.Sprintf("%s users see no articles.", a.Kind.Label()) })
	case !f.Published:
		return w.says(false, func() string { return "The article is a draft: external users see it once it is published." })
	case f.Audience == AudienceAll:
		return w.says(true, func() string { return "The article is published and shared with every company." })
	case f.Audience == AudienceCompanies:
		if slices.ContainsFunc(f.Companies, func(c int64) bool { return HasCompany(a, c) }) {
			return w.says(true, func() string {
				return fmt.Sprintf("The article is published and shared with %s, and %s is assigned to one of them.", w.companies(f.Companies), w.who())
			})
		}
		return w.says(false, func() string {
			return fmt.Sprintf("The article is shared with %s only, and %s is assigned to %s.", w.companies(f.Companies), w.who(), w.companies(a.Companies))
		})
	}
	return w.says(false, func() string { return "The article is shared with no company: only members see it." })
}

// Objects that belong to one company and are seen with a page (contacts,
// Microsoft 365 data, plan items, companies): members every company's,
// external users their companies'.

// ExplainContact is whether a may open a contact of company companyID.
func ExplainContact(a Actor, companyID int64, w *Why) bool {
	return byCompany(a, PageContacts, ContactsScope(a), companyID, "contact", w)
}

// ExplainOffice365 is whether a may read company companyID's Microsoft 365 data.
func ExplainOffice365(a Actor, companyID int64, w *Why) bool {
	return byCompany(a, PageOffice365, Office365Scope(a), companyID, "Microsoft 365 data", w)
}

// ExplainPlanItem is whether a may open a plan item of company companyID.
func ExplainPlanItem(a Actor, companyID int64, w *Why) bool {
	return byCompany(a, PagePlan, PlanScope(a), companyID, "plan item", w)
}

// ExplainCompany is whether a may open company companyID.
func ExplainCompany(a Actor, companyID int64, w *Why) bool {
	return byCompany(a, PageCompanies, CompaniesScope(a), companyID, "company", w)
}

func byCompany(a Actor, p Page, sc Scope, companyID int64, what string, w *Why) bool {
	if !canSeePage(a, Settings{}, p, w) {
		return false
	}
	switch {
	case sc.All():
		return w.says(true, func() string { return "Members see every company's." })
	case sc.Kind != ScopeMember:
		return w.says(false, func() string { return fmt.Sprintf("%s users see no %s.", a.Kind.Label(), what) })
	case companyID == 0 || !HasCompany(a, companyID):
		return w.says(false, func() string {
			return fmt.Sprintf("The %s is %s's, and %s is assigned to %s, not to %s.", what, w.company(companyID), w.who(), w.companies(a.Companies), w.company(companyID))
		})
	}
	return w.says(true, func() string {
		return fmt.Sprintf("The %s is %s's, and %s is assigned to %s.", what, w.company(companyID), w.who(), w.company(companyID))
	})
}

// ExplainUser is whether a may open the profile of user targetID
// (UsersScope): members everyone's, anyone else their own.
func ExplainUser(a Actor, targetID int64, w *Why) bool {
	sc := UsersScope(a)
	switch {
	case sc.None():
		return w.says(false, func() string { return fmt.Sprintf("%s is not an active user of this workspace.", w.who()) })
	case sc.All():
		return w.says(true, func() string { return "Members see everyone's profile." })
	case targetID == a.UserID:
		return w.says(true, func() string { return "Everyone sees their own profile." })
	}
	return w.says(false, func() string {
		return fmt.Sprintf("%s meet other people only inside what they share (a team, a ticket); they see no one else's profile.", upper(a.Kind.Plural()))
	})
}

// ExplainBoard is whether a sees board boardID (the boards of a's ticket
// scope): members every board, external users a board open to their kind
// for one of their companies.
func ExplainBoard(a Actor, r TicketRules, boardID int64, w *Why) bool {
	if !canSeePage(a, Settings{}, PageTickets, w) {
		return false
	}
	if a.Kind == Member {
		return w.says(true, func() string { return "Members see every board." })
	}
	b, ok := r.Board(boardID)
	switch {
	case !ok:
		return w.says(false, func() string { return "There is no such board." })
	case len(b.Kinds) == 0:
		return w.says(false, func() string { return fmt.Sprintf("%s is for members only.", upper(w.board(b.ID))) })
	case !slices.Contains(b.Kinds, a.Kind):
		return w.says(false, func() string {
			return fmt.Sprintf("%s is open to %s but not to %s.", upper(w.board(b.ID)), kindList(b.Kinds), a.Kind.Plural())
		})
	case !b.AllCompanies && !slices.ContainsFunc(a.Companies, func(c int64) bool { return slices.Contains(b.Companies, c) }):
		return w.says(false, func() string {
			return fmt.Sprintf("%s is open to %s of %s only, and %s is assigned to %s.", upper(w.board(b.ID)), a.Kind.Plural(), w.companies(b.Companies), w.who(), w.companies(a.Companies))
		})
	case len(a.Companies) == 0:
		return w.says(false, func() string { return fmt.Sprintf("%s is assigned to no company.", w.who()) })
	}
	return w.says(true, func() string {
		return fmt.Sprintf("%s is open to %s of %s's companies.", upper(w.board(b.ID)), a.Kind.Plural(), w.who())
	})
}

// ExplainTeam is whether a sees a team (TeamsScope): members every team,
// clients the teams they are in (member reports whether a is in it).
func ExplainTeam(a Actor, member bool, w *Why) bool {
	if !canSeePage(a, Settings{}, PageTeams, w) {
		return false
	}
	switch TeamsScope(a).Kind {
	case ScopeAll:
		return w.says(true, func() string { return "Members see every team." })
	case ScopeMember:
		if member {
			return w.says(true, func() string { return fmt.Sprintf("%s is in the team.", w.who()) })
		}
		return w.says(false, func() string {
			return fmt.Sprintf("%s see only the teams they are in, and %s is not in this one.", upper(a.Kind.Plural()), w.who())
		})
	}
	return w.says(false, func() string { return fmt.Sprintf("%s see no teams.", upper(a.Kind.Plural())) })
}

// upper capitalises the first letter of a phrase that starts a sentence.
func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ExplainTeamWork is CanSeeTeamWork, narrated: a company rock is for
// members with the company rocks page; a team's work for members with the
// teams page, and for clients in one of the teams it shows in.
func ExplainTeamWork(a Actor, f TeamWorkFacts, w *Why) bool {
	if f.Company() {
		if !canSeePage(a, Settings{}, PageCompanyRocks, w) {
			return false
		}
		return w.says(TeamWork(a).Matches(f), func() string { return "Members see the company rocks." })
	}
	if !canSeePage(a, Settings{}, PageTeams, w) {
		return false
	}
	switch {
	case a.Kind == Member:
		return w.says(TeamWork(a).Matches(f), func() string { return "Members see the work of every team." })
	case TeamWork(a).Matches(f):
		return w.says(true, func() string { return fmt.Sprintf("%s is in a team it shows in.", w.who()) })
	}
	return w.says(false, func() string {
		return fmt.Sprintf("%s see only the work of the teams they are in, and %s is in none of the teams it shows in.", upper(a.Kind.Plural()), w.who())
	})
}

// ExplainOneOnOne is CanSeeOneOnOne, narrated: the 1:1s page, then one of
// its two people.
func ExplainOneOnOne(a Actor, f OneOnOneFacts, w *Why) bool {
	if !canSeePage(a, Settings{}, PageOneOnOnes, w) {
		return false
	}
	if CanSeeOneOnOne(a, f) {
		return w.says(true, func() string { return fmt.Sprintf("%s is one of the two people of this 1:1.", w.who()) })
	}
	return w.says(false, func() string {
		return fmt.Sprintf("A 1:1 is private to a member and their manager, and %s is neither.", w.who())
	})
}

// ExplainWorkboard is CanSeeWorkboard, narrated.
func ExplainWorkboard(a Actor, f BoardFacts, w *Why) bool {
	if !canSeePage(a, Settings{}, PageWorkboards, w) {
		return false
	}
	ok := CanSeeWorkboard(a, f)
	return w.says(ok, func() string { return itemWords(a, "workboard", f, ok, w) })
}

// ExplainCard is CanSeeCard, narrated.
func ExplainCard(a Actor, f, board BoardFacts, w *Why) bool {
	if !canSeePage(a, Settings{}, PageWorkboards, w) {
		return false
	}
	ok := CanSeeCard(a, f, board)
	return w.says(ok, func() string { return itemWords(a, "card", f, ok, w) })
}

func itemWords(a Actor, what string, f BoardFacts, ok bool, w *Why) string {
	level := f.Security.Label()
	switch {
	case ok && f.Member:
		return fmt.Sprintf("The %s is %s, and %s is one of its members.", what, strings.ToLower(level), w.who())
	case ok && f.HoldsCard:
		return fmt.Sprintf("%s is a member of one of the workboard's cards.", upper(w.who()))
	case ok:
		return fmt.Sprintf("The %s is open: every member of the workspace sees it.", what)
	case a.Kind == Guest && f.Security == TopSecret:
		return fmt.Sprintf("The %s is top secret, and a guest is never one of its members.", what)
	case a.Kind != Member && a.Kind != Guest:
		return fmt.Sprintf("%s see no workboards.", upper(a.Kind.Plural()))
	}
	return fmt.Sprintf("The %s is %s, and %s is not one of its members.", what, strings.ToLower(level), w.who())
}
