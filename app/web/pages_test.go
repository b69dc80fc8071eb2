package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/policy"
)

// TestPageAccess is a scenario table: who, what, expected status, content
// that must and must not appear.
func TestPageAccess(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct {
		who     string // "" is anonymous
		method  string
		path    string
		htmx    bool
		status  int
		want    string
		notWant string
	}{
		{"", "GET", "/", false, 303, "", ""},
		{"", "GET", "/settings", true, 401, "", "Administration"},
		{"", "GET", "/api/v1/me", false, 401, `"unauthenticated"`, ""},
		{"ada@acme.test", "GET", "/", false, 200, `href="/settings"`, ""},
		{"ada@acme.test", "GET", "/settings", false, 200, "Branding", ""},
		{"alan@acme.test", "GET", "/settings/branding", false, 200, "brand-preview", ""},
		{"grace@acme.test", "GET", "/settings", false, 200, "/settings/users", "/settings/branding"},
		{"hedy@acme.test", "GET", "/settings", false, 200, "No sections for your capabilities", "/settings/users"},
		{"grace@acme.test", "GET", "/settings/branding", false, 403, "You don&#39;t have access", "brand-preview"},
		{"ken@acme.test", "GET", "/", false, 200, "Acme Portal", `href="/settings"`},
		{"ken@acme.test", "GET", "/settings", false, 403, "You don&#39;t have access", "Administration"},
		{"ken@acme.test", "GET", "/settings", true, 403, "You don&#39;t have access", "<html"},
		{"ken@acme.test", "GET", "/api/v1/pages/settings", false, 403, `"forbidden"`, ""},
		{"ken@acme.test", "GET", "/api/v1/pages/heatmap", false, 200, `"path":"/heatmap"`, ""},
		{"ken@acme.test", "GET", "/api/v1/pages/nope", false, 404, `"not_found"`, ""},
		{"ken@acme.test", "GET", "/no/such/page", false, 404, "Page not found", ""},
		{"ken@acme.test", "GET", "/no/such/page", true, 404, "Page not found", "<html"},
		{"erin@globex.test", "GET", "/", false, 200, "Support", "Heatmap"},
		{"erin@globex.test", "GET", "/api/v1/pages/tickets", false, 200, `"label":"Support"`, ""},
		{"erin@globex.test", "GET", "/api/v1/pages/companies", false, 403, "", ""},
		{"gina@guest.test", "GET", "/", false, 200, "Workboards", "Heatmap"},
		{"carol@globex.test", "GET", "/", false, 200, "avatar-client", "Vision"},
	}
	sessions := map[string]*client{}
	for _, tt := range tests {
		name := tt.who + " " + tt.method + " " + tt.path
		if tt.htmx {
			name += " (htmx)"
		}
		t.Run(name, func(t *testing.T) {
			c := e.client("acme.localhost")
			if tt.who != "" {
				if sessions[tt.who] == nil {
					sessions[tt.who] = e.client("acme.localhost").mustLogin(tt.who, "demo-pass-1")
				}
				c = sessions[tt.who]
			}
			hdr := map[string]string{}
			if tt.htmx {
				hdr["HX-Request"] = "true"
			}
			r := c.do(tt.method, tt.path, nil, "", hdr)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d\n%.400s", r.status, tt.status, r.body)
			}
			if tt.want != "" && !strings.Contains(r.body, tt.want) {
				t.Errorf("body lacks %q\n%.600s", tt.want, r.body)
			}
			if tt.notWant != "" && strings.Contains(r.body, tt.notWant) {
				t.Errorf("body has %q", tt.notWant)
			}
			if tt.status == 401 && tt.htmx && r.header.Get("HX-Redirect") != "/login" {
				t.Errorf("htmx 401 without HX-Redirect")
			}
		})
	}
}

