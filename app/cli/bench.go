package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/secret"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// benchAddrEnv names the loopback address where a server started by
// `atrium bench` answers GET /debug/bench with its statement count and CPU
// time. serve opens that listener only when the variable is set.
const benchAddrEnv = "ATRIUM_BENCH_ADDR"

// benchChildEnv marks the server process bench starts (tests re-execute
// their own binary and look for it).
const benchChildEnv = "ATRIUM_BENCH_CHILD"

// benchHost is the demo tenant's host the requests name.
const benchHost = "acme.localhost"

// benchStats is what GET /debug/bench answers.
type benchStats struct {
	Queries   int64 `json:"queries"`
	CPUMicros int64 `json:"cpu_us"`
}

// queryCounter is a Bun query hook that counts statements.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}
func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) { q.n.Add(1) }

// benchDebug, when ATRIUM_BENCH_ADDR is set, counts the statements the
// server runs and answers them with the process's CPU time at GET
// /debug/bench on that address. It does nothing otherwise.
func benchDebug(env Env, db *store.DB, log *slog.Logger) (func(), error) {
	addr := lookupEnv(env.Environ, benchAddrEnv)
	if addr == "" {
		return func() {}, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		return nil, fmt.Errorf("%s=%q: want a loopback HOST:PORT", benchAddrEnv, addr)
	}
	counter := &queryCounter{}
	db.R.AddQueryHook(counter)
	if db.W != db.R {
		db.W.AddQueryHook(counter)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("bench debug listener: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/bench", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(benchStats{Queries: counter.n.Load(), CPUMicros: cpuMicros()})
	})
	// Between phases bench has the heap collected and returned to the
	// system, so that each phase's peak RSS is its own.
	mux.HandleFunc("POST /debug/bench/free", func(w http.ResponseWriter, _ *http.Request) {
		debug.FreeOSMemory()
		w.WriteHeader(http.StatusNoContent)
	})
	// bench --cpuprofile asks for a CPU profile of each phase here.
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	log.Info("bench statistics served; this process was started by atrium bench", "addr", addr)
	return func() { hs.Close() }, nil
}

func lookupEnv(environ []string, key string) string {
	v := ""
	for _, kv := range environ {
		if s, ok := strings.CutPrefix(kv, key+"="); ok {
			v = s
		}
	}
	return v
}

// benchRow is one route's figures.
type benchRow struct {
	Phase      int     `json:"phase"`
	Route      string  `json:"route"`
	User       string  `json:"user"`
	Requests   int64   `json:"requests"`
	RPS        float64 `json:"requests_per_second"`
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	Bytes      int64   `json:"bytes_per_response"`
	Ratio      float64 `json:"ratio_to_healthz"`
	Errors     int64   `json:"errors"`
	PeakRSSKB  int64   `json:"server_peak_rss_kb"`
	CPUPerReq  float64 `json:"server_cpu_us_per_request"`
	QueriesReq float64 `json:"server_queries_per_request"`
	Note       string  `json:"note,omitempty"`
}

type benchReport struct {
	Server string `json:"server"`
	// ReadyMS is from starting the server to its first 200 on /readyz;
	// IdleRSSKB its RSS a second later, before any request but sign-ins.
	ReadyMS     float64    `json:"ready_ms"`
	IdleRSSKB   int64      `json:"idle_rss_kb"`
	Database    string     `json:"database"`
	Duration    string     `json:"duration_per_phase"`
	Runs        int        `json:"runs_per_phase"`
	Connections int        `json:"connections"`
	Notes       []string   `json:"notes"`
	Routes      []benchRow `json:"routes"`
}

