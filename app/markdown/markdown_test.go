package markdown_test

import (
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/markdown"
)

func TestHTML(t *testing.T) {
	r := markdown.New()
	for _, tc := range []struct {
		name, src  string
		want, none []string
	}{
		{"headings and lists", "# Plan\n\n- one\n- two\n", []string{"<h1", "Plan</h1>", "<li>one</li>"}, nil},
		{"table", "| a | b |\n| - | - |\n| 1 | 2 |\n", []string{"<table>", "<td>1</td>"}, nil},
		{"raw html is escaped", "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>", nil, []string{"<script", "onerror=", "<img"}},
		{"script links are dropped", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"links get rel", "[site](https://example.com)", []string{`href="https://example.com"`, "nofollow"}, nil},
		{"images are dropped", "![cat](https://example.com/cat.png)", nil, []string{"<img", "cat.png"}},
		{"style attributes go", "<p style=\"color:red\">x</p>", nil, []string{"style="}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.HTML(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, n := range tc.none {
				if strings.Contains(got, n) {
					t.Errorf("%q holds %q", got, n)
				}
			}
		})
	}
}
