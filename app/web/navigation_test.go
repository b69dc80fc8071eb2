package web_test

import (
	"strings"
	"testing"
)

// memberPages is SPEC §5's member column in sidebar order.
const memberPages = "home upcoming teams workboards vision why direction strategy_dashboard company_rocks roles_chart " +
	"headlines heatmap trending ideas ideas_trending risks people_insights social one_on_ones " +
	"plan tickets reports office365 contacts companies external_content"

// TestDemoNavigation: every demo user's navigation (keys and labels) is what
// SPEC §5 and §15 say, written out here by hand.
func TestDemoNavigation(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct {
		host, email, password string
		keys                  string
		labels                map[string]string // key → label, where it differs from the page's name
	}{
		{"acme.localhost", "ada@acme.test", "demo-pass-1", memberPages + " settings audit billing", nil},
		{"acme.localhost", "alan@acme.test", "demo-pass-1", memberPages + " settings audit", nil},
		{"acme.localhost", "grace@acme.test", "demo-pass-1", memberPages + " settings", nil},
		{"acme.localhost", "linus@acme.test", "demo-pass-1", memberPages + " settings", nil},
		{"acme.localhost", "hedy@acme.test", "demo-pass-1", memberPages + " settings", nil},
		{"acme.localhost", "barbara@acme.test", "demo-pass-1", memberPages + " settings billing", nil},
		{"acme.localhost", "ken@acme.test", "demo-pass-1", memberPages, nil},
		{"acme.localhost", "gina@guest.test", "demo-pass-1", "home upcoming workboards", nil},
		{"acme.localhost", "carol@globex.test", "demo-pass-1", "home upcoming teams", nil},
		{"acme.localhost", "erin@globex.test", "demo-pass-1", "home plan tickets reports office365 contacts external_content",
			map[string]string{"tickets": "Support", "office365": "M365", "external_content": "Knowledge Base", "plan": "Strategy and Plan"}},
		{"acme.localhost", "victor@globex.test", "demo-pass-1", "home plan tickets reports", map[string]string{"tickets": "Tickets"}},
		{"acme.localhost", "oscar@initech.test", "demo-pass-1", "home tickets", nil},
		{"acme.localhost", "tess@acme.test", "demo-pass-1", "home plan tickets", nil},
		{"northwind.localhost", "nina@northwind.test", "demo-pass-1", memberPages + " settings audit billing", nil},
		{"northwind.localhost", "ada@acme.test", "demo-pass-2", memberPages, nil},
	}
	for _, tt := range tests {
		t.Run(tt.host+" "+tt.email, func(t *testing.T) {
			c := e.client(tt.host).mustLogin(tt.email, tt.password)
			me := c.api("GET", "/api/v1/me", nil).json(t)
			var keys []string
			labels := map[string]string{}
			for _, p := range me["pages"].([]any) {
				m := p.(map[string]any)
				keys = append(keys, m["key"].(string))
				labels[m["key"].(string)] = m["label"].(string)
			}
			if got := strings.Join(keys, " "); got != tt.keys {
				t.Errorf("navigation\n got %s\nwant %s", got, tt.keys)
			}
			for k, want := range tt.labels {
				if labels[k] != want {
					t.Errorf("label of %s = %q, want %q", k, labels[k], want)
				}
			}
		})
	}
}
