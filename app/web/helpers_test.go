package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/secret"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/web"
)

// env is a server over a real SQLite file with the demo dataset.
type env struct {
	t       testing.TB
	cfg     config.Config
	db      *store.DB
	srv     *web.Server
	logs    *syncBuffer
	tenants *tenant.Store
	box     *secret.Box
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// seeded caches one seeded database file; each test copies it, which is far
// faster than hashing the demo passwords again.
var (
	seedOnce sync.Once
	seedPath string
	seedErr  error
)

func seededCopy(t testing.TB, dir string) string {
	t.Helper()
	seedOnce.Do(func() {
		d, err := os.MkdirTemp("", "atrium-web-seed-")
		if err != nil {
			seedErr = err
			return
		}
		seedPath = filepath.Join(d, "seed.db")
		ctx := context.Background()
		db, err := store.Open(ctx, filepath.Join(d, "live.db"), store.Modernc)
		if err != nil {
			seedErr = err
			return
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			seedErr = err
			return
		}
		if err := demo.Seed(ctx, db, tenant.NewStore(db)); err != nil {
			seedErr = err
			return
		}
		seedErr = db.Snapshot(ctx, seedPath)
	})
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	data, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "atrium.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// seededPostgres is seededCopy's PostgreSQL counterpart: a template
// database with the demo, copied for each test.
var seededPostgres = storetest.Template{Build: func(ctx context.Context, db *store.DB) error {
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	return demo.Seed(ctx, db, tenant.NewStore(db))
}}

// newEnv starts a server over a copy of the seeded demo database. tweak may change the config.
func newEnv(t testing.TB, tweak func(*config.Config)) *env {
	t.Helper()
	dir := t.TempDir()
	cfg := config.Defaults()
	cfg.DataDir = dir
	if storetest.OnPostgres() {
		cfg.DatabaseURL = seededPostgres.Fresh(t)
	} else {
		seededCopy(t, dir)
	}
	cfg.DefaultTenant = "acme"
	if tweak != nil {
		tweak(&cfg)
	}
	e := &env{t: t, cfg: cfg, logs: &syncBuffer{}}
	e.open()
	return e
}

// open (re)opens the database and builds a new server over it, as a restart would.
func (e *env) open() {
	e.t.Helper()
	ctx := context.Background()
	var db *store.DB
	var err error
	if e.cfg.DatabaseURL != "" {
		db, err = store.OpenPostgres(ctx, e.cfg.DatabaseURL)
	} else {
		db, err = store.Open(ctx, e.cfg.DatabasePath(), store.Modernc)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		e.t.Fatal(err)
	}
	e.db = db
	e.tenants = tenant.NewStore(db)
	box, err := secret.Load("", e.cfg.DataDir)
	if err != nil {
		e.t.Fatal(err)
	}
	e.tenants.Secrets, e.box = box, box
	srv, err := web.New(web.Deps{
		Config: e.cfg, DB: db, Tenants: e.tenants,
		Links:  tenant.Links{Port: "8080"},
		Static: os.DirFS("../../ui/static"),
		Log:    slog.New(slog.NewTextHandler(e.logs, nil)),
		Auth: &auth.Authenticator{
			Sessions: auth.Sessions{Idle: e.cfg.Session.IdleTimeout.Duration, Absolute: e.cfg.Session.AbsoluteTimeout.Duration},
			Limiter:  &auth.Limiter{DB: db, PerAddress: e.cfg.LoginRate.PerAddress, PerAccount: e.cfg.LoginRate.PerAccount, Window: e.cfg.LoginRate.Window.Duration},
			Hasher:   auth.NewHasher(e.cfg.Passwords.ConcurrentHashes, e.cfg.Passwords.HashWait.Duration),
		},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv = srv
	e.t.Cleanup(func() { db.Close() })
}

// restart closes the database and opens a new server on the same file.
func (e *env) restart() {
	e.t.Helper()
	if err := e.db.Close(); err != nil {
		e.t.Fatal(err)
	}
	e.open()
}

// client is a browser or API client with a cookie jar for one host.
type client struct {
	e       *env
	host    string
	cookies map[string]string
	csrf    string
	headers map[string]string
}

func (e *env) client(host string) *client {
	return &client{e: e, host: host, cookies: map[string]string{}, headers: map[string]string{}}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, r.body)
	}
	return m
}

func (r response) errorCode() string {
	var m struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal([]byte(r.body), &m)
	return m.Error.Code
}

// do sends a request and keeps the cookies it sets.
func (c *client) do(method, path string, body io.Reader, contentType string, hdr map[string]string) response {
	c.e.t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Host = c.host
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	var parts []string
	for k, v := range c.cookies {
		parts = append(parts, k+"="+v)
	}
	if len(parts) > 0 {
		req.Header.Set("Cookie", strings.Join(parts, "; "))
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.e.srv.App().Test(req, 30_000)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" || (!ck.Expires.IsZero() && ck.Expires.Before(time.Now())) {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (c *client) get(path string) response { return c.do("GET", path, nil, "", nil) }

func (c *client) htmx(method, path string, form url.Values) response {
	var body io.Reader
	ct := ""
	if form != nil {
		body, ct = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	return c.do(method, path, body, ct, map[string]string{"HX-Request": "true", "X-CSRF-Token": c.csrf})
}

// api sends JSON with the CSRF token the last sign-in returned.
func (c *client) api(method, path string, v any) response {
	var body io.Reader
	ct := ""
	if v != nil {
		b, _ := json.Marshal(v)
		body, ct = bytes.NewReader(b), "application/json"
	}
	hdr := map[string]string{}
	if c.csrf != "" {
		hdr["X-CSRF-Token"] = c.csrf
	}
	return c.do(method, path, body, ct, hdr)
}

func (c *client) form(path string, form url.Values) response {
	return c.do("POST", path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", nil)
}

// multipartForm posts fields and files as a browser's file upload would.
func (c *client) multipartForm(path string, fields map[string]string, files map[string][]byte, hdr map[string]string) response {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for k, data := range files {
		fw, _ := w.CreateFormFile(k, k+".bin")
		_, _ = fw.Write(data)
	}
	w.Close()
	return c.do("POST", path, &buf, w.FormDataContentType(), hdr)
}

// login signs in through the API and keeps the CSRF token.
func (c *client) login(email, password string) response {
	c.e.t.Helper()
	r := c.api("POST", "/api/v1/session", map[string]string{"email": email, "password": password})
	if r.status == 200 {
		c.csrf = r.json(c.e.t)["csrf_token"].(string)
	}
	return r
}

func (c *client) mustLogin(email, password string) *client {
	c.e.t.Helper()
	if r := c.login(email, password); r.status != 200 {
		c.e.t.Fatalf("login %s on %s: %d %s", email, c.host, r.status, r.body)
	}
	return c
}

var csrfFieldRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// formCSRF scrapes the _csrf field of a page, as a browser submitting it would send.
func formCSRF(t testing.TB, html string) string {
	t.Helper()
	m := csrfFieldRE.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no _csrf field in page:\n%s", html)
	}
	return m[1]
}