// TestMeNavigation: /api/v1/me lists the pages of the policy's navigation with labels.
func TestMeNavigation(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	me := c.api("GET", "/api/v1/me", nil).json(t)
	var keys, labels []string
	for _, p := range me["pages"].([]any) {
		m := p.(map[string]any)
		keys = append(keys, m["key"].(string))
		labels = append(labels, m["label"].(string))
	}
	wantKeys := "home plan tickets reports office365 contacts external_content"
	wantLabels := "Home|Strategy and Plan|Support|Reports|M365|Contacts|Knowledge Base"
	if strings.Join(keys, " ") != wantKeys || strings.Join(labels, "|") != wantLabels {
		t.Errorf("erin's navigation:\n keys %v\n labels %v", keys, labels)
	}
}

func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestBrandingSettings(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	hx := map[string]string{"HX-Request": "true", "X-CSRF-Token": c.csrf}

	t.Run("bad input keeps the values and says why", func(t *testing.T) {
		r := c.multipartForm("/settings/branding", map[string]string{"app_name": "Acme Renamed", "primary_color": "#FFFF00", "accent_color": "blue"},
			map[string][]byte{"logo": []byte("<svg onload=alert(1)>")}, hx)
		if r.status != 400 {
			t.Fatalf("status %d\n%s", r.status, r.body)
		}
		for _, want := range []string{"Too light to read on white", "Use a colour like", "Use a PNG", `value="Acme Renamed"`, "Nothing was saved"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("form lacks %q", want)
			}
		}
		if strings.Contains(e.client("acme.localhost").get("/login").body, "Acme Renamed") {
			t.Error("a refused form saved something")
		}
	})
	t.Run("too large an upload", func(t *testing.T) {
		big := append(pngImage(t), make([]byte, 600<<10)...)
		r := c.multipartForm("/settings/branding", map[string]string{"app_name": "Acme Portal", "primary_color": "#0F766E", "accent_color": "#F59E0B"},
			map[string][]byte{"favicon": big}, hx)
		if r.status != 400 || !strings.Contains(r.body, "larger than 512 KB") {
			t.Errorf("status %d", r.status)
		}
	})
	t.Run("save name, colours and logo", func(t *testing.T) {
		r := c.multipartForm("/settings/branding", map[string]string{"app_name": "Acme Client Hub", "primary_color": "#1E3A8A", "accent_color": "#FDE68A"},
			map[string][]byte{"logo": pngImage(t)}, hx)
		if r.status != 204 || r.header.Get("HX-Redirect") != "/settings/branding?saved=1" {
			t.Fatalf("save: %d %s", r.status, r.body)
		}
		login := e.client("acme.localhost").get("/login").body
		if !strings.Contains(login, "Acme Client Hub") || !strings.Contains(login, "/brand/logo?v=") {
			t.Errorf("login page not rebranded:\n%.500s", login)
		}
		logo := e.client("acme.localhost").get("/brand/logo")
		if logo.status != 200 || logo.header.Get("Content-Type") != "image/png" || logo.header.Get("ETag") == "" {
			t.Errorf("logo: %d %s", logo.status, logo.header.Get("Content-Type"))
		}
		if nw := e.client("northwind.localhost").get("/brand/logo"); nw.status != 404 {
			t.Errorf("northwind serves acme's logo: %d", nw.status)
		}
		settings := c.api("GET", "/api/v1/settings", nil).json(t)
		if b := settings["branding"].(map[string]any); b["primary_color"] != "#1E3A8A" || b["app_name"] != "Acme Client Hub" {
			t.Errorf("settings API: %v", b)
		}
	})
	t.Run("API patch by capability", func(t *testing.T) {
		linus := e.client("acme.localhost").mustLogin("linus@acme.test", "demo-pass-1")
		if r := linus.api("PATCH", "/api/v1/settings", map[string]any{"branding": map[string]string{"app_name": "Linus"}}); r.status != 403 {
			t.Errorf("strategy admin changed branding: %d", r.status)
		}
		if r := linus.api("PATCH", "/api/v1/settings", map[string]any{"why_enabled": false}); r.status != 200 {
			t.Errorf("strategy admin toggling why: %d %s", r.status, r.body)
		}
		if r := c.api("PATCH", "/api/v1/settings", map[string]any{"why_enabled": true}); r.status != 403 {
			t.Errorf("admin toggled why: %d", r.status)
		}
		r := c.api("PATCH", "/api/v1/settings", map[string]any{"branding": map[string]string{"primary_color": "nope"}})
		if r.status != 400 || !strings.Contains(r.body, `"primary_color"`) {
			t.Errorf("bad colour over the API: %d %s", r.status, r.body)
		}
	})
}

