package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/config"
)

// busyEnv allows one password hash at a time and no waiting for it, so a
// handful of parallel sign-ins finds the slot taken.
func busyEnv(t *testing.T) *env {
	return newEnv(t, func(c *config.Config) {
		c.LoginRate.PerAddress, c.LoginRate.PerAccount = 1000, 1000
		c.Passwords.ConcurrentHashes = 1
		c.Passwords.HashWait = config.Duration{Duration: time.Millisecond}
	})
}

// parallel runs n copies of f at once and returns their responses.
func parallel(n int, f func(i int) response) []response {
	out := make([]response, n)
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func() { defer wg.Done(); out[i] = f(i) }()
	}
	wg.Wait()
	return out
}

// TestSignInBusyAPI: sign-ins beyond the hashing bound wait briefly and are
// answered 503 with Retry-After, never 500, never evaluated.
func TestSignInBusyAPI(t *testing.T) {
	e := busyEnv(t)
	rs := parallel(16, func(i int) response {
		return e.client("acme.localhost").login("user"+strconv.Itoa(i)+"@acme.test", "wrong-password")
	})
	n := map[int]int{}
	for _, r := range rs {
		n[r.status]++
		if r.status == 503 {
			if r.errorCode() != "busy" || r.header.Get("Retry-After") == "" {
				t.Errorf("503: code %q, Retry-After %q", r.errorCode(), r.header.Get("Retry-After"))
			}
		}
	}
	if n[503] == 0 || n[401] == 0 || n[401]+n[503] != 16 {
		t.Errorf("answers %v: want some 401 and some 503, nothing else", n)
	}
	// A busy answer does not count as a failed attempt.
	if r := e.client("acme.localhost").login("ken@acme.test", "demo-pass-1"); r.status != 200 {
		t.Errorf("sign-in once the burst is over: %d", r.status)
	}
}

// TestSignInBusyForm: the sign-in form, with htmx, shows the busy message
// next to the fields with 503 and Retry-After.
func TestSignInBusyForm(t *testing.T) {
	e := busyEnv(t)
	rs := parallel(16, func(i int) response {
		c := e.client("acme.localhost")
		tok := formCSRF(t, c.get("/login").body)
		return c.do("POST", "/login", strings.NewReader(url.Values{"_csrf": {tok}, "email": {"ada@acme.test"}, "password": {"wrong-" + strconv.Itoa(i)}}.Encode()),
			"application/x-www-form-urlencoded", map[string]string{"HX-Request": "true"})
	})
	busy := 0
	for _, r := range rs {
		switch r.status {
		case 401:
		case 503:
			busy++
			if r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "The server is busy checking passwords.") ||
				!strings.Contains(r.body, `value="ada@acme.test"`) || strings.Contains(r.body, "<html") {
				t.Errorf("busy form: Retry-After %q\n%s", r.header.Get("Retry-After"), r.body)
			}
		default:
			t.Errorf("status %d", r.status)
		}
	}
	if busy == 0 {
		t.Error("no sign-in found the hashing slot taken")
	}
}
