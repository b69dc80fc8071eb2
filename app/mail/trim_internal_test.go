package mail

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTrimKeepsWholeRunes: a long delivery error is cut to at most 500
// bytes without splitting a multi-byte character.
func TestTrimKeepsWholeRunes(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("a", 499) + "é and more",    // "é" straddles byte 500
		strings.Repeat("a", 498) + "€ and more",    // a 3-byte rune over the edge
		strings.Repeat("a", 497) + "😀 and more",    // a 4-byte rune over the edge
		strings.Repeat("é", 300),                   // every rune is two bytes
		strings.Repeat("a", 500) + "ä",             // exactly 500 before the cut
		"550 mailbox unavailable: Postfächer voll", // short: unchanged
	} {
		got := trim(s)
		if len(got) > maxErrorBytes || !utf8.ValidString(got) || !strings.HasPrefix(s, got) {
			t.Errorf("trim(%.20q…) = %d bytes, valid %v", s, len(got), utf8.ValidString(got))
		}
		if len(s) <= maxErrorBytes && got != s {
			t.Errorf("a short error changed: %q", got)
		}
		if len(s) > maxErrorBytes && len(got) < maxErrorBytes-3 {
			t.Errorf("trim cut %d bytes, more than one rune", len(s)-len(got))
		}
	}
}
