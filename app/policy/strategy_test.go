package policy_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// TestStrategyTable renders who reads the objects of each strategy page
// (with the why and direction pages on, then off, and with the page hidden
// from the user) and who writes them, and compares it with
// testdata/strategy.golden, reviewed by hand against SPEC §4.2 and §5.
// Regenerate with: go test ./app/policy -run TestStrategyTable -update
func TestStrategyTable(t *testing.T) {
	on := policy.AllStrategyPagesOn()
	off := policy.Settings{}
	var b strings.Builder
	b.WriteString("# profile × strategy page → may read its objects: toggles on, toggles off, page hidden; then may write\n")
	for _, p := range profiles() {
		if strings.Contains(p.name, "stored") {
			continue
		}
		for _, page := range policy.StrategyPages {
			hidden := p.actor
			hidden.HiddenPages = []policy.Page{page}
			got := policy.CanReadStrategy(p.actor, on, page)
			if got != policy.CanSeePage(p.actor, on, page) {
				t.Errorf("%s %s: reading objects and seeing the page disagree", p.name, page)
			}
			fmt.Fprintf(&b, "%-26s read %-12s on %-5v off %-5v hidden %v\n", p.name, page, got,
				policy.CanReadStrategy(p.actor, off, page), policy.CanReadStrategy(hidden, on, page))
		}
		fmt.Fprintf(&b, "%-26s write vision %-5v headlines %-5v roles chart %v\n", p.name,
			policy.CanEditVision(p.actor), policy.CanEditHeadlines(p.actor), policy.CanEditRolesChart(p.actor))
	}
	if policy.CanReadStrategy(policy.Actor{UserID: 1, TenantID: 1, Kind: policy.Member}, on, policy.PageTickets) {
		t.Error("CanReadStrategy answers for a page that is not a strategy page")
	}
	got := b.String()
	const path = "testdata/strategy.golden"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("strategy table changed; review the diff and run with -update:\n%s", diff(string(want), got))
	}
}
