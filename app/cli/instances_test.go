package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
)

// The two-instance test: two servers, separate processes of the real
// binary, on one PostgreSQL database, as an MSP runs them behind a load
// balancer. Nothing one instance needs may live in the other's memory.

// instance is one running server.
type instance struct {
	cmd  *exec.Cmd
	base string
	logs *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// buildBinary builds atrium once for the test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "atrium")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func startInstance(t *testing.T, bin, dbURL string) *instance {
	t.Helper()
	addr := freePort(t)
	in := &instance{base: "http://" + addr, logs: &lockedBuffer{}}
	in.cmd = exec.Command(bin, "serve", "--demo", "--addr", addr, "--data-dir", t.TempDir())
	in.cmd.Env = append(os.Environ(),
		"ATRIUM_DATABASE_URL="+dbURL,
		"ATRIUM_SECRET_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"ATRIUM_LINK_PORT=8080")
	in.cmd.Stdout, in.cmd.Stderr = in.logs, in.logs
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = in.cmd.Process.Kill()
		_, _ = in.cmd.Process.Wait()
		if t.Failed() {
			t.Logf("log of %s:\n%s", in.base, in.logs.String())
		}
	})
	return in
}

func (in *instance) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		r, err := http.Get(in.base + "/readyz")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never became ready:\n%s", in.base, in.logs.String())
}

// session is a browser's cookie jar talking to either instance: the Host
// header says the tenant, the cookie is sent to both (one site behind a
// load balancer).
type session struct {
	t    *testing.T
	jar  map[string]string
	csrf string
}

func (s *session) do(in *instance, method, path string, body any) (int, map[string]any) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, in.base+path, rd)
	req.Host = "acme.localhost"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if s.csrf != "" {
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
	for k, v := range s.jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, map[string]any{"error": err.Error()}
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 {
			delete(s.jar, c.Name)
		} else {
			s.jar[c.Name] = c.Value
		}
	}
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func (s *session) login(in *instance, email, password string) int {
	st, m := s.do(in, "POST", "/api/v1/session", map[string]any{"email": email, "password": password})
	if tok, ok := m["csrf_token"].(string); ok {
		s.csrf = tok
	}
	return st
}

func newSession(t *testing.T) *session { return &session{t: t, jar: map[string]string{}} }