func benchCmd(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "bench", "bench [--config FILE] [--data-dir DIR | --database-url URL] [--duration 10s] [--connections 64] [--runs N] [--phases 2,3] [--cpuprofile DIR] [--json]")
	var cf configFlags
	cf.register(fs, false)
	duration := fs.Duration("duration", 10*time.Second, "how long each route is driven")
	conns := fs.Int("connections", 64, "concurrent clients, each with its own keep-alive connection")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	profDir := fs.String("cpuprofile", "", "write the server's CPU profile of each phase to this directory (go tool pprof reads them)")
	only := fs.String("phases", "", "run only these phases, by number (e.g. 2,3); the /healthz baseline always runs")
	repeat := fs.Int("runs", 1, "run each phase this many times and report the run with the median requests/s")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *duration <= 0 || *conns < 1 || *repeat < 1 {
		return errors.New("bench: --duration, --connections and --runs must be positive")
	}
	if *profDir != "" {
		if err := os.MkdirAll(*profDir, 0o755); err != nil {
			return fmt.Errorf("bench: --cpuprofile: %w", err)
		}
		if *duration < 2*time.Second {
			return errors.New("bench: --cpuprofile wants --duration of 2s or more")
		}
	}
	cfg, err := cf.load(env, fs)
	if err != nil {
		return err
	}
	log := newLogger(cfg, env.Stderr)

	// An empty database gets the demo first; then it is closed, because the
	// server process owns it (on SQLite the file belongs to one process).
	seeded, err := benchSeed(ctx, cfg.SecretKey, cfg.DataDir, func() (*store.DB, error) { return openStore(ctx, cfg, log) })
	if err != nil {
		return err
	}

	srv, err := startBenchServer(ctx, env, cf, fs.Changed)
	if err != nil {
		return err
	}
	defer srv.stop(env)

	time.Sleep(time.Second)
	rep0 := benchReport{ReadyMS: ms(srv.ready), IdleRSSKB: rssKB(srv.pid)}
	b := &bencher{base: "http://" + srv.addr, debug: "http://" + srv.debugAddr, pid: srv.pid, conns: *conns, dur: *duration,
		profDir: *profDir, only: map[int]bool{}, repeat: *repeat,
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConns: *conns * 2, MaxIdleConnsPerHost: *conns, IdleConnTimeout: time.Minute, DisableCompression: true,
		}}}
	for _, f := range strings.FieldsFunc(*only, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return fmt.Errorf("bench: --phases %q: want phase numbers such as 2,3", *only)
		}
		b.only[n] = true
	}
	rep := benchReport{
		Server:      fmt.Sprintf("child process %d (this binary's serve); RSS, CPU and statements are the server's alone", srv.pid),
		Database:    "SQLite in " + cfg.DataDir,
		Duration:    duration.String(),
		Runs:        *repeat,
		Connections: *conns,
		ReadyMS:     rep0.ReadyMS,
		IdleRSSKB:   rep0.IdleRSSKB,
	}
	if cfg.DatabaseURL != "" {
		rep.Database = "PostgreSQL"
	}
	if seeded {
		rep.Notes = append(rep.Notes, "the database was empty: the demo was seeded first")
	}
	if err := b.run(ctx, &rep); err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printBench(env.Stdout, rep)
	return nil
}

// benchSeed seeds the demo when the database has no tenant.
func benchSeed(ctx context.Context, secretKey, dataDir string, open func() (*store.DB, error)) (bool, error) {
	db, err := open()
	if err != nil {
		return false, err
	}
	defer db.Close()
	box, err := secret.Load(secretKey, dataDir)
	if err != nil {
		return false, err
	}
	tenants := tenant.NewStore(db)
	tenants.Secrets = box
	ts, err := tenants.List(ctx)
	if err != nil {
		return false, err
	}
	if len(ts) > 0 {
		return false, nil
	}
	return true, demo.Seed(ctx, db, tenants)
}

type benchServer struct {
	cmd *exec.Cmd
	pid int
	// ready is the time from starting the process to its first 200 on /readyz.
	ready           time.Duration
	addr, debugAddr string
	exited          chan error
}

