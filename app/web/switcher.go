package web

import (
	"regexp"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/ui"
)

// ownCompanies are the companies assigned to the signed-in external user,
// all of them whatever the switcher chose: the switcher's choices.
func ownCompanies(c *fiber.Ctx) ([]people.CompanyView, error) {
	st := state(c)
	cs, _, err := people.CompaniesFor(c.UserContext(), st.db, st.user.Actor(), people.CompanyQuery{}, store.Page{Limit: store.MaxLimit})
	return cs, err
}

// companySwitcher is the top bar's company switcher for an external user
// with several companies, signed in with a session; nil for anyone else.
func (s *Server) companySwitcher(c *fiber.Ctx) *ui.CompanySwitcher {
	st := state(c)
	if st.session == nil || st.user == nil || !policy.CanSwitchCompany(st.actor) {
		return nil
	}
	cs, err := ownCompanies(c)
	if err != nil || len(cs) < 2 {
		return nil
	}
	sw := &ui.CompanySwitcher{Next: c.OriginalURL()}
	if st.actor.Narrowed() && len(st.actor.Companies) == 1 {
		sw.Current = st.actor.Companies[0]
	}
	for _, co := range cs {
		sw.Companies = append(sw.Companies, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name, Selected: co.ID == sw.Current})
	}
	return sw
}

// companySwitch is POST /companies/switch: the session now works in one of
// the user's companies (company_id), or in all of them (empty). A company
// that is not theirs is refused. It goes back to the page it came from.
func (s *Server) companySwitch(c *fiber.Ctx) error {
	st := state(c)
	if st.session == nil {
		return errForbidden // an API token has no session to narrow
	}
	var chosen *int64
	if raw := c.FormValue("company_id"); raw != "" && raw != "all" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || !policy.HasCompany(st.user.Actor(), id) {
			return errNotFound
		}
		chosen = &id
	}
	if err := auth.SetCompany(c.UserContext(), st.db, st.session.ID, chosen); err != nil {
		return err
	}
	return redirect(c, afterSwitch(safeNext(c.FormValue("next"))))
}

// objectPath matches the page of one object of a module (/tickets/12,
// /reports/3/print): after a switch it may belong to a company no longer
// in view, so the switch goes to the module's list instead of a 404.
var objectPath = regexp.MustCompile(`^/(tickets|reports|contacts|kb|office365|plan)/[0-9]+(/|$|\?)`)

// afterSwitch is where a switch made on page next goes: next itself, or
// the list of the module whose object next shows.
func afterSwitch(next string) string {
	if m := objectPath.FindStringSubmatch(next); m != nil {
		return "/" + m[1]
	}
	return next
}
