package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/articles"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/reports"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/ui"
)

// homeItems is how many tickets, changes and articles each home section lists.
const homeItems = 5

// homePage is "/": my work across what I can see. External users get the
// page a client opens daily: their open tickets, what changed, the latest
// report, recent articles and how to reach support, each section only for
// a module that is in their navigation. Everyone else keeps a short page.
func (s *Server) homePage(c *fiber.Ctx) error {
	st := state(c)
	first := st.user.DisplayName()
	if f, _, ok := strings.Cut(first, " "); ok {
		first = f
	}
	v := ui.HomeView{FirstName: first, Now: time.Now(), External: policy.PortalHome(st.actor.Kind)}
	var err error
	if v.External {
		err = s.externalHome(c, &v)
	} else {
		err = s.memberHome(c, &v)
		if err == nil {
			err = s.teamWorkHome(c, &v)
		}
	}
	if err != nil {
		return err
	}
	return render(c, 200, ui.HomePage(s.frame(c, policy.Label(st.actor, policy.PageHome), policy.PageHome), v))
}

// sees reports whether page p is in the actor's navigation.
func (s *Server) sees(c *fiber.Ctx, p policy.Page) bool {
	st := state(c)
	return policy.CanSeePage(st.actor, settingsOf(st.tenant), p)
}

// externalHome fills the sections of an external user's home.
func (s *Server) externalHome(c *fiber.Ctx, v *ui.HomeView) error {
	st := state(c)
	ctx, a := c.UserContext(), st.actor
	if s.sees(c, policy.PageTickets) {
		cfg, err := s.ticketConfig(c)
		if err != nil {
			return err
		}
		open, _, err := tickets.List(ctx, st.db, a, cfg, tickets.Query{Open: true, Sort: "-created"}, store.Page{Limit: homeItems})
		if err != nil {
			return fmt.Errorf("web: home open tickets: %w", err)
		}
		n, more, err := tickets.CountUpTo(ctx, st.db, a, cfg, tickets.Query{Open: true}, maxTicketCount)
		if err != nil {
			return fmt.Errorf("web: home count tickets: %w", err)
		}
		changed, _, err := tickets.List(ctx, st.db, a, cfg, tickets.Query{Sort: "-updated"}, store.Page{Limit: homeItems})
		if err != nil {
			return fmt.Errorf("web: home changed tickets: %w", err)
		}
		t := &ui.HomeTickets{Label: policy.Label(a, policy.PageTickets), Path: "/tickets", OpenURL: "/tickets?open=true",
			OpenCount: n, OpenMore: more, Open: homeTickets(open), Changed: homeTickets(changed)}
		if policy.Allows(a, settingsOf(st.tenant), policy.CreateTickets) {
			t.NewURL = "/tickets/new"
		}
		v.Tickets = t
	}
	if s.sees(c, policy.PageReports) {
		rs, _, err := reports.List(ctx, st.db, a, reports.Query{Status: reports.Published, Sort: "-period"}, store.Page{Limit: 1})
		if err != nil {
			return fmt.Errorf("web: home latest report: %w", err)
		}
		r := &ui.HomeReports{Label: policy.Label(a, policy.PageReports), Path: "/reports"}
		if len(rs) > 0 {
			r.Latest = &ui.HomeLink{Title: rs[0].Title, URL: reportURL(rs[0].ID), Meta: reportMeta(rs[0])}
		}
		v.Reports = r
	}
	if s.sees(c, policy.PageExternalContent) {
		as, _, err := articles.List(ctx, st.db, a, articles.Query{Sort: "-updated"}, store.Page{Limit: homeItems})
		if err != nil {
			return fmt.Errorf("web: home articles: %w", err)
		}
		h := &ui.HomeArticles{Label: policy.Label(a, policy.PageExternalContent), Path: "/kb"}
		for _, x := range as {
			l := ui.HomeLink{Title: x.Title, URL: articleURL(x.ID), Updated: x.UpdatedAt}
			if x.Category != nil {
				l.Meta = x.Category.Name
			}
			h.Items = append(h.Items, l)
		}
		v.Articles = h
	}
	t := st.tenant
	v.Support = ui.SupportCard{Email: t.SupportEmail, Phone: t.SupportPhone, Hours: t.SupportHours}
	return nil
}

// memberHome is the short home of members: how many open tickets are
// assigned to them, when the tickets page is theirs.
func (s *Server) memberHome(c *fiber.Ctx, v *ui.HomeView) error {
	st := state(c)
	if !policy.MayBeAssigned(st.actor.Kind) || !s.sees(c, policy.PageTickets) {
		return nil
	}
	cfg, err := s.ticketConfig(c)
	if err != nil {
		return err
	}
	n, err := tickets.Count(c.UserContext(), st.db, st.actor, cfg, tickets.Query{Open: true, AssigneeID: st.actor.UserID})
	if err != nil {
		return fmt.Errorf("web: home assigned tickets: %w", err)
	}
	v.Assigned = &ui.HomeCount{N: n, Label: policy.Label(st.actor, policy.PageTickets),
		URL: fmt.Sprintf("/tickets?open=true&assignee=%d", st.actor.UserID)}
	return nil
}

func homeTickets(views []tickets.View) []ui.HomeTicket {
	out := make([]ui.HomeTicket, 0, len(views))
	for _, t := range views {
		h := ui.HomeTicket{Number: t.Number, Title: t.Title, URL: ticketURL(t.ID), Updated: t.UpdatedAt, Company: companyName(t.Company)}
		if t.Shows(policy.FieldStatus) {
			h.Status = statusBadge(t.Status)
		}
		out = append(out, h)
	}
	return out
}

// reportMeta is a report's company and period in a few words.
func reportMeta(r reports.View) string {
	parts := []string{}
	if r.Company.Name != "" {
		parts = append(parts, r.Company.Name)
	}
	switch {
	case r.PeriodStart != "" && r.PeriodEnd != "":
		parts = append(parts, r.PeriodStart+" to "+r.PeriodEnd)
	case r.PeriodEnd != "":
		parts = append(parts, "to "+r.PeriodEnd)
	}
	return strings.Join(parts, " · ")
}
