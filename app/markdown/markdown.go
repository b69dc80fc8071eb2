// Package markdown turns the markdown people write (report parts,
// knowledge base articles, vision pages) into HTML that is safe to put in
// a page: goldmark renders CommonMark with GitHub's tables, strikethrough
// and task lists, raw HTML in the source is escaped rather than passed
// through, and a bluemonday allow-list then keeps only text formatting,
// lists, tables, code and links (http, https, mailto, with rel="nofollow
// noreferrer"). Images, styles and everything else are dropped: the strict
// CSP allows only the portal's own images, and nothing here uploads any.
package markdown

import (
	"bytes"
	"fmt"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Renderer renders and sanitises markdown. Build one with New and share
// it: both halves are safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds a Renderer.
func New() *Renderer {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
		"blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w+-]{1,30}$`)).OnElements("code")
	// GFM task lists: a disabled checkbox.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").OnElements("input")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	return &Renderer{
		// No html.WithUnsafe: raw HTML in the source is escaped.
		md:     goldmark.New(goldmark.WithExtensions(extension.GFM)),
		policy: p,
	}
}

// HTML renders src to sanitised HTML.
func (r *Renderer) HTML(src string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("markdown: render: %w", err)
	}
	return r.policy.Sanitize(buf.String()), nil
}
