package browsertest

import (
	"strings"

	"github.com/chromedp/chromedp"
)

// kbPages checks, for whoever has the knowledge base, the first article of
// each category shown and, for those who write it, the new-article form
// and an article's edit form; with ATRIUM_SCREENSHOTS set it also keeps
// screenshots of them.
func (c *axeChecker) kbPages(who string) {
	c.t.Helper()
	do(c.t, c.b, c.d, chromedp.Navigate(c.d.URL("acme.localhost", "/kb")), chromedp.WaitReady(`body`))
	Screenshot(c.t, c.b, "kb-"+who)
	links := run(c.t, c.b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#kb-list td.kb-title a, .page-actions a[href="/kb/new"]')].map(a => a.getAttribute('href'))`))
	seen := map[string]bool{}
	for _, href := range links {
		kind := "article"
		if href == "/kb/new" {
			kind = href
		}
		if seen[kind] {
			continue
		}
		seen[kind] = true
		c.page(who, href)
		Screenshot(c.t, c.b, "kb-"+who+"-"+strings.Trim(strings.ReplaceAll(href, "/", "-"), "-"))
		if kind == "article" {
			edit := run(c.t, c.b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.kb-article-actions a')].map(a => a.getAttribute('href'))`))
			for _, e := range edit {
				c.page(who, e)
				Screenshot(c.t, c.b, "kb-"+who+"-edit")
			}
		}
	}
}
