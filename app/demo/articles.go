package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/articles"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// The demo's knowledge base: categories and articles for each audience,
// so that every reader of SPEC §15 sees a different part of it. Rows are
// inserted directly, dated back, and leave no audit record: they are the
// starting point, not a change anyone made.

type articleSeed struct {
	title, category, author string
	audience                policy.Audience
	companies               []string
	daysAgo                 float64
	body                    string
}

type articlesSeed struct {
	categories []string
	articles   []articleSeed
}

// articleSeeds are the knowledge bases by tenant slug.
var articleSeeds = map[string]articlesSeed{
	"acme": {
		categories: []string{"Getting started", "Security", "How we work"},
		articles: []articleSeed{
			{title: "How to reach the service desk", category: "Getting started", author: "ken@acme.test", audience: policy.AudienceAll, daysAgo: 20,
				body: `The Acme service desk looks after your laptops, phones, accounts and network. Here is how to reach us, fastest first.

## Open a ticket

Open **Support** in the portal and choose *New ticket*. Say what happens, since when, and who is affected. You get an email for every update, and you can reply on the ticket.

## Call us

| When | Number | For |
| --- | --- | --- |
| Mon–Fri, 8:00–18:00 | +1 555 0100 | Anything |
| Any other time | +1 555 0199 | Outages only |

## What to have ready

1. Your name and company.
2. The device's name (on a sticker under the laptop).
3. A screenshot of any error message.

We answer urgent tickets within **one hour** during office hours.`},
			{title: "Set up MFA on your phone", category: "Security", author: "ken@acme.test", audience: policy.AudienceAll, daysAgo: 12,
				body: `Multi-factor authentication (MFA) keeps your account safe even when a password leaks. It takes five minutes.

## Before you start

- Your phone, with the **Microsoft Authenticator** app installed from the App Store or Google Play.
- Your computer, signed in to your work account.

## Steps

1. On your computer, open [the security info page](https://mysignins.microsoft.com/security-info).
2. Choose **Add sign-in method**, then **Authenticator app**.
3. In the app on your phone, tap **+**, then **Work or school account**, and scan the QR code on the screen.
4. Approve the test notification.

> Lost your phone? Call the service desk at once: we block the old device and help you set up the new one.

## Tips

- Turn on *cloud backup* in the app so a new phone restores your accounts.
- Never approve a sign-in you did not start.`},
			{title: "Globex VPN setup guide", category: "How we work", author: "alan@acme.test", audience: policy.AudienceCompanies, companies: []string{"Globex Corporation"}, daysAgo: 6,
				body: `Globex staff working from home or a branch office connect to the head office through the VPN.

## Install the client

1. Download **GlobalProtect** from the company portal on your laptop.
2. Run the installer; it needs no administrator password.
3. Enter the portal address ` + "`vpn.globex.example`" + ` when asked.

## Connect

Sign in with your work account and approve the MFA prompt. The shield icon in the task bar turns blue when you are connected.

## When it drops

- Check that your home internet works without the VPN.
- Disconnect and connect again; if it keeps dropping, open a ticket and tell us the time it happened.

` + "```" + `
Portal:   vpn.globex.example
Gateway:  gw1.globex.example (backup: gw2.globex.example)
` + "```"},
			{title: "On-call runbook", category: "How we work", author: "ada@acme.test", audience: policy.AudienceInternal, daysAgo: 3,
				body: `For Acme staff on call. **Not for clients.**

## When the pager goes off

1. Acknowledge within 5 minutes in the paging app.
2. Open the monitoring dashboard and find the alert's client and host.
3. If a whole site is down, call the client's emergency contact before you start working.

## Escalation

| After | Call |
| --- | --- |
| 30 minutes | The second on-call engineer |
| 1 hour | Alan (admin) |
| 2 hours | Ada |

## After the incident

- Write a resolution note on the ticket.
- Add the time spent and the billing code.
- Book a review for anything that paged more than twice this week.`},
		},
	},
	"northwind": {
		categories: []string{"Handbook"},
		articles: []articleSeed{
			{title: "Partner onboarding checklist", category: "Handbook", author: "nina@northwind.test", audience: policy.AudienceAll, daysAgo: 5,
				body: "Welcome to Northwind Partners.\n\n- [ ] Sign the engagement letter\n- [ ] Share your billing contact\n- [ ] Book the kickoff call"},
		},
	},
}

// seedArticles creates whatever of the tenant's knowledge base is missing.
func seedArticles(ctx context.Context, tx *store.Scoped, s articlesSeed, companies, users map[string]int64) error {
	now := time.Now().UTC()
	cats := map[string]int64{}
	for i, name := range s.categories {
		c := &articles.Category{Name: name, Position: i + 1, CreatedAt: now}
		if err := ensure(ctx, tx, c, "name = ?", name); err != nil {
			return err
		}
		cats[name] = c.ID
	}
	for _, as := range s.articles {
		exists, err := tx.Select((*articles.Article)(nil)).Where("a.title = ?", as.title).Exists(ctx)
		if err != nil {
			return fmt.Errorf("article %q: %w", as.title, err)
		}
		if exists {
			continue
		}
		at := ago(now, as.daysAgo)
		author := users[as.author]
		ar := &articles.Article{Title: as.title, Body: as.body, Audience: as.audience, Published: true,
			CreatedBy: &author, UpdatedBy: &author, CreatedAt: at, UpdatedAt: at}
		if id, ok := cats[as.category]; ok {
			ar.CategoryID = &id
		}
		if _, err := tx.Insert(ar).Exec(ctx); err != nil {
			return fmt.Errorf("article %q: %w", as.title, err)
		}
		for _, name := range as.companies {
			if _, err := tx.Insert(&articles.ArticleCompany{ArticleID: ar.ID, CompanyID: companies[name]}).Exec(ctx); err != nil {
				return fmt.Errorf("article %q: %w", as.title, err)
			}
		}
	}
	return nil
}
