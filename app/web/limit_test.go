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

// TestParallelGuessesAreCounted: 60 parallel wrong passwords for one
// account are each counted before the password is checked, so at most the
// limit (10) are evaluated and the rest are refused with 429.
func TestParallelGuessesAreCounted(t *testing.T) {
	e := newEnv(t, func(c *config.Config) {
		c.LoginRate.PerAddress = 1000
		c.Passwords.HashWait = config.Duration{Duration: time.Minute} // never 503 here
	})
	codes := make([]int, 60)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.client("acme.localhost").login("ken@acme.test", "guess-"+strconv.Itoa(i))
			codes[i] = r.status
			if r.status == 429 && r.header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		}()
	}
	wg.Wait()
	n := map[int]int{}
	for _, c := range codes {
		n[c]++
	}
	if n[401] < 1 || n[401] > 10 || n[401]+n[429] != 60 {
		t.Errorf("answers %v: want at most 10 × 401 and the rest 429", n)
	}
	// The account is locked for the right password too.
	if r := e.client("acme.localhost").login("ken@acme.test", "demo-pass-1"); r.status != 429 {
		t.Errorf("right password after the burst: %d", r.status)
	}
}

// TestSuccessGivesTheAttemptBack: sign-ins that succeed do not use up the
// address's allowance of failures.
func TestSuccessGivesTheAttemptBack(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.LoginRate.PerAddress = 3 })
	for i := 0; i < 5; i++ {
		e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	}
}

// TestPasswordChangeLimited: wrong current passwords are counted against
// the account like sign-ins; past the limit the form answers 429 with
// Retry-After and says so next to the field, even for the right password.
func TestPasswordChangeLimited(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.LoginRate.PerAccount = 3 })
	c := e.client("acme.localhost").mustLogin("hedy@acme.test", "demo-pass-1")
	tok := formCSRF(t, c.get("/account/password").body)
	try := func(current string) response {
		return c.do("POST", "/account/password", strings.NewReader(url.Values{"current_password": {current}, "new_password": {"a fresh passphrase"}}.Encode()),
			"application/x-www-form-urlencoded", map[string]string{"HX-Request": "true", "X-CSRF-Token": tok})
	}
	for i := 0; i < 3; i++ {
		if r := try("wrong-" + strconv.Itoa(i)); r.status != 400 || !strings.Contains(r.body, "This is not your current password.") {
			t.Fatalf("wrong password %d: %d", i, r.status)
		}
	}
	r := try("demo-pass-1")
	if r.status != 429 || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "Too many attempts. Try again in 15 minutes.") {
		t.Fatalf("past the limit: %d Retry-After=%q\n%s", r.status, r.header.Get("Retry-After"), r.body)
	}
	if !strings.Contains(r.body, `name="current_password"`) || strings.Contains(r.body, "<html") {
		t.Error("the message is not in the form fragment")
	}
	if r := e.client("acme.localhost").login("hedy@acme.test", "a fresh passphrase"); r.status == 200 {
		t.Error("the password changed while the account was locked")
	}
}

// TestRightCurrentPasswordResetsTheCount: a right current password clears
// the account's count, as a sign-in does.
func TestRightCurrentPasswordResetsTheCount(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.LoginRate.PerAccount = 3 })
	c := e.client("acme.localhost").mustLogin("hedy@acme.test", "demo-pass-1")
	tok := formCSRF(t, c.get("/account/password").body)
	c.form("/account/password", url.Values{"_csrf": {tok}, "current_password": {"wrong"}, "new_password": {"a fresh passphrase"}})
	c.form("/account/password", url.Values{"_csrf": {tok}, "current_password": {"wrong"}, "new_password": {"a fresh passphrase"}})
	if r := c.form("/account/password", url.Values{"_csrf": {tok}, "current_password": {"demo-pass-1"}, "new_password": {"a fresh passphrase"}}); r.status != 303 {
		t.Fatalf("right password: %d", r.status)
	}
	for i := 0; i < 2; i++ {
		if r := e.client("acme.localhost").login("hedy@acme.test", "wrong"); r.status != 401 {
			t.Errorf("sign-in %d after the change: %d", i, r.status)
		}
	}
}

// TestParallelResetRequestsAreCounted: reset requests for one account are
// counted atomically too: of 30 parallel requests at most 10 are accepted.
func TestParallelResetRequestsAreCounted(t *testing.T) {
	e := newEnv(t, nil)
	n := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.client("acme.localhost").api("POST", "/api/v1/password-resets", map[string]string{"email": "ken@acme.test"})
			mu.Lock()
			n[r.status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if n[202] < 1 || n[202] > 10 || n[202]+n[429] != 30 {
		t.Errorf("answers %v: want at most 10 × 202 and the rest 429", n)
	}
	tokens, err := e.db.R.NewSelect().Table("user_tokens").Where("purpose = 'reset'").Count(t.Context())
	if err != nil || tokens > 10 {
		t.Errorf("%d reset links issued (%v), want at most 10", tokens, err)
	}
}