// TestTwoInstances: two instances started at the same moment on one empty
// database migrate and seed once; a session, the sign-in limiter, the
// outbox, a preview and every write are shared; killing one (kill -9)
// while it writes loses no write it acknowledged.
func TestTwoInstances(t *testing.T) {
	dbURL := storetest.EmptyPostgres(t)
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	a, b := startInstance(t, bin, dbURL), startInstance(t, bin, dbURL)
	a.waitReady(t)
	b.waitReady(t)

	ctx := context.Background()
	db, err := store.OpenPostgres(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := db.R.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n
	}
	// Seeded once.
	if n := count("SELECT count(*) FROM tenants"); n != 2 {
		t.Errorf("%d tenants after two instances seeded", n)
	}
	if n := count("SELECT count(*) FROM users WHERE email = 'ada@acme.test'"); n != 2 { // acme and northwind
		t.Errorf("%d ada accounts", n)
	}
	if n := count("SELECT count(*) FROM tickets WHERE title = 'VPN drops every hour'"); n != 1 {
		t.Errorf("%d VPN tickets", n)
	}

	// A session made on A works on B and dies on both at logout.
	alan := newSession(t)
	if st := alan.login(a, "alan@acme.test", "demo-pass-1"); st != 200 {
		t.Fatalf("sign in on A: %d", st)
	}
	if st, m := alan.do(b, "GET", "/api/v1/me", nil); st != 200 || m["user"].(map[string]any)["email"] != "alan@acme.test" {
		t.Fatalf("the session on B: %d %v", st, m)
	}

	// A write on A is on B at once.
	st, created := alan.do(a, "POST", "/api/v1/tickets", map[string]any{"title": "Written on A", "board_id": boardID(t, count, "Service Desk")})
	if st != 201 {
		t.Fatalf("ticket on A: %d %v", st, created)
	}
	if st, got := alan.do(b, "GET", fmt.Sprintf("/api/v1/tickets/%v", created["id"]), nil); st != 200 || got["title"] != "Written on A" {
		t.Errorf("the ticket on B: %d %v", st, got)
	}

	// A preview started on A is the session's on B.
	erinID := count("SELECT id FROM users WHERE email = 'erin@globex.test'")
	if st, _ := alan.do(a, "POST", "/api/v1/previews", map[string]any{"user_id": erinID}); st != 201 {
		t.Fatalf("preview on A: %d", st)
	}
	if _, m := alan.do(b, "GET", "/api/v1/me", nil); m["preview"] == nil || m["user"].(map[string]any)["email"] != "erin@globex.test" {
		t.Errorf("the preview on B: %v", m)
	}
	if st, _ := alan.do(b, "DELETE", "/api/v1/previews/current", nil); st != 204 {
		t.Errorf("end the preview on B: %d", st)
	}
	if _, m := alan.do(a, "GET", "/api/v1/me", nil); m["preview"] != nil {
		t.Errorf("the preview still on A: %v", m)
	}

	// Logout on B ends the session on A: the same cookie, kept, is refused.
	kept := maps.Clone(alan.jar)
	if st, _ := alan.do(b, "DELETE", "/api/v1/session", nil); st != 204 {
		t.Fatalf("sign out on B: %d", st)
	}
	alan.jar = kept
	if st, _ := alan.do(a, "GET", "/api/v1/me", nil); st != 401 {
		t.Errorf("after sign-out on B, A says %d", st)
	}

	// The limiter counts failures on both: the account's limit is reached
	// by failures split between the instances.
	limited := 0
	for i := range 24 {
		in := a
		if i%2 == 1 {
			in = b
		}
		if st := newSession(t).login(in, "ken@acme.test", "wrong-password"); st == 429 {
			limited = i + 1
			break
		}
	}
	if limited == 0 || limited > 11 {
		t.Errorf("the account limit (10 failures) answered 429 at attempt %d", limited)
	}

	// The outbox: messages queued through both instances are each sent
	// exactly once, whichever worker takes them.
	for i, in := range []*instance{a, b, a, b} {
		email := []string{"grace@acme.test", "hedy@acme.test", "linus@acme.test", "barbara@acme.test"}[i]
		if st, _ := newSession(t).do(in, "POST", "/api/v1/password-resets", map[string]any{"email": email}); st != 202 {
			t.Fatalf("reset for %s: %d", email, st)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && count("SELECT count(*) FROM outbox WHERE status = 'sent'") < 4 {
		time.Sleep(200 * time.Millisecond)
	}
	for _, email := range []string{"grace@acme.test", "hedy@acme.test", "linus@acme.test", "barbara@acme.test"} {
		sent := 0
		for _, line := range strings.Split(a.logs.String()+b.logs.String(), "\n") {
			if strings.Contains(line, `msg="email (log transport)"`) && strings.Contains(line, "to="+email+" ") {
				sent++
			}
		}
		if sent != 1 {
			t.Errorf("the reset for %s was sent %d times", email, sent)
		}
	}

	// kill -9 A while it takes writes: every write it acknowledged is on B.
	ada := newSession(t)
	if st := ada.login(b, "ada@acme.test", "demo-pass-1"); st != 200 {
		t.Fatalf("sign in: %d", st)
	}
	board := boardID(t, count, "Service Desk")
	var mu sync.Mutex
	var acked []string
	ids := map[string]any{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				title := fmt.Sprintf("Before the crash %d-%d", w, i)
				st, m := ada.doQuiet(a, "POST", "/api/v1/tickets", map[string]any{"title": title, "board_id": board})
				if st == 0 {
					return // the instance is gone
				}
				if st == 201 {
					mu.Lock()
					acked = append(acked, title)
					ids[title] = m["id"]
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(700 * time.Millisecond)
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("A acknowledged no write before it was killed")
	}
	for _, title := range acked {
		if st, m := ada.do(b, "GET", fmt.Sprintf("/api/v1/tickets/%v", ids[title]), nil); st != 200 || m["title"] != title {
			t.Errorf("acknowledged %q is not on B: %d %v", title, st, m)
		}
	}
	t.Logf("%d writes acknowledged by A before kill -9, all on B", len(acked))
}

// doQuiet is do without failing the test on a broken connection.
func (s *session) doQuiet(in *instance, method, path string, body any) (int, map[string]any) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, in.base+path, rd)
	req.Host = "acme.localhost"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", s.csrf)
	for k, v := range s.jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func boardID(t *testing.T, count func(string, ...any) int, name string) int {
	t.Helper()
	return count("SELECT b.id FROM boards b JOIN tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.name = ?", name)
}
