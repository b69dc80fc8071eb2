package web_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/config"
)

// TestResetRequestTiming: asking for a reset link takes as long for an
// address with an account (token, email, audit record) as for one without:
// both answer after the configured answer time. Medians of several requests,
// with generous bounds; the known path alone takes a few milliseconds.
func TestResetRequestTiming(t *testing.T) {
	const floor = 100 * time.Millisecond
	e := newEnv(t, func(c *config.Config) {
		c.LoginRate.PerAddress, c.LoginRate.PerAccount = 1000, 1000
		c.Passwords.ResetAnswerTime = config.Duration{Duration: floor}
	})
	c := e.client("acme.localhost")
	var known, unknown []time.Duration
	for i := 0; i < 7; i++ {
		for _, email := range []string{"ada@acme.test", "nobody-" + strconv.Itoa(i) + "@acme.test"} {
			start := time.Now()
			r := c.api("POST", "/api/v1/password-resets", map[string]string{"email": email})
			took := time.Since(start)
			if r.status != 202 {
				t.Fatalf("%s: %d %s", email, r.status, r.body)
			}
			if strings.HasPrefix(email, "ada") {
				known = append(known, took)
			} else {
				unknown = append(unknown, took)
			}
		}
	}
	mk, mu := median(known), median(unknown)
	if mk < floor || mu < floor {
		t.Errorf("answered before the floor: known %s, unknown %s", mk, mu)
	}
	if ratio := float64(max(mk, mu)) / float64(min(mk, mu)); ratio > 1.5 {
		t.Errorf("medians differ: known %s, unknown %s (ratio %.2f)", mk, mu, ratio)
	}
	// The known address did get its links.
	n, err := e.db.R.NewSelect().Table("user_tokens").Where("purpose = 'reset'").Count(t.Context())
	if err != nil || n != 7 {
		t.Errorf("reset tokens issued: %d, %v", n, err)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
