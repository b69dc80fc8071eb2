package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// TestPreviewSameAsOwnSession (issue 10): for every demo user alan, an
// admin, may preview, his preview answers exactly what that user's own
// session answers — navigation, the status of every page of SPEC §5, the
// tickets with their notes, the reports with their parts, and the HTML of
// every page they may open. Only what is per session by nature is set
// aside: the CSRF token, the preview banner and the frame's previewing class.
func TestPreviewSameAsOwnSession(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")

	// Who alan may preview is the policy's answer, not a list kept here:
	// every acme user the route accepts, which must be exactly those with a
	// "Preview as" button in Settings → Users.
	r := alan.get("/api/v1/users?limit=100")
	users := items(t, r)
	if c, _ := r.json(t)["next_cursor"].(string); c != "" {
		t.Fatalf("more than 100 users: %s", r.body)
	}
	settingsUsers := alan.get("/settings/users").body
	var targets []string
	ids := map[string]int64{}
	for _, u := range users {
		id, email := int64(u["id"].(float64)), u["email"].(string)
		r := alan.api("POST", "/api/v1/previews", map[string]any{"user_id": id})
		switch r.status {
		case 201:
			targets = append(targets, email)
			ids[email] = id
			if r := alan.api("DELETE", "/api/v1/previews/current", nil); r.status != 204 {
				t.Fatalf("end the preview of %s: %d %s", email, r.status, r.body)
			}
		case 403:
		default:
			t.Fatalf("preview %s: %d %s", email, r.status, r.body)
		}
		if button := strings.Contains(settingsUsers, `action="`+previewPath(id)+`"`); button != (r.status == 201) {
			t.Errorf("%s: a preview answers %d, yet a Preview as button in Settings → Users: %v", email, r.status, button)
		}
	}
	// SPEC §9 and §15: not ada (super admin), not alan himself, not dora
	// (deactivated), not grace, linus, hedy or barbara (each holds a
	// capability alan lacks); everyone else.
	slices.Sort(targets)
	want := []string{"carol@globex.test", "erin@globex.test", "gina@guest.test", "ken@acme.test",
		"oscar@initech.test", "tess@acme.test", "victor@globex.test"}
	if !slices.Equal(targets, want) {
		t.Fatalf("alan may preview %v, want %v", targets, want)
	}

	for _, email := range targets {
		t.Run(strings.SplitN(email, "@", 2)[0], func(t *testing.T) {
			own := e.client("acme.localhost").mustLogin(email, "demo-pass-1")
			if r := alan.api("POST", "/api/v1/previews", map[string]any{"user_id": ids[email]}); r.status != 201 {
				t.Fatalf("start: %d %s", r.status, r.body)
			}
			defer func() {
				if r := alan.api("DELETE", "/api/v1/previews/current", nil); r.status != 204 {
					t.Fatalf("end: %d %s", r.status, r.body)
				}
			}()
			sameAs := sameView{t: t, preview: alan, own: own, diffed: new(bool)}

			// Navigation, and who the preview says it is.
			pm, om := alan.get("/api/v1/me").json(t), own.get("/api/v1/me").json(t)
			if !sameJSON(pm["pages"], om["pages"]) {
				sameAs.differ("/api/v1/me", "pages differ", jsonOf(om["pages"]), jsonOf(pm["pages"]))
			}
			if !sameJSON(pm["user"], om["user"]) {
				sameAs.differ("/api/v1/me", "user differs", jsonOf(om["user"]), jsonOf(pm["user"]))
			}
			if pm["preview"] == nil {
				t.Errorf("/api/v1/me is not a preview: %v", pm)
			}

			// Every page of SPEC §5: the same status, and the same HTML when it opens.
			opened := 0
			for _, p := range policy.Pages {
				if sameAs.html(p.Path) {
					opened++
				}
			}

			// Tickets, each with its notes, and its page.
			tickets := sameAs.list("/api/v1/tickets")
			for _, id := range tickets {
				sameAs.json(ticketPath(id))
				sameAs.json(ticketPath(id, "/notes"))
				sameAs.html("/tickets/" + strconv.FormatInt(id, 10))
			}
			// Reports, each with its parts, and its page.
			reports := sameAs.list("/api/v1/reports")
			for _, id := range reports {
				sameAs.json("/api/v1/reports/" + strconv.FormatInt(id, 10))
				sameAs.html("/reports/" + strconv.FormatInt(id, 10))
			}
			t.Logf("the same: %d of %d pages open, %d tickets, %d reports", opened, len(policy.Pages), len(tickets), len(reports))
		})
	}
}