// startBenchServer runs this binary's serve on free loopback ports over the
// same database and waits for /readyz.
func startBenchServer(ctx context.Context, env Env, cf configFlags, changed func(string) bool) (*benchServer, error) {
	addr, err := freeLoopback()
	if err != nil {
		return nil, err
	}
	debugAddr, err := freeLoopback()
	if err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--addr", addr}
	if cf.path != "" {
		args = append(args, "--config", cf.path)
	}
	if changed("data-dir") {
		args = append(args, "--data-dir", cf.dataDir)
	}
	if changed("database-url") {
		args = append(args, "--database-url", cf.databaseURL)
	}
	cmd := exec.Command(exe, args...)
	// Requests are not logged: at warn, the log is only what goes wrong.
	cmd.Env = append(append([]string{}, env.Environ...),
		"ATRIUM_LOG_LEVEL=warn", benchAddrEnv+"="+debugAddr, benchChildEnv+"=1",
		// The sign-in burst signs one account in from one address a hundred
		// times: the limits that would stop an attacker are raised.
		"ATRIUM_LOGIN_LIMIT_PER_ADDRESS=1000000", "ATRIUM_LOGIN_LIMIT_PER_ACCOUNT=1000000")
	cmd.Stdout = io.Discard
	cmd.Stderr = env.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start the server: %w", err)
	}
	started := time.Now()
	s := &benchServer{cmd: cmd, pid: cmd.Process.Pid, addr: addr, debugAddr: debugAddr, exited: make(chan error, 1)}
	go func() { s.exited <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-s.exited:
			return nil, fmt.Errorf("bench: the server stopped before it was ready: %v", err)
		case <-ctx.Done():
			s.stop(env)
			return nil, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				if s.ready == 0 {
					s.ready = time.Since(started)
				}
				if r2, err := http.Get("http://" + debugAddr + "/debug/bench"); err == nil {
					r2.Body.Close()
					return s, nil
				}
			}
		}
		if time.Now().After(deadline) {
			s.stop(env)
			return nil, errors.New("bench: the server was not ready within a minute")
		}
	}
}

func (s *benchServer) stop(env Env) {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		fmt.Fprintln(env.Stderr, "bench: the server did not stop; killing it")
		s.cmd.Process.Kill()
		<-s.exited
	}
}

func freeLoopback() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// benchUser is a signed-in session.
type benchUser struct {
	email, cookie, csrf string
}

// benchReq is one kind of request a phase sends.
type benchReq struct {
	method, path string
	user         *benchUser
	body         func() []byte
	// name, when set, stands for path in the output (a long cursor).
	name string
}

func (r benchReq) label() string {
	if r.name != "" {
		return r.method + " " + r.name
	}
	return r.method + " " + r.path
}

type bencher struct {
	base, debug string
	pid         int
	conns       int
	dur         time.Duration
	client      *http.Client
	healthzRPS  float64
	// profDir, when set, receives a CPU profile of each phase.
	profDir string
	// only, when not empty, names the phases to run (the baseline always runs).
	only map[int]bool
	// repeat is how many times each phase runs; the median run is reported.
	repeat int
}

func (b *bencher) do(r benchReq) (int, []byte, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body())
	}
	req, err := http.NewRequest(r.method, b.base+r.path, body)
	if err != nil {
		return 0, nil, err
	}
	req.Host = benchHost
	if r.user != nil {
		req.Header.Set("Cookie", "atrium_session="+r.user.cookie)
		if r.method != "GET" {
			req.Header.Set("X-CSRF-Token", r.user.csrf)
		}
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := b.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return res.StatusCode, data, err
}

// getJSON sends r and decodes its 2xx answer into v.
func (b *bencher) getJSON(r benchReq, v any) error {
	status, data, err := b.do(r)
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("bench: %s as %s answered %d: %.300s", r.label(), r.userName(), status, data)
	}
	return json.Unmarshal(data, v)
}

func (r benchReq) userName() string {
	if r.user == nil {
		return "anonymous"
	}
	return r.user.email
}

func (b *bencher) login(email string) (*benchUser, error) {
	body, _ := json.Marshal(map[string]string{"email": email, "password": "demo-pass-1"})
	req, _ := http.NewRequest("POST", b.base+"/api/v1/session", bytes.NewReader(body))
	req.Host = benchHost
	req.Header.Set("Content-Type", "application/json")
	res, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var ans struct {
		CSRF string `json:"csrf_token"`
	}
	if res.StatusCode != 200 {
		data, _ := io.ReadAll(res.Body)
		return nil, fmt.Errorf("bench: sign in %s: %d %.300s", email, res.StatusCode, data)
	}
	if err := json.NewDecoder(res.Body).Decode(&ans); err != nil {
		return nil, err
	}
	u := &benchUser{email: email, csrf: ans.CSRF}
	for _, c := range res.Cookies() {
		if c.Name == "atrium_session" {
			u.cookie = c.Value
		}
	}
	if u.cookie == "" || u.csrf == "" {
		return nil, fmt.Errorf("bench: sign in %s: no session cookie or csrf_token", email)
	}
	return u, nil
}

