package browsertest

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// navLabels are the labels of the sidebar's links.
func navLabels(t *testing.T, b *Browser) []string {
	t.Helper()
	return run(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('nav.nav a.nav-link')].map(a => a.textContent.trim())`))
}

// path is the current page's path.
func path(t *testing.T, b *Browser) string {
	t.Helper()
	u, err := url.Parse(run(t, b, chromedp.Location()))
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// previewBanner is the preview banner's text, "" when there is none.
func previewBanner(t *testing.T, b *Browser) string {
	t.Helper()
	return run(t, b, chromedp.Evaluate[string](`document.querySelector('.preview-banner')?.innerText.replace(/\s+/g, ' ').trim() || ''`))
}

// bannerCovers lists the page's own controls, headings and fields that
// the preview banner overlaps (by their outer HTML's start), and whether
// the page scrolls sideways.
const bannerCovers = `(() => {
	const b = document.querySelector('.preview-banner').getBoundingClientRect();
	const covered = [...document.querySelectorAll('.topbar a, .topbar button, .topbar summary, .topbar select, .page-title, main a, main button, main input, main select, main h2')]
		.filter(el => {
			const r = el.getBoundingClientRect();
			return r.width > 0 && r.height > 0 && r.top < b.bottom && r.bottom > b.top;
		})
		.map(el => el.outerHTML.slice(0, 80));
	if (document.documentElement.scrollWidth > innerWidth) covered.push('the page scrolls sideways');
	return covered;
})()`

// isPreviewingErin checks the page alan sees while previewing erin:
// erin's home under the banner, her module labels in the navigation and
// no administration; at the desktop and the phone size, the banner shows
// all its words and covers none of the page's own controls.
func isPreviewingErin(t *testing.T, b *Browser, d *Demo) {
	t.Helper()
	if got := previewBanner(t, b); got != "Previewing as Erin Editor (External editor) Exit preview" {
		t.Errorf("banner %q", got)
	}
	if p := path(t, b); p != "/" {
		t.Errorf("the preview opened %s, not erin's home", p)
	}
	nav := navLabels(t, b)
	if !slices.Contains(nav, "Support") || !slices.Contains(nav, "M365") || slices.Contains(nav, "Settings") || slices.Contains(nav, "Audit log") {
		t.Errorf("navigation while previewing erin: %q", nav)
	}
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		do(t, b, d, chromedp.EmulateViewport(size[0], size[1]), chromedp.ScrollIntoView(`body`), chromedp.Sleep(100*time.Millisecond))
		if covered := run(t, b, chromedp.Evaluate[[]string](bannerCovers)); len(covered) > 0 {
			t.Errorf("at %d×%d the banner covers: %q", size[0], size[1], covered)
		}
		if cut := run(t, b, chromedp.Evaluate[bool](`(t => t.scrollWidth > t.clientWidth || t.scrollHeight > t.clientHeight)(document.querySelector('.preview-banner-text'))`)); cut {
			t.Errorf("at %d×%d the banner's words are cut off", size[0], size[1])
		}
	}
	do(t, b, d, chromedp.EmulateViewport(1280, 800))
}

// isAlanAgain checks that alan is back as himself on path: no banner, his
// own navigation.
func isAlanAgain(t *testing.T, b *Browser, want string) {
	t.Helper()
	if p := path(t, b); p != want {
		t.Errorf("after the preview alan is on %s, want %s", p, want)
	}
	if got := previewBanner(t, b); got != "" {
		t.Errorf("the banner stays after the exit: %q", got)
	}
	if nav := navLabels(t, b); !slices.Contains(nav, "Settings") || slices.Contains(nav, "Support") {
		t.Errorf("alan's navigation after the exit: %q", nav)
	}
	if run(t, b, chromedp.Evaluate[bool](`document.body.classList.contains('previewing')`)) {
		t.Error("the frame is still marked previewing")
	}
}

// TestPreviewAsInTheBrowser: alan, an admin, previews erin from Settings →
// Users and sees her portal under the banner; the banner's Exit preview is
// the keyboard's first stop after the skip link and brings him back to the
// users list as himself. From erin's profile page, the same, leaving by a
// click. The screenshots are of erin's home under the banner.
func TestPreviewAsInTheBrowser(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowserWithin(t, 2*time.Minute)
	signIn(t, b, d, "alan@acme.test")

	// Settings → Users: the Preview as button in erin's row.
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/settings")), chromedp.WaitVisible(`a[href="/settings/users"]`),
		chromedp.Click(`main a[href="/settings/users"]`), chromedp.WaitVisible(`#user-rows`))
	action := run(t, b, chromedp.Evaluate[string](`(() => {
		const row = [...document.querySelectorAll('#user-rows tbody tr')].find(r => r.textContent.includes('erin@globex.test'));
		return row?.querySelector('form[action$="/preview"]')?.getAttribute('action') || '';
	})()`))
	if action == "" {
		t.Fatal("erin's row has no Preview as")
	}
	erinPage := strings.TrimSuffix(action, "/preview")
	preview := `form[action="` + action + `"] button[type=submit]`
	if label := run(t, b, chromedp.Evaluate[string](`document.querySelector('#user-rows `+preview+`').textContent.trim()`)); label != "Preview as Erin Editor" {
		t.Errorf("the button says %q", label)
	}
	do(t, b, d, chromedp.Click(`#user-rows `+preview), chromedp.WaitVisible(`.preview-banner`))
	isPreviewingErin(t, b, d)
	Screenshot(t, b, "preview-erin-home")

	// The keyboard: from the top of the page, the skip link, then Exit preview.
	do(t, b, d, chromedp.Reload(), chromedp.WaitVisible(`.preview-banner`))
	var focused string
	for range 2 {
		do(t, b, d, chromedp.KeyEvent(kb.Tab))
		focused = run(t, b, chromedp.Evaluate[string](`(e => e.tagName + ' ' + (e.getAttribute('type') || '') + ' ' + e.textContent.trim())(document.activeElement)`))
	}
	if focused != "BUTTON submit Exit preview" || !run(t, b, chromedp.Evaluate[bool](`document.activeElement.closest('.preview-banner') !== null && document.activeElement.matches(':focus-visible')`)) {
		t.Fatalf("the second Tab focuses %q, not the banner's Exit preview with a visible focus", focused)
	}
	do(t, b, d, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(`#user-rows`))
	isAlanAgain(t, b, "/settings/users")

	// Erin's profile page: Preview as, then a click on Exit preview.
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", erinPage)), chromedp.WaitVisible(`main `+preview),
		chromedp.Click(`main `+preview), chromedp.WaitVisible(`.preview-banner`))
	isPreviewingErin(t, b, d)
	do(t, b, d, chromedp.Click(`.preview-banner button[type=submit]`), chromedp.WaitNotPresent(`.preview-banner`), chromedp.WaitVisible(`h1.page-title`))
	isAlanAgain(t, b, erinPage)
	noErrors(t, b)
}
