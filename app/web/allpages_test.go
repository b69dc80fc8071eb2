package web_test

import (
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// TestEveryPageForEveryDemoUser: every page path of SPEC §5 answers 200 to
// the demo users whose navigation has it and 403 to the others.
func TestEveryPageForEveryDemoUser(t *testing.T) {
	e := newEnv(t, nil)
	users := []string{
		"ada@acme.test", "alan@acme.test", "grace@acme.test", "linus@acme.test", "hedy@acme.test",
		"barbara@acme.test", "ken@acme.test", "gina@guest.test", "carol@globex.test",
		"erin@globex.test", "victor@globex.test", "oscar@initech.test", "tess@acme.test",
	}
	for _, email := range users {
		c := e.client("acme.localhost").mustLogin(email, "demo-pass-1")
		me := c.api("GET", "/api/v1/me", nil).json(t)
		inNav := map[string]bool{}
		for _, p := range me["pages"].([]any) {
			inNav[p.(map[string]any)["path"].(string)] = true
		}
		for _, info := range policy.Pages {
			want := 403
			if inNav[info.Path] {
				want = 200
			}
			if r := c.get(info.Path); r.status != want {
				t.Errorf("%s GET %s: %d, want %d", email, info.Path, r.status, want)
			}
		}
	}
}
