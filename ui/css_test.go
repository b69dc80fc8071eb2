package ui

import (
	"os"
	"strings"
	"testing"
)

// TestStylesheetBlocksClose: every block of app.css closes. An unclosed
// @media block (a merge that lost one brace) silently moves every rule
// after it inside the media query, and nothing else notices.
func TestStylesheetBlocksClose(t *testing.T) {
	b, err := os.ReadFile("static/css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	depth, line := 0, 1
	css := string(b)
	for i := 0; i < len(css); i++ {
		switch {
		case strings.HasPrefix(css[i:], "/*"):
			end := strings.Index(css[i+2:], "*/")
			if end < 0 {
				t.Fatalf("line %d: a comment never ends", line)
			}
			line += strings.Count(css[i:i+2+end], "\n")
			i += end + 3
		case css[i] == '\n':
			line++
		case css[i] == '{':
			depth++
		case css[i] == '}':
			depth--
			if depth < 0 {
				t.Fatalf("line %d: a block closes that never opened", line)
			}
		}
	}
	if depth != 0 {
		t.Errorf("%d blocks of app.css never close", depth)
	}
}
