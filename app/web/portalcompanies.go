package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/ui"
)

// companyModuleLinks are the pages a company row links to, each filtered
// by that company, and the query parameter each takes.
var companyModuleLinks = []struct {
	page  policy.Page
	path  string
	param string
}{
	{policy.PageTickets, "/tickets", "company"},
	{policy.PageReports, "/reports", "company"},
	{policy.PageContacts, "/contacts", "company_id"},
	{policy.PageOffice365, "/office365", "company"},
}

// companiesPage is GET /companies, Portal → Companies: the companies in the
// reader's scope (members all, external users their assigned ones) through
// the same people.CompaniesFor as Settings → Companies and the API, so the
// names agree and internal fields (notes, groups) never reach it.
func (s *Server) companiesPage(c *fiber.Ctx) error {
	st := state(c)
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	cs, next, err := people.CompaniesFor(c.UserContext(), st.db, st.actor, people.CompanyQuery{}, p)
	if err != nil {
		return err
	}
	n, err := people.CountCompanies(c.UserContext(), st.db, st.actor, people.CompanyQuery{})
	if err != nil {
		return err
	}
	v := ui.CompaniesView{Count: n, Next: nextURL(c, "/companies", next), Desc: "The companies you work with, and their tickets, reports and contacts."}
	if st.actor.Kind.External() {
		v.Desc = "Your companies, and their tickets, reports and contacts."
	}
	for _, co := range cs {
		row := ui.PortalCompany{Name: co.Name, Domain: co.Domain}
		for _, m := range companyModuleLinks {
			if s.sees(c, m.page) {
				row.Links = append(row.Links, ui.HomeLink{Title: policy.Label(st.actor, m.page), URL: fmt.Sprintf("%s?%s=%d", m.path, m.param, co.ID)})
			}
		}
		v.Rows = append(v.Rows, row)
	}
	return render(c, 200, ui.CompaniesPage(s.frame(c, policy.Label(st.actor, policy.PageCompanies), policy.PageCompanies), v))
}
