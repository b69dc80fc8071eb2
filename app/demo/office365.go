package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/atrium-portal/atrium/app/office365"
	"github.com/atrium-portal/atrium/app/store"
)

// The demo's Microsoft 365 data (page office365): Globex with three SKUs
// and 40 users, some licences unassigned and some licensed users who have
// not signed in for weeks; Initech with one SKU and 10 users. Rows are
// inserted directly, without audit records, each only when missing.

type m365Seed struct {
	company  string
	domain   string
	licences []m365Licence
	users    int
	// assign gives user i (from 0) its SKUs.
	assign func(i int) []string
}

type m365Licence struct {
	sku, name string
	total     int
}

const (
	skuPremium = "O365_BUSINESS_PREMIUM"
	skuBasic   = "O365_BUSINESS_ESSENTIALS"
	skuE5Sec   = "IDENTITY_THREAT_PROTECTION"
)

var m365Seeds = map[string][]m365Seed{"acme": {{
	company: "Globex Corporation", domain: "globex.example",
	licences: []m365Licence{
		{skuPremium, "Microsoft 365 Business Premium", 30},
		{skuBasic, "Microsoft 365 Business Basic", 12},
		{skuE5Sec, "Microsoft 365 E5 Security", 5},
	},
	users: 40,
	// 26 Premium (4 of 30 unassigned), 4 of them with E5 Security (1 of 5
	// unassigned), 9 Basic (3 of 12 unassigned), 5 without a licence.
	assign: func(i int) []string {
		switch {
		case i < 4:
			return []string{skuPremium, skuE5Sec}
		case i < 26:
			return []string{skuPremium}
		case i < 35:
			return []string{skuBasic}
		}
		return nil
	},
}, {
	company: "Initech", domain: "initech.example",
	licences: []m365Licence{{skuPremium, "Microsoft 365 Business Premium", 12}},
	users:    10,
	assign: func(i int) []string {
		if i < 9 {
			return []string{skuPremium}
		}
		return nil
	},
}}}

var (
	m365First = []string{"Amelia", "Benjamin", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Henry", "Isla", "Jack",
		"Keira", "Liam", "Maya", "Noah", "Olivia", "Patrick", "Quinn", "Ruby", "Samuel", "Thea"}
	m365Last = []string{"Anderson", "Brooks", "Carter", "Dalton", "Ellis", "Foster", "Garcia", "Hughes", "Iverson", "Jensen",
		"Khan", "Lopez", "Morgan", "Nguyen", "Okafor", "Patel", "Reyes", "Schmidt", "Turner", "Walsh"}
	m365MFA = []office365.MFA{office365.MFAEnforced, office365.MFAEnforced, office365.MFAEnabled, office365.MFAEnforced,
		office365.MFADisabled, office365.MFAEnabled, office365.MFAEnforced, office365.MFAUnknown}
)

// m365Name is the deterministic name of user i of a company: no two alike.
func m365Name(i, offset int) (string, string) {
	first := m365First[(i+offset)%len(m365First)]
	last := m365Last[(i/len(m365First)*3+i*7+offset)%len(m365Last)]
	return first + " " + last, strings.ToLower(first + "." + last)
}

func seedOffice365(ctx context.Context, tx *store.Scoped, slug string, companies map[string]int64) error {
	now := time.Now().UTC().Truncate(time.Second)
	for n, s := range m365Seeds[slug] {
		cid, ok := companies[s.company]
		if !ok {
			continue
		}
		licences := map[string]int64{}
		for _, l := range s.licences {
			row := &office365.Licence{CompanyID: cid, SKU: l.sku, Name: l.name, Total: l.total, UpdatedAt: now}
			if err := ensure(ctx, tx, row, "company_id = ? AND sku = ?", cid, l.sku); err != nil {
				return fmt.Errorf("licence %s: %w", l.sku, err)
			}
			licences[l.sku] = row.ID
		}
		for i := range s.users {
			name, local := m365Name(i, n*3)
			email := local + "@" + s.domain
			// Sign-ins from today to 60 days ago, and a few users who never
			// signed in, so some licensed users show as possibly unused.
			var last *time.Time
			if days := (i * 11) % 61; i%9 != 4 {
				t := now.Add(-time.Duration(days)*24*time.Hour - time.Duration(i)*time.Hour)
				last = &t
			}
			u := &office365.User{CompanyID: cid, Email: email, DisplayName: name, MFA: m365MFA[i%len(m365MFA)], LastSignIn: last, UpdatedAt: now}
			if err := ensure(ctx, tx, u, "company_id = ? AND email = ?", cid, email); err != nil {
				return fmt.Errorf("user %s: %w", email, err)
			}
			for _, sku := range s.assign(i) {
				a := &office365.Assignment{CompanyID: cid, UserID: u.ID, LicenceID: licences[sku]}
				if err := ensure(ctx, tx, a, "user_id = ? AND licence_id = ?", u.ID, licences[sku]); err != nil {
					return fmt.Errorf("assignment %s %s: %w", email, sku, err)
				}
			}
		}
	}
	return nil
}