type idName struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type listAnswer struct {
	Items []struct {
		ID      int64   `json:"id"`
		Name    string  `json:"name"`
		Title   string  `json:"title"`
		Company *idName `json:"company"`
		Board   idName  `json:"board"`
	} `json:"items"`
	Next string `json:"next_cursor"`
}

func (b *bencher) run(ctx context.Context, rep *benchReport) error {
	erin, err := b.login("erin@globex.test")
	if err != nil {
		return err
	}
	ada, err := b.login("ada@acme.test")
	if err != nil {
		return err
	}
	rep.Notes = append(rep.Notes,
		"signed in through POST /api/v1/session on "+benchHost+": erin@globex.test (external editor), ada@acme.test (super admin)",
		"each route is its own timed phase; the write phases run a read route at the same time, and their server figures are over all requests of the phase",
		"bytes are of the body as sent (no compression asked for); errors are answers other than 2xx and failed requests",
		"the write phases add tickets and notes to this database: later runs list more tickets")

	// The VPN ticket (a ticket erin sees, with notes), its company and board.
	var vpn listAnswer
	if err := b.getJSON(benchReq{method: "GET", path: "/api/v1/tickets?q=vpn", user: erin}, &vpn); err != nil {
		return err
	}
	if len(vpn.Items) == 0 || vpn.Items[0].Company == nil {
		return errors.New("bench: erin sees no VPN ticket with a company; is this the demo data?")
	}
	ticketID, companyID := vpn.Items[0].ID, vpn.Items[0].Company.ID
	var reports listAnswer
	if err := b.getJSON(benchReq{method: "GET", path: "/api/v1/reports", user: erin}, &reports); err != nil {
		return err
	}
	var boards listAnswer
	if err := b.getJSON(benchReq{method: "GET", path: "/api/v1/boards", user: ada}, &boards); err != nil {
		return err
	}
	boardID := int64(0)
	for _, bd := range boards.Items {
		if bd.Name == "Service Desk" {
			boardID = bd.ID
		}
	}
	if boardID == 0 {
		return errors.New(`bench: ada sees no board "Service Desk"`)
	}

	erinList := benchReq{method: "GET", path: "/api/v1/tickets", user: erin}
	phases := [][]benchReq{
		{{method: "GET", path: "/healthz"}},
		nil, // the burst of sign-ins, on a server that has served nothing else
		{{method: "GET", path: "/tickets", user: erin}},
		{erinList},
		nil, // the deep cursor, found just before its phase
		{{method: "GET", path: fmt.Sprintf("/tickets/%d", ticketID), user: erin}},
		{{method: "GET", path: "/tickets?q=vpn", user: erin}},
		{{method: "GET", path: "/", user: erin}},
		nil, // the report, when erin sees one
		{{method: "GET", path: "/teams", user: ada}},
	}
	if len(reports.Items) > 0 {
		phases[8] = []benchReq{{method: "GET", path: fmt.Sprintf("/reports/%d", reports.Items[0].ID), user: erin}}
	} else {
		rep.Notes = append(rep.Notes, "erin sees no report: the report route was left out")
	}
	var seq atomic.Int64
	createBody := func() []byte {
		data, _ := json.Marshal(map[string]any{"title": fmt.Sprintf("Bench ticket %d", seq.Add(1)), "board_id": boardID, "company_id": companyID})
		return data
	}
	noteTicket := ticketID
	for i, ph := range phases {
		if !b.runs(i + 1) {
			continue
		}
		if i == 1 {
			// The peak RSS of the sign-ins (argon2id takes 19 MiB a hash) is
			// measured before the other phases have grown the heap.
			if err := b.signInBurst(ctx, rep, i+1, 100); err != nil {
				return err
			}
			continue
		}
		if i == 4 {
			deep, pages, err := b.deepCursor(erin)
			if err != nil {
				return err
			}
			if deep == "" {
				rep.Notes = append(rep.Notes, "erin's ticket list has one page: there is no deep cursor to measure")
				continue
			}
			ph = []benchReq{{method: "GET", path: "/api/v1/tickets?cursor=" + url.QueryEscape(deep), user: erin,
				name: fmt.Sprintf("/api/v1/tickets?cursor=(page %d)", pages+1)}}
			rep.Notes = append(rep.Notes, fmt.Sprintf("the deep cursor is that of page %d of erin's ticket list", pages+1))
		}
		if ph == nil {
			continue
		}
		if err := b.measure(ctx, rep, i+1, ph...); err != nil {
			return err
		}
	}
	// Writes: ada creates tickets, then adds notes to one of them, while erin lists tickets.
	createPhase, notePhase := len(phases)+1, len(phases)+2
	if !b.runs(createPhase) && !b.runs(notePhase) {
		return nil
	}
	create := benchReq{method: "POST", path: "/api/v1/tickets", user: ada, body: createBody}
	var created struct {
		ID int64 `json:"id"`
	}
	if err := b.getJSON(create, &created); err != nil {
		return err
	}
	if created.ID != 0 {
		noteTicket = created.ID
	}
	if b.runs(createPhase) {
		if err := b.measure(ctx, rep, createPhase, create, erinList); err != nil {
			return err
		}
	}
	if !b.runs(notePhase) {
		return nil
	}
	note := benchReq{method: "POST", path: fmt.Sprintf("/api/v1/tickets/%d/notes", noteTicket), user: ada, body: func() []byte {
		return []byte(`{"type":"Discussion","body":"A note from atrium bench."}`)
	}}
	return b.measure(ctx, rep, notePhase, note, erinList)
}

