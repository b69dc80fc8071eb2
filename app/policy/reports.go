package policy

import "slices"

// Reports (SPEC §8). A report belongs to a company and a period; its parts
// are read in order, and a part marked internal only reaches members and
// nobody else. Who sees which reports is ReportsScope (turned into SQL by
// the reports package in one function), the same decision for one report
// is CanSeeReport, and which parts a reader gets is CanSeePart.
//
// Reports are the MSP's deliverable to its client companies: members write
// them; external users read the published reports of their companies —
// editors too, as SPEC §4.1's "edit within their shown modules" covers
// what they collaborate on (tickets), not what the MSP reports to them.

// EditReports covers creating, changing, publishing and deleting reports
// and their parts: members with the reports page.
const EditReports Rule = "reports.edit"

func init() {
	actionRules[EditReports] = mayWriteReports
}

// mayWriteReports: members with the reports page write reports.
func mayWriteReports(a Actor) bool { return a.Kind == Member && a.reportsPage() }

// reportsPage reports whether the reports page is within the actor's kind
// and, for external users, shown by their module settings.
func (a Actor) reportsPage() bool { return CanSeePage(a, Settings{}, PageReports) }

// ReportFacts are what the policy needs of one report.
type ReportFacts struct {
	CompanyID int64
	Published bool
}

// ReportScope is which reports an actor may list and open.
type ReportScope struct {
	TenantID int64
	// All: every report of the tenant, drafts included (members).
	All bool
	// Companies: the published reports of these companies (external users).
	Companies []int64
}

// None reports whether the scope matches no report.
func (s ReportScope) None() bool { return s.TenantID == 0 || (!s.All && len(s.Companies) == 0) }

// PublishedOnly reports whether drafts are outside the scope.
func (s ReportScope) PublishedOnly() bool { return !s.All }

// Matches reports whether a report with facts r is in the scope.
func (s ReportScope) Matches(r ReportFacts) bool {
	switch {
	case s.None():
		return false
	case s.All:
		return true
	}
	return r.Published && slices.Contains(s.Companies, r.CompanyID)
}

// ReportsScope is the reports actor a may see: members every report;
// external users (editors and viewers) with the reports page the published
// reports of their assigned companies; guests, clients and anyone without
// the page none.
func ReportsScope(a Actor) ReportScope {
	if !a.SignedIn() || !a.reportsPage() {
		return ReportScope{}
	}
	switch {
	case a.Kind == Member:
		return ReportScope{TenantID: a.TenantID, All: true}
	case a.Kind.External():
		return ReportScope{TenantID: a.TenantID, Companies: slices.Clone(a.Companies)}
	}
	return ReportScope{}
}

// CanSeeReport reports whether actor a may open the report with facts r.
func CanSeeReport(a Actor, r ReportFacts) bool { return ExplainReport(a, r, nil) }

// CanEditReport reports whether actor a may change the report with facts r.
func CanEditReport(a Actor, r ReportFacts) bool { return mayWriteReports(a) && CanSeeReport(a, r) }

// CanSeeInternalParts reports whether actor a reads parts marked internal
// only: members, and nobody else — not in a page, a fragment, the JSON, the
// print view or a preview as another user.
func CanSeeInternalParts(a Actor) bool { return a.SignedIn() && a.Kind == Member }

// CanSeePart reports whether actor a, who sees a report, reads a part of
// it marked internalOnly or not.
func CanSeePart(a Actor, internalOnly bool) bool { return !internalOnly || CanSeeInternalParts(a) }

// ReportAudience is a stand-in for the external viewers of company
// companyID, to show a member a report as those viewers will read it. It
// is no user (UserID 0), so it is not signed in and no rule allows it
// anything: it only ever filters parts.
func ReportAudience(tenantID, companyID int64) Actor {
	return Actor{TenantID: tenantID, Kind: ExternalViewer, Companies: []int64{companyID},
		Modules: map[Page]Module{PageReports: {Show: true}}}
}

// SharedBoards are the boards whose tickets of company companyID some
// external kind may see under rules r: the tickets a report's ticket
// summary and chart count. A members-only board's tickets (the MSP's own
// operations) are never counted, so a published summary cannot reveal them.
func SharedBoards(r TicketRules, companyID int64) []int64 {
	var out []int64
	for _, b := range r.Boards {
		if len(b.Kinds) > 0 && (b.AllCompanies || slices.Contains(b.Companies, companyID)) {
			out = append(out, b.ID)
		}
	}
	return out
}
