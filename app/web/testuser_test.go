package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The seeds advise an admin to test the portal with a test account at
// their own address plus a "+test" suffix (alan+test@acme.test). The
// suffix is part of the address: the account is another person's to
// Atrium, with its own invitation, password, sign-in and flag.

// inviteAlanTest invites alan+test@acme.test as an external editor of
// Acme Test Co, as alan: through the JSON API, or through Settings →
// Users → Invite as a browser posts it (without JavaScript).
func inviteAlanTest(t *testing.T, e *env, alan *client, how string) {
	t.Helper()
	company := lookupID(t, e, "company", "acme", "Acme Test Co")
	switch how {
	case "api":
		r := alan.api("POST", "/api/v1/invitations", map[string]any{"email": "alan+test@acme.test", "kind": "external_editor",
			"company_ids": []int64{company}, "modules": []map[string]any{{"key": "tickets", "show": true, "label": "Support"}}})
		if r.status != 201 || r.json(t)["email"] != "alan+test@acme.test" {
			t.Fatalf("invite through the API: %d %s", r.status, r.body)
		}
	case "form":
		page := alan.get("/settings/users/new")
		if page.status != 200 {
			t.Fatalf("invite form: %d", page.status)
		}
		r := alan.form("/settings/users/new", url.Values{"_csrf": {formCSRF(t, page.body)}, "email": {"alan+test@acme.test"},
			"kind": {"external_editor"}, "company_ids": {strconv.FormatInt(company, 10)},
			"module_show_tickets": {"1"}, "module_label_tickets": {"Support"}})
		if r.status != 303 || r.header.Get("Location") != "/settings/users?done=invited" {
			t.Fatalf("invite through the form: %d %s", r.status, r.body)
		}
	default:
		t.Fatalf("no way to invite %q", how)
	}
}