// signInBurst signs erin in n times at once, each on its own connection,
// and records the answers' latency and the server's peak RSS: argon2id
// takes 19 MiB a hash, and the server bounds how many run at once.
func (b *bencher) signInBurst(ctx context.Context, rep *benchReport, phase, n int) error {
	body, _ := json.Marshal(map[string]string{"email": "erin@globex.test", "password": "demo-pass-1"})
	b.free()
	before := b.sample()
	peakRSS := b.watchRSS(10 * time.Millisecond)
	lat := make([]time.Duration, n)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A connection of its own: the burst is n people signing in.
			client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
			req, _ := http.NewRequestWithContext(ctx, "POST", b.base+"/api/v1/session", bytes.NewReader(body))
			req.Host = benchHost
			req.Header.Set("Content-Type", "application/json")
			t0 := time.Now()
			res, err := client.Do(req)
			lat[i] = time.Since(t0)
			if err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				statuses[i] = res.StatusCode
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	after := b.sample()
	peak := max(peakRSS(), after.rssKB, before.rssKB)
	row := benchRow{Phase: phase, Route: fmt.Sprintf("POST /api/v1/session (%d at once)", n), User: "erin@globex.test",
		Requests: int64(n), RPS: float64(n) / elapsed.Seconds(), PeakRSSKB: peak}
	busy := 0
	for _, st := range statuses {
		switch st {
		case 200:
		case 503:
			// "Too busy to check a password, try again": the answer when more
			// sign-ins wait for a hash than passwords.hash_wait allows.
			busy++
		default:
			row.Errors++
			if row.Note == "" {
				row.Note = fmt.Sprintf("first error: status %d", st)
			}
		}
	}
	if busy > 0 {
		row.Note = strings.TrimPrefix(row.Note+fmt.Sprintf("; %d answered 503, too busy to check a password (by design: at most passwords.concurrent_hashes at once, the others wait up to passwords.hash_wait)", busy), "; ")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	row.P50ms, row.P99ms = ms(lat[n/2]), ms(lat[min(n-1, n*99/100)])
	if b.healthzRPS > 0 {
		row.Ratio = row.RPS / b.healthzRPS
	}
	if before.statsOK && after.statsOK {
		row.CPUPerReq = float64(after.stats.CPUMicros-before.stats.CPUMicros) / float64(n)
		row.QueriesReq = float64(after.stats.Queries-before.stats.Queries) / float64(n)
	}
	rep.Routes = append(rep.Routes, row)
	return nil
}

// runs reports whether phase n is measured: the first, /healthz, always is,
// because every ratio is to it.
func (b *bencher) runs(n int) bool {
	return n == 1 || len(b.only) == 0 || b.only[n]
}

// deepCursor follows erin's list a few pages and answers the last cursor.
func (b *bencher) deepCursor(erin *benchUser) (string, int, error) {
	cursor, pages := "", 0
	for pages < 5 {
		path := "/api/v1/tickets"
		if cursor != "" {
			path += "?cursor=" + url.QueryEscape(cursor)
		}
		var page listAnswer
		if err := b.getJSON(benchReq{method: "GET", path: path, user: erin}, &page); err != nil {
			return "", 0, err
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
		pages++
	}
	return cursor, pages, nil
}

type serverSample struct {
	rssKB   int64
	stats   benchStats
	statsOK bool
}

func (b *bencher) sample() serverSample {
	s := serverSample{rssKB: rssKB(b.pid)}
	res, err := b.client.Get(b.debug + "/debug/bench")
	if err == nil {
		defer res.Body.Close()
		s.statsOK = json.NewDecoder(res.Body).Decode(&s.stats) == nil
	}
	return s
}

// watchRSS samples the server's RSS every interval until the function it
// answers is called, which answers the highest sample.
func (b *bencher) watchRSS(interval time.Duration) func() int64 {
	stop := make(chan struct{})
	peak := make(chan int64)
	go func() {
		p := int64(0)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				peak <- p
				return
			case <-t.C:
				p = max(p, rssKB(b.pid))
			}
		}
	}()
	return func() int64 {
		close(stop)
		return <-peak
	}
}

