package tenant_test

import (
	"testing"

	"github.com/atrium-portal/atrium/app/tenant"
)

// TestFormatRatio: one decimal, cut rather than rounded, so a ratio just
// below the minimum never reads as the minimum; whole numbers bare.
// app.js's formatRatio writes the same.
func TestFormatRatio(t *testing.T) {
	for in, want := range map[float64]string{3: "3", 21: "21", 1: "1", 2.96: "2.9", 2.999: "2.9", 4.5: "4.5", 1.07: "1.0", 5.44: "5.4"} {
		if got := tenant.FormatRatio(in); got != want {
			t.Errorf("FormatRatio(%v) = %q, want %q", in, got, want)
		}
	}
}

// TestPrimaryContrastRule: the primary colour needs 3:1 on white; below it
// the refusal names the ratio and the minimum, and saving says the same
// sentence (Settings → Branding puts the rule in the page for app.js).
func TestPrimaryContrastRule(t *testing.T) {
	r := tenant.PrimaryContrast
	if r.Against != "#FFFFFF" || r.Min != tenant.MinPrimaryContrast {
		t.Fatalf("rule: %+v", r)
	}
	for hex, want := range map[string]string{
		"#0F766E": "",
		"#000000": "",
		"#FFFF00": "Too light to read on white (contrast 1.0:1, needs 3:1). Pick a darker colour.",
		"#FFFFFF": "Too light to read on white (contrast 1:1, needs 3:1). Pick a darker colour.",
		"#959595": "Too light to read on white (contrast 2.9:1, needs 3:1). Pick a darker colour.",
	} {
		if _, got := r.Check(hex); got != want {
			t.Errorf("Check(%s) = %q, want %q", hex, got, want)
		}
	}
	if c, _ := r.Check("#0F766E"); r.Format(r.OK, c) != "Contrast with white: 5.4:1 (needs 3:1)." {
		t.Errorf("ok sentence: %q", r.Format(r.OK, c))
	}
}