// sameView compares what a preview answers with what the previewed user's
// own session answers for the same request.
type sameView struct {
	t            *testing.T
	preview, own *client
	// diffed: a mismatch was shown with its diff already; the next ones
	// name their request only, so the first stays readable.
	diffed *bool
}

// differ reports a mismatch of GET path, with a diff of own (-) and
// preview (+) for the first one.
func (s sameView) differ(path, what, own, preview string) {
	s.t.Helper()
	if *s.diffed {
		s.t.Errorf("GET %s: %s (diff left out)", path, what)
		return
	}
	*s.diffed = true
	s.t.Errorf("GET %s: %s; - own, + preview:\n%s", path, what, lineDiff(own, preview))
}

// json compares the status and body of GET path.
func (s sameView) json(path string) response {
	s.t.Helper()
	p, o := s.preview.get(path), s.own.get(path)
	if p.status != o.status || p.body != o.body {
		s.differ(path, fmt.Sprintf("preview %d, own %d", p.status, o.status), o.body, p.body)
	}
	return o
}

// list compares every page of the list at path and returns its items' IDs.
func (s sameView) list(path string) []int64 {
	s.t.Helper()
	var ids []int64
	for next := path; next != ""; {
		o := s.json(next)
		if o.status != 200 {
			return ids
		}
		body := o.json(s.t)
		for _, it := range body["items"].([]any) {
			ids = append(ids, int64(it.(map[string]any)["id"].(float64)))
		}
		next = ""
		if c, _ := body["next_cursor"].(string); c != "" {
			next = path + "?cursor=" + url.QueryEscape(c)
		}
	}
	return ids
}

// html compares the status of GET path and, when it opens, its HTML once
// the per-session parts are set aside; it reports whether the page opened.
func (s sameView) html(path string) bool {
	s.t.Helper()
	p, o := s.preview.get(path), s.own.get(path)
	if p.status != o.status {
		s.t.Errorf("GET %s: preview %d, own %d", path, p.status, o.status)
		return false
	}
	if o.status != 200 {
		return false
	}
	if !strings.Contains(p.body, `class="preview-banner"`) {
		s.t.Errorf("GET %s: no preview banner", path)
	}
	pb, ob := s.normal(p.body, s.preview.csrf), s.normal(o.body, s.own.csrf)
	if pb != ob {
		s.differ(path, "the preview's HTML differs from the user's own", ob, pb)
	}
	return true
}

var (
	previewBannerRE = regexp.MustCompile(`<div class="preview-banner"[^>]*>.*?</div>`)
	previewingRE    = regexp.MustCompile(`class="app previewing"`)
)

// normal sets aside what differs between two sessions by nature: the
// session's CSRF token (meta tag, hx-headers, hidden inputs), the preview
// banner and the frame's previewing class. Nothing else.
func (s sameView) normal(body, csrf string) string {
	if csrf == "" {
		s.t.Fatal("no CSRF token to set aside")
	}
	body = strings.ReplaceAll(body, csrf, "CSRF-TOKEN")
	body = previewBannerRE.ReplaceAllString(body, "")
	return previewingRE.ReplaceAllString(body, `class="app"`)
}

// lineDiff is a small unified-style diff of want (-) and got (+), by
// lines, with HTML broken after each tag so a one-line page diffs usefully;
// it shows each changed run with two lines of context, at most 60 lines.
func lineDiff(want, got string) string {
	split := func(s string) []string {
		s = strings.ReplaceAll(s, ">", ">\n")
		s = strings.ReplaceAll(s, "},{", "},\n{")
		return strings.Split(s, "\n")
	}
	a, b := split(want), split(got)
	// Longest common subsequence, by lines.
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var ops []line
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, line{' ', a[i]})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, line{'-', a[i]})
			i++
		default:
			ops = append(ops, line{'+', b[j]})
			j++
		}
	}
	var out []string
	last := -1
	for k, l := range ops {
		if l.op == ' ' {
			continue
		}
		from := max(k-2, last+1)
		if last >= 0 && from > last+1 {
			out = append(out, "@@")
		}
		for c := from; c <= min(k+2, len(ops)-1); c++ {
			if c > last {
				out = append(out, fmt.Sprintf("%c %s", ops[c].op, ops[c].text))
				last = c
			}
		}
		if len(out) > 60 {
			out = append(out[:60], "…")
			break
		}
	}
	return strings.Join(out, "\n")
}