// free has the server collect its heap and return it to the system.
func (b *bencher) free() {
	res, err := b.client.Post(b.debug+"/debug/bench/free", "", nil)
	if err == nil {
		res.Body.Close()
	}
}

// rssKB is VmRSS of /proc/PID/status, 0 where there is none.
func rssKB(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

type workerResult struct {
	lat         []time.Duration
	bytes, errs int64
	firstErr    string
}

// measure drives the requests of one phase for the duration, the
// connections shared out among them, and appends a row for each.
func (b *bencher) measure(ctx context.Context, rep *benchReport, phase int, reqs ...benchReq) error {
	var runs [][]benchRow
	for run := range b.repeat {
		rows, err := b.measureOnce(ctx, phase, run == 0, reqs...)
		if err != nil {
			return err
		}
		runs = append(runs, rows)
	}
	// The run with the median requests/s of the phase's first route.
	sort.Slice(runs, func(i, j int) bool { return runs[i][0].RPS < runs[j][0].RPS })
	rows := runs[len(runs)/2]
	if b.healthzRPS == 0 && reqs[0].path == "/healthz" {
		b.healthzRPS = rows[0].RPS
	}
	for i := range rows {
		if b.healthzRPS > 0 {
			rows[i].Ratio = rows[i].RPS / b.healthzRPS
		}
	}
	rep.Routes = append(rep.Routes, rows...)
	return nil
}

// measureOnce drives the phase once and answers a row per route.
func (b *bencher) measureOnce(ctx context.Context, phase int, profile bool, reqs ...benchReq) ([]benchRow, error) {
	// One request each first: a route that refuses fails the run here.
	for _, r := range reqs {
		status, data, err := b.do(r)
		if err != nil {
			return nil, err
		}
		if status/100 != 2 {
			return nil, fmt.Errorf("bench: %s as %s answered %d: %.300s", r.label(), r.userName(), status, data)
		}
	}
	b.free()
	before := b.sample()
	peakRSS := b.watchRSS(100 * time.Millisecond)

	profiled := b.profile(ctx, phase, reqs[0], profile)
	results := make([][]workerResult, len(reqs))
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(b.dur)
	for i, r := range reqs {
		n := b.conns / len(reqs)
		if i == 0 {
			n += b.conns % len(reqs)
		}
		n = max(n, 1)
		results[i] = make([]workerResult, n)
		for w := 0; w < n; w++ {
			wg.Add(1)
			go func(res *workerResult, r benchReq) {
				defer wg.Done()
				for time.Now().Before(end) && ctx.Err() == nil {
					t0 := time.Now()
					status, data, err := b.do(r)
					res.lat = append(res.lat, time.Since(t0))
					res.bytes += int64(len(data))
					if err != nil || status/100 != 2 {
						res.errs++
						if res.firstErr == "" {
							res.firstErr = fmt.Sprintf("%d %v %.200s", status, err, data)
						}
					}
				}
			}(&results[i][w], r)
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	peak := peakRSS()
	if err := <-profiled; err != nil {
		return nil, err
	}
	after := b.sample()
	peak = max(peak, before.rssKB, after.rssKB)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	var total int64
	rows := make([]benchRow, len(reqs))
	for i, r := range reqs {
		var lat []time.Duration
		row := benchRow{Phase: phase, Route: r.label(), User: r.userName(), PeakRSSKB: peak}
		for _, w := range results[i] {
			lat = append(lat, w.lat...)
			row.Errors += w.errs
			row.Bytes += w.bytes
			if w.firstErr != "" && row.Note == "" {
				row.Note = "first error: " + w.firstErr
			}
		}
		sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
		row.Requests = int64(len(lat))
		total += row.Requests
		if row.Requests > 0 {
			row.Bytes /= row.Requests
			row.P50ms = ms(lat[len(lat)/2])
			row.P99ms = ms(lat[min(len(lat)-1, len(lat)*99/100)])
		}
		row.RPS = float64(row.Requests) / elapsed.Seconds()
		rows[i] = row
	}
	for i := range rows {
		if total > 0 && before.statsOK && after.statsOK {
			// The two samples' own statements (none: /debug/bench runs none) and
			// the check requests before the phase are outside the window.
			rows[i].CPUPerReq = float64(after.stats.CPUMicros-before.stats.CPUMicros) / float64(total)
			rows[i].QueriesReq = float64(after.stats.Queries-before.stats.Queries) / float64(total)
		}
	}
	return rows, nil
}

var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// profile, with --cpuprofile, asks the server for a CPU profile of the
// phase's first duration less one second and writes it to
// DIR/phase-N-ROUTE.pprof; the channel answers when it is written.
func (b *bencher) profile(ctx context.Context, phase int, r benchReq, want bool) <-chan error {
	done := make(chan error, 1)
	if b.profDir == "" || !want {
		done <- nil
		return done
	}
	seconds := int((b.dur - time.Second).Seconds())
	name := filepath.Join(b.profDir, fmt.Sprintf("phase-%d-%s.pprof", phase, strings.Trim(unsafeInName.ReplaceAllString(r.label(), "_"), "_")))
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", b.debug, max(seconds, 1)), nil)
		res, err := b.client.Do(req)
		if err != nil {
			done <- fmt.Errorf("bench: CPU profile of phase %d: %w", phase, err)
			return
		}
		defer res.Body.Close()
		data, err := io.ReadAll(res.Body)
		if err == nil && res.StatusCode != 200 {
			err = fmt.Errorf("status %d: %.200s", res.StatusCode, data)
		}
		if err == nil {
			err = os.WriteFile(name, data, 0o644)
		}
		if err != nil {
			err = fmt.Errorf("bench: CPU profile of phase %d: %w", phase, err)
		}
		done <- err
	}()
	return done
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func printBench(w io.Writer, rep benchReport) {
	fmt.Fprintf(w, "Atrium bench: %s, %d connections, %s per phase", rep.Database, rep.Connections, rep.Duration)
	if rep.Runs > 1 {
		fmt.Fprintf(w, ", the median of %d runs", rep.Runs)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Server: %s; the load generator is this process.\n", rep.Server)
	fmt.Fprintf(w, "Ready %.0f ms after start; idle RSS %.1f MB.\n", rep.ReadyMS, float64(rep.IdleRSSKB)/1024)
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "  - %s\n", n)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\troute\tuser\treq/s\tp50 ms\tp99 ms\tbytes/resp\tvs healthz\terrors\tpeak RSS MB\tCPU µs/req\tqueries/req\t")
	for _, r := range rep.Routes {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.0f\t%.2f\t%.2f\t%d\t%.2f\t%d\t%.1f\t%.0f\t%.2f\t\n",
			r.Phase, r.Route, r.User, r.RPS, r.P50ms, r.P99ms, r.Bytes, r.Ratio, r.Errors, float64(r.PeakRSSKB)/1024, r.CPUPerReq, r.QueriesReq)
	}
	tw.Flush()
	for _, r := range rep.Routes {
		if r.Note != "" {
			fmt.Fprintf(w, "phase %d %s: %s\n", r.Phase, r.Route, r.Note)
		}
	}
}