func TestInvitationLink(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	acme, _ := e.tenants.BySlug(ctx, "acme")
	db := e.db.Tenant(acme.ID)
	// An invitation is its record and its link together: accepting claims the record.
	inv, err := invitations.Invite(ctx, invitations.Context{DB: db, Tenant: acme, Base: "http://acme.localhost:8080", Actor: policy.Operator(acme.ID)},
		invitations.Request{Email: "new@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	secret := inv.Link[strings.LastIndex(inv.Link, "/")+1:]
	c := e.client("acme.localhost")
	page := c.get("/invite/" + secret)
	if page.status != 200 || !strings.Contains(page.body, "new@acme.test") {
		t.Fatalf("invite page: %d", page.status)
	}
	tok := formCSRF(t, page.body)
	if r := e.client("northwind.localhost").get("/invite/" + secret); r.status != 410 {
		t.Errorf("token on another tenant's host: %d", r.status)
	}
	weak := c.form("/invite/"+secret, url.Values{"_csrf": {tok}, "name": {"New Person"}, "password": {"short"}})
	if weak.status != 400 || !strings.Contains(weak.body, "at least 8 characters") || !strings.Contains(weak.body, `value="New Person"`) {
		t.Errorf("weak password: %d", weak.status)
	}
	ok := c.form("/invite/"+secret, url.Values{"_csrf": {tok}, "name": {"New Person"}, "password": {"a long enough passphrase"}})
	if ok.status != 303 || ok.header.Get("Location") != "/" {
		t.Fatalf("accept: %d %s", ok.status, ok.body)
	}
	if r := c.api("GET", "/api/v1/me", nil); r.status != 200 || !strings.Contains(r.body, `"name":"New Person"`) || !strings.Contains(r.body, `"status":"active"`) {
		t.Errorf("after accepting: %d %s", r.status, r.body)
	}
	if r := e.client("acme.localhost").get("/invite/" + secret); r.status != 410 {
		t.Errorf("used token: %d", r.status)
	}
	if r := e.client("acme.localhost").login("new@acme.test", "a long enough passphrase"); r.status != 200 {
		t.Errorf("login with the new password: %d", r.status)
	}
}

func TestHealth(t *testing.T) {
	e := newEnv(t, nil)
	for _, p := range []string{"/healthz", "/readyz"} {
		if r := e.client("no-such-host.example").get(p); r.status != 200 {
			t.Errorf("%s: %d", p, r.status)
		}
	}
	e.db.Close()
	if r := e.client("acme.localhost").get("/readyz"); r.status != 503 {
		t.Errorf("readyz with the database closed: %d", r.status)
	}
}

func TestStaticFiles(t *testing.T) {
	e := newEnv(t, nil)
	page := e.client("acme.localhost").get("/login").body
	i := strings.Index(page, "/static/js/htmx.min.js?v=")
	if i < 0 {
		t.Fatal("login page does not load htmx")
	}
	href := page[i : i+strings.IndexByte(page[i:], '"')]
	r := e.client("acme.localhost").get(href)
	if r.status != 200 || len(r.body) < 10000 || !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("htmx: %d %d bytes %s", r.status, len(r.body), r.header.Get("Cache-Control"))
	}
	if r := e.client("acme.localhost").get("/static/../../go.mod"); r.status != 404 {
		t.Errorf("path traversal: %d", r.status)
	}
}
