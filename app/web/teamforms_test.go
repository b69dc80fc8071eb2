package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// teamCount counts the rows of a query about Acme's team work.
func teamCount(t *testing.T, e *env, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.R.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// globexTeam signs email in and returns the client with the IDs of Globex
// Success and Leadership and the path of Globex Success's page.
func globexTeam(t *testing.T, e *env, email string) (*client, int64, int64, string) {
	t.Helper()
	c := e.client("acme.localhost").mustLogin(email, "demo-pass-1")
	gs := lookupID(t, e, "team", "acme", "Globex Success")
	return c, gs, lookupID(t, e, "team", "acme", "Leadership"), "/teams/" + strconv.FormatInt(gs, 10)
}

// TestTeamPageFormsForCarol: carol, a client, works her team's page with
// its forms as htmx does (each answer is the section alone): she adds an
// issue, picks it top 1, solves it into a to-do, posts a message, changes
// her own rock's status and enters a number of the scorecard. She sees no
// send or cascade control, and forging one is refused and changes nothing.
func TestTeamPageFormsForCarol(t *testing.T) {
	e := newEnv(t, nil)
	carol, gs, lead, page := globexTeam(t, e, "carol@globex.test")

	// Her page has the forms, and no send or cascade control.
	got := carol.get(page)
	if got.status != 200 {
		t.Fatalf("carol's team page: %d", got.status)
	}
	for _, want := range []string{`action="` + page + `/issues"`, `action="` + page + `/messages"`, `action="` + page + `/rocks"`, `action="` + page + `/scorecard"`, "Pick or solve", `name="top_rank"`} {
		if !strings.Contains(got.body, want) {
			t.Errorf("carol's page lacks %q", want)
		}
	}
	for _, canary := range []string{"Send to", "/send", "cascade_team_ids", "Also post to", "Leadership"} {
		if strings.Contains(got.body, canary) {
			t.Errorf("carol's page shows %q", canary)
		}
	}

	// Add an issue: the answer is the issues section with it.
	r := carol.htmx("POST", page+"/issues", url.Values{"title": {"Printer queue stuck"}, "priority": {"high"}, "term": {"short"}})
	if r.status != 200 || !strings.HasPrefix(strings.TrimSpace(r.body), `<section id="issues"`) || !strings.Contains(r.body, "Printer queue stuck") {
		t.Fatalf("carol adds an issue: %d %s", r.status, r.body)
	}
	issue := lookupID(t, e, "issue", "acme", "Printer queue stuck")
	ipath := page + "/issues/" + strconv.FormatInt(issue, 10)

	// Pick it top 1: the one that held the rank lets go of it.
	r = carol.htmx("POST", ipath+"/rank", url.Values{"top_rank": {"1"}})
	if r.status != 200 || !strings.Contains(r.body, "Top 1") {
		t.Fatalf("carol picks it: %d %s", r.status, r.body)
	}
	if n := teamCount(t, e, "SELECT COUNT(*) FROM issues WHERE id = ? AND top_rank = 1", issue); n != 1 {
		t.Errorf("the issue is not top 1")
	}
	if n := teamCount(t, e, "SELECT COUNT(*) FROM issues WHERE team_id = ? AND top_rank = 1", gs); n != 1 {
		t.Errorf("%d issues are top 1", n)
	}

	// Solve it into a to-do: the issue leaves, the to-do comes with the answer.
	r = carol.htmx("POST", ipath+"/solve", url.Values{"todo_title": {"Replace the print server"}})
	if r.status != 200 || strings.Contains(r.body, "Printer queue stuck") || !strings.Contains(r.body, `hx-swap-oob="true"`) || !strings.Contains(r.body, "Replace the print server") {
		t.Fatalf("carol solves it: %d %s", r.status, r.body)
	}
	if n := teamCount(t, e, "SELECT COUNT(*) FROM todos WHERE team_id = ? AND title = 'Replace the print server' AND issue_id = ?", gs, issue); n != 1 {
		t.Errorf("no to-do carries the solution")
	}
	if got := carol.get(page); !strings.Contains(got.body, "Replace the print server") || strings.Contains(got.body, "Printer queue stuck") {
		t.Errorf("the page after solving: to-do shown %v, issue gone %v", strings.Contains(got.body, "Replace the print server"), !strings.Contains(got.body, "Printer queue stuck"))
	}

	// Post a message: markdown rendered, scripts gone.
	r = carol.htmx("POST", page+"/messages", url.Values{"title": {"Cut-over moved"}, "body": {"To **the 14th**.<script>alert(1)</script>"}})
	if r.status != 200 || !strings.Contains(r.body, "<strong>the 14th</strong>") || strings.Contains(r.body, "<script>alert") {
		t.Fatalf("carol posts: %d %s", r.status, r.body)
	}

	// A forged send and a forged cascade are refused and change nothing.
	mailbox := lookupID(t, e, "issue", "acme", "Shared mailbox permissions keep resetting")
	r = carol.htmx("POST", page+"/issues/"+strconv.FormatInt(mailbox, 10)+"/send", url.Values{"team_id": {strconv.FormatInt(lead, 10)}})
	if r.status != 403 {
		t.Errorf("carol sends an issue away: %d %s", r.status, r.body)
	}
	if n := teamCount(t, e, "SELECT COUNT(*) FROM issues WHERE id = ? AND team_id = ?", mailbox, gs); n != 1 {
		t.Errorf("the issue left her team")
	}
	if r = carol.form(page+"/issues/"+strconv.FormatInt(mailbox, 10)+"/send", url.Values{"_csrf": {formCSRF(t, got.body)}, "team_id": {strconv.FormatInt(lead, 10)}}); r.status != 403 {
		t.Errorf("carol sends an issue away without htmx: %d", r.status)
	}
	before := teamCount(t, e, "SELECT COUNT(*) FROM messages")
	r = carol.htmx("POST", page+"/messages", url.Values{"title": {"To all"}, "body": {"Hello"}, "cascade_team_ids": {strconv.FormatInt(lead, 10)}})
	if r.status != 403 {
		t.Errorf("carol cascades: %d %s", r.status, r.body)
	}
	if after := teamCount(t, e, "SELECT COUNT(*) FROM messages"); after != before {
		t.Errorf("the refused cascade posted %d messages", after-before)
	}

	// Bad input: 400, the error next to the field, what was typed kept.
	r = carol.htmx("POST", page+"/issues", url.Values{"title": {"   "}, "priority": {"low"}, "term": {"long"}})
	if r.status != 400 || !strings.Contains(r.body, `id="issue-title-error"`) || !strings.Contains(r.body, `aria-invalid="true"`) ||
		!strings.Contains(r.body, `<option value="low" selected`) || !strings.Contains(r.body, `<option value="long" selected`) || !strings.HasPrefix(strings.TrimSpace(r.body), `<section id="issues"`) {
		t.Errorf("an empty issue title: %d %s", r.status, r.body)
	}
	long := strings.Repeat("x", 300)
	r = carol.htmx("POST", page+"/issues", url.Values{"title": {long}, "priority": {"high"}, "term": {"short"}})
	if r.status != 400 || !strings.Contains(r.body, `id="issue-title-error"`) || !strings.Contains(r.body, `value="`+long+`"`) {
		t.Errorf("a 300-character issue title: %d %s", r.status, r.body)
	}
	r = carol.htmx("POST", page+"/messages", url.Values{"title": {""}, "body": {"Kept **body**"}})
	if r.status != 400 || !strings.Contains(r.body, `id="message-title-error"`) || !strings.Contains(r.body, "Kept **body**") {
		t.Errorf("an empty message title: %d %s", r.status, r.body)
	}
	r = carol.htmx("POST", ipath+"/solve", url.Values{"todo_title": {long}})
	if r.status != 400 && r.status != 404 {
		t.Errorf("solving a solved issue with a long to-do: %d", r.status)
	}
	shared := lookupID(t, e, "issue", "acme", "Licence true-up before the renewal")
	spath := page + "/issues/" + strconv.FormatInt(shared, 10)
	r = carol.htmx("POST", spath+"/solve", url.Values{"todo_title": {long}})
	if r.status != 400 || !strings.Contains(r.body, `id="issue-`+strconv.FormatInt(shared, 10)+`-todo_title-error"`) || !strings.Contains(r.body, `value="`+long+`"`) {
		t.Errorf("a 300-character to-do: %d %s", r.status, r.body)
	}
	if n := teamCount(t, e, "SELECT COUNT(*) FROM issues WHERE id = ? AND status = 'open'", shared); n != 1 {
		t.Errorf("the refused solve solved the issue")
	}

	// Her own rock's status changes; the rock shared with Service Desk has
	// no control for her, and a forged change is refused.
	mail := lookupID(t, e, "rock", "acme", "Migrate Globex mail to M365")
	mfa := lookupID(t, e, "rock", "acme", "Roll out MFA at Globex")
	got = carol.get(page)
	if !strings.Contains(got.body, page+"/rocks/"+strconv.FormatInt(mail, 10)+"/status") {
		t.Errorf("carol has no status control on her rock")
	}
	if strings.Contains(got.body, page+"/rocks/"+strconv.FormatInt(mfa, 10)+"/status") {
		t.Errorf("carol has a status control on the shared rock")
	}
	r = carol.htmx("POST", page+"/rocks/"+strconv.FormatInt(mail, 10)+"/status", url.Values{"status": {"off_track"}})
	if r.status != 200 || !strings.HasPrefix(strings.TrimSpace(r.body), `<section id="rocks"`) || !strings.Contains(r.body, `<option value="off_track" selected`) {
		t.Errorf("carol sets her rock off track: %d %s", r.status, r.body)
	}
	if n := teamCount(t, e, "SELECT COUNT(*) FROM rocks WHERE id = ? AND status = 'off_track'", mail); n != 1 {
		t.Errorf("the rock's status did not change")
	}
	r = carol.htmx("POST", page+"/rocks/"+strconv.FormatInt(mfa, 10)+"/status", url.Values{"status": {"done"}})
	if r.status != 403 {
		t.Errorf("carol changes the shared rock: %d %s", r.status, r.body)
	}
	if n := teamCount(t, e, "SELECT COUNT(*) FROM rocks WHERE id = ? AND status = 'off_track'", mfa); n != 1 {
		t.Errorf("the shared rock's status changed")
	}
	r = carol.htmx("POST", page+"/rocks/"+strconv.FormatInt(mail, 10)+"/status", url.Values{"status": {"sideways"}})
	if r.status != 400 || !strings.Contains(r.body, `id="rock-`+strconv.FormatInt(mail, 10)+`-status-error"`) {
		t.Errorf("a made-up status: %d %s", r.status, r.body)
	}

	// Add a rock: owned by her unless she chooses.
	r = carol.htmx("POST", page+"/rocks", url.Values{"title": {"Train Globex staff on phishing"}, "due_on": {"2027-03-31"}})
	if r.status != 200 || !strings.Contains(r.body, "Train Globex staff on phishing") {
		t.Errorf("carol adds a rock: %d %s", r.status, r.body)
	}
	r = carol.htmx("POST", page+"/rocks", url.Values{"title": {""}, "due_on": {"soon"}})
	if r.status != 400 || !strings.Contains(r.body, `id="rock-title-error"`) || !strings.Contains(r.body, `id="rock-due_on-error"`) || !strings.Contains(r.body, "<details class=\"section-add\" open") {
		t.Errorf("a rock with no title and a bad date: %d %s", r.status, r.body)
	}

	// A number of the scorecard: a manual metric takes it, shown in the
	// scorecard; a metric the portal fills has no place in the form.
	staff := teamCount(t, e, "SELECT id FROM metrics WHERE title = 'Staff satisfaction (%)'")
	if !strings.Contains(got.body, `<option value="`+strconv.Itoa(staff)+`"`) || strings.Contains(got.body, ">Globex tickets opened</option>") {
		t.Errorf("the number form's metrics are wrong")
	}
	r = carol.htmx("POST", page+"/scorecard", url.Values{"metric_id": {strconv.Itoa(staff)}, "value": {"97,5"}, "note": {"After the MFA training"}})
	if r.status != 200 || !strings.HasPrefix(strings.TrimSpace(r.body), `<section id="scorecard"`) || !strings.Contains(r.body, "97.5") || !strings.Contains(r.body, "After the MFA training") {
		t.Errorf("carol enters a number: %d %s", r.status, r.body)
	}
	r = carol.htmx("POST", page+"/scorecard", url.Values{"metric_id": {strconv.Itoa(staff)}, "value": {"lots"}})
	if r.status != 400 || !strings.Contains(r.body, `id="value-value-error"`) || !strings.Contains(r.body, `value="lots"`) {
		t.Errorf("a number that is not one: %d %s", r.status, r.body)
	}
	fed := teamCount(t, e, "SELECT id FROM metrics WHERE title = 'Globex tickets opened'")
	r = carol.htmx("POST", page+"/scorecard", url.Values{"metric_id": {strconv.Itoa(fed)}, "value": {"3"}})
	if r.status != 400 || !strings.Contains(r.body, "The portal computes") {
		t.Errorf("a number for a fed metric: %d %s", r.status, r.body)
	}

	// Without JavaScript a form answers with a redirect to its section.
	got = carol.get(page)
	r = carol.form(page+"/issues", url.Values{"_csrf": {formCSRF(t, got.body)}, "title": {"Scanner offline"}, "priority": {"low"}, "term": {"short"}})
	if r.status != 303 || r.header.Get("Location") != page+"#issues" {
		t.Errorf("a plain issue form: %d %s", r.status, r.header.Get("Location"))
	}
}

// TestTeamPageFormsForAlan: alan, a member, sees the send and cascade
// controls, sends an issue to Leadership and cascades a message.
func TestTeamPageFormsForAlan(t *testing.T) {
	e := newEnv(t, nil)
	alan, gs, lead, page := globexTeam(t, e, "alan@acme.test")
	got := alan.get(page)
	for _, want := range []string{"Pick, solve or send", "Send to", `name="cascade_team_ids"`, "Also post to", ">Leadership</option>"} {
		if !strings.Contains(got.body, want) {
			t.Errorf("alan's page lacks %q", want)
		}
	}
	if strings.Contains(got.body, `name="cascade_team_ids" value="`+strconv.FormatInt(gs, 10)+`"`) {
		t.Errorf("alan may cascade to the team itself")
	}
	mailbox := lookupID(t, e, "issue", "acme", "Shared mailbox permissions keep resetting")
	r := alan.htmx("POST", page+"/issues/"+strconv.FormatInt(mailbox, 10)+"/send", url.Values{"team_id": {strconv.FormatInt(lead, 10)}})
	if r.status != 200 || strings.Contains(r.body, "Shared mailbox permissions keep resetting") {
		t.Errorf("alan sends an issue: %d %s", r.status, r.body)
	}
	if n := teamCount(t, e, "SELECT COUNT(*) FROM issues WHERE id = ? AND team_id = ?", mailbox, lead); n != 1 {
		t.Errorf("the issue is not in Leadership")
	}
	licence := lookupID(t, e, "issue", "acme", "Licence true-up before the renewal")
	r = alan.htmx("POST", page+"/issues/"+strconv.FormatInt(licence, 10)+"/send", url.Values{"team_id": {""}})
	if r.status != 400 || !strings.Contains(r.body, `id="issue-`+strconv.FormatInt(licence, 10)+`-team_id-error"`) {
		t.Errorf("sending to no team: %d %s", r.status, r.body)
	}
	r = alan.htmx("POST", page+"/messages", url.Values{"title": {"Globex renewal signed"}, "body": {"Three more years."}, "cascade_team_ids": {strconv.FormatInt(lead, 10)}})
	if r.status != 200 || !strings.Contains(r.body, "Globex renewal signed") {
		t.Errorf("alan cascades: %d %s", r.status, r.body)
	}
	if n := teamCount(t, e, "SELECT COUNT(*) FROM messages WHERE title = 'Globex renewal signed' AND team_id = ? AND cascaded_from IS NOT NULL", lead); n != 1 {
		t.Errorf("Leadership got no copy")
	}
}