// TestPlusTestAddressIsItsOwnAccount: inviting alan+test@acme.test, by
// the API and by the form, is accepted although alan@acme.test exists;
// the email goes to the +test address with its own link; accepting it
// makes a distinct user who signs in with their own password while alan
// still signs in as himself; an admin flags it a test user and the users
// list badges it, and it can be previewed interactively.
func TestPlusTestAddressIsItsOwnAccount(t *testing.T) {
	for _, how := range []string{"api", "form"} {
		t.Run(how, func(t *testing.T) {
			e := newEnv(t, nil)
			in, deliver := withInbox(t, e)
			alanID := userID(t, e, "acme", "alan@acme.test")
			alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
			inviteAlanTest(t, e, alan, how)
			testID := userID(t, e, "acme", "alan+test@acme.test")
			if testID == alanID {
				t.Fatal("the +test address is alan's own account")
			}

			// The address is kept as written, not folded into alan's.
			deliver()
			msgs := in.Messages()
			if len(msgs) != 1 || msgs[0].To != "alan+test@acme.test" || !strings.Contains(msgs[0].Body(), "To: alan+test@acme.test") {
				t.Fatalf("the invitation went to %+v", msgs)
			}
			token := strings.TrimPrefix(msgs[0].Link("/invite/"), "https://portal.acme.example/invite/")
			if token == "" {
				t.Fatalf("no link in:\n%s", msgs[0].Body())
			}

			// The same address again, in any case, is taken; alan's too; another suffix is not.
			for _, sc := range []struct {
				email  string
				status int
			}{{"alan+test@acme.test", 409}, {" Alan+Test@ACME.test ", 409}, {"alan@acme.test", 409}, {"alan+test2@acme.test", 201}} {
				if r := alan.api("POST", "/api/v1/invitations", map[string]any{"email": sc.email, "kind": "member"}); r.status != sc.status {
					t.Errorf("invite %q: %d %s, want %d", sc.email, r.status, r.body, sc.status)
				}
			}

			// Accepting makes the +test user, signed in as themselves.
			tester := e.client("acme.localhost")
			acc := tester.api("POST", "/api/v1/invitations/accept", map[string]string{"token": token, "name": "Alan Test", "password": "a test account passphrase"})
			if acc.status != 200 {
				t.Fatalf("accept: %d %s", acc.status, acc.body)
			}
			me := tester.api("GET", "/api/v1/me", nil).json(t)["user"].(map[string]any)
			if me["id"] != float64(testID) || me["email"] != "alan+test@acme.test" || me["kind"] != "external_editor" || me["test_user"] != false {
				t.Errorf("the new user: %v", me)
			}

			// Each address signs in with its own password only; the +test
			// address in capitals is still the +test account.
			for _, sc := range []struct {
				email, password string
				id              int64
			}{
				{"alan+test@acme.test", "a test account passphrase", testID},
				{"ALAN+TEST@acme.test", "a test account passphrase", testID},
				{"alan@acme.test", "demo-pass-1", alanID},
			} {
				c := e.client("acme.localhost")
				if r := c.login(sc.email, sc.password); r.status != 200 || r.json(t)["user"].(map[string]any)["id"] != float64(sc.id) {
					t.Errorf("sign in as %s: %d %s", sc.email, r.status, r.body)
				}
			}
			for _, sc := range [][2]string{{"alan+test@acme.test", "demo-pass-1"}, {"alan@acme.test", "a test account passphrase"}} {
				if r := e.client("acme.localhost").login(sc[0], sc[1]); r.status != 401 {
					t.Errorf("%s signs in with the other account's password: %d", sc[0], r.status)
				}
			}
			// The sign-in form, as a browser encodes the "+".
			page := e.client("acme.localhost")
			login := page.get("/login")
			if r := page.form("/login", url.Values{"_csrf": {formCSRF(t, login.body)}, "email": {"alan+test@acme.test"}, "password": {"a test account passphrase"}}); r.status != 303 {
				t.Errorf("sign-in form: %d %s", r.status, r.body)
			}
			// A password reset for the +test address goes there, not to alan.
			if r := e.client("acme.localhost").api("POST", "/api/v1/password-resets", map[string]string{"email": "alan+test@acme.test"}); r.status != 202 {
				t.Fatalf("reset: %d", r.status)
			}
			deliver()
			if msgs := in.Messages(); msgs[len(msgs)-1].To != "alan+test@acme.test" || msgs[len(msgs)-1].Link("/reset/") == "" {
				t.Errorf("the reset went to %q", msgs[len(msgs)-1].To)
			}

			// alan flags it a test user; the list badges it, and only it.
			path := "/api/v1/users/" + strconv.FormatInt(testID, 10)
			if r := alan.api("PATCH", path, map[string]any{"test_user": true}); r.status != 200 || r.json(t)["test_user"] != true {
				t.Fatalf("flag test user: %d %s", r.status, r.body)
			}
			if r := alan.get(path); r.json(t)["test_user"] != true || r.json(t)["email"] != "alan+test@acme.test" {
				t.Errorf("after the flag: %s", r.body)
			}
			if r := alan.get("/api/v1/users/" + strconv.FormatInt(alanID, 10)); r.json(t)["test_user"] != false {
				t.Errorf("alan's own account is flagged too: %s", r.body)
			}
			list := alan.get("/settings/users?q=" + url.QueryEscape("alan+test"))
			if list.status != 200 {
				t.Fatalf("users list: %d", list.status)
			}
			row := userRow(t, list.body, "alan+test@acme.test")
			if !strings.Contains(row, `<span class="badge badge-test">Test user</span>`) {
				t.Errorf("the +test user's row has no Test user badge:\n%s", row)
			}
			if _, ok := findUserRow(list.body, "alan@acme.test"); ok {
				t.Error("searching for alan+test lists alan's own account")
			}
			all := alan.get("/settings/users?q=alan")
			if row := userRow(t, all.body, "alan@acme.test"); strings.Contains(row, "badge-test") {
				t.Errorf("alan's own row is badged a test user:\n%s", row)
			}
			if row := userRow(t, all.body, "alan+test@acme.test"); !strings.Contains(row, "Test user") {
				t.Errorf("the +test row lost its badge in the longer list:\n%s", row)
			}

			// Now alan previews his test account interactively (SPEC §9).
			r := alan.api("POST", "/api/v1/previews", map[string]any{"user_id": testID})
			if r.status != 201 || r.json(t)["read_only"] != false {
				t.Errorf("preview the +test user: %d %s", r.status, r.body)
			}
		})
	}
}

// userRow is the people table's row of the user with this address.
func userRow(t *testing.T, body, email string) string {
	t.Helper()
	row, ok := findUserRow(body, email)
	if !ok {
		t.Fatalf("no row for %s in:\n%s", email, body)
	}
	return row
}

func findUserRow(body, email string) (string, bool) {
	for _, row := range regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(body, -1) {
		if strings.Contains(html.UnescapeString(row), ">"+email+"<") {
			return row, true
		}
	}
	return "", false
}
