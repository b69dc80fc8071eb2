package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/config"
)

// TestForwardedForReadFromTheRight: behind a trusted proxy that appends to
// X-Forwarded-For, a client who forges the left-most entry neither escapes
// the per-address sign-in limit nor writes its text into the audit log.
func TestForwardedForReadFromTheRight(t *testing.T) {
	e := newEnv(t, func(c *config.Config) {
		c.TrustedProxies = []string{"0.0.0.0/8", "10.0.0.0/8"} // the test peer is 0.0.0.0
		c.LoginRate.PerAddress = 3
		c.LoginRate.PerAccount = 1000
	})
	statuses := map[int]int{}
	for i := range 8 {
		c := e.client("acme.localhost")
		// The client's forged entry, then the address the proxy saw, then
		// an inner trusted proxy.
		c.headers["X-Forwarded-For"] = fmt.Sprintf("203.0.113.%d, 198.51.100.7, 10.1.2.3", i)
		r := c.api("POST", "/api/v1/session", map[string]string{"email": fmt.Sprintf("nobody%d@acme.test", i), "password": "wrong-password-1"})
		statuses[r.status]++
	}
	if statuses[401] != 3 || statuses[429] != 5 {
		t.Errorf("answers %v, want 3×401 then 5×429 for one client address", statuses)
	}
	var addrs []string
	rows, err := e.db.R.QueryContext(context.Background(), "SELECT DISTINCT address FROM audit_log WHERE action = 'login.failed'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, a)
	}
	if len(addrs) != 1 || addrs[0] != "198.51.100.7" {
		t.Errorf("audit addresses %q, want only 198.51.100.7", addrs)
	}
}

// TestForwardedForJunkIsNotAnAddress: an entry that is not an IP address
// (here 8 KB of bytes that are not UTF-8) is never taken as the address, and
// our own client-address header cannot be sent from outside.
func TestForwardedForJunkIsNotAnAddress(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.TrustedProxies = []string{"0.0.0.0/8"} })
	c := e.client("acme.localhost")
	c.headers["X-Forwarded-For"] = strings.Repeat("\xff", 8192)
	c.headers["X-Atrium-Client-Ip"] = "192.0.2.99"
	if r := c.api("POST", "/api/v1/session", map[string]string{"email": "x@acme.test", "password": "wrong-password-1"}); r.status != 401 {
		t.Fatalf("sign-in: %d %s", r.status, r.body)
	}
	var addr string
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT address FROM audit_log WHERE action = 'login.failed'").Scan(&addr); err != nil {
		t.Fatal(err)
	}
	if addr != "0.0.0.0" {
		t.Errorf("address %q, want the peer's 0.0.0.0", addr)
	}
}
