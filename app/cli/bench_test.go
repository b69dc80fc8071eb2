package cli_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/cli"
)

// TestMain lets the test binary be the server `atrium bench` starts: bench
// re-executes its own binary with serve and ATRIUM_BENCH_CHILD=1.
func TestMain(m *testing.M) {
	if os.Getenv("ATRIUM_BENCH_CHILD") == "1" {
		err := cli.Run(context.Background(), cli.Env{
			Args: os.Args, Environ: os.Environ(), Stdout: os.Stdout, Stderr: os.Stderr, Static: os.DirFS("../../ui/static"),
		})
		if err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var benchRoutes = []string{
	"GET /healthz", "GET /tickets", "GET /api/v1/tickets", "GET /tickets/", "GET /tickets?q=vpn", "GET /",
	"GET /reports/", "GET /teams", "POST /api/v1/tickets", "POST /api/v1/tickets/", "POST /api/v1/session (100 at once)",
}

// TestBench runs the benchmark briefly over a new demo data directory: a
// table with every route and /healthz at 1.00 of itself, then JSON.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	dir := t.TempDir()
	r := run(t, dir, "bench", "--duration", "200ms", "--connections", "4")
	if r.err != nil {
		t.Fatalf("bench: %v\n%s\n%s", r.err, r.out, r.errOut)
	}
	if !regexp.MustCompile(`Ready \d+ ms after start; idle RSS [0-9.]+ MB`).MatchString(r.out) {
		t.Errorf("no ready time and idle RSS:\n%s", r.out)
	}
	if !strings.Contains(r.out, "the demo was seeded") {
		t.Errorf("an empty data directory is not said to be seeded:\n%s", r.out)
	}
	for _, route := range benchRoutes {
		if !strings.Contains(r.out, route) {
			t.Errorf("no row for %s:\n%s", route, r.out)
		}
	}
	baseline := false
	for _, line := range strings.Split(r.out, "\n") {
		if f := strings.Fields(line); len(f) > 9 && f[1] == "GET" && f[2] == "/healthz" {
			baseline = f[8] == "1.00"
		}
	}
	if !baseline {
		t.Errorf("no /healthz row at 1.00 of itself:\n%s", r.out)
	}

	r = run(t, dir, "bench", "--duration", "200ms", "--connections", "4", "--runs", "3", "--json")
	if r.err != nil {
		t.Fatalf("bench --json: %v\n%s", r.err, r.errOut)
	}
	var rep struct {
		Runs   int `json:"runs_per_phase"`
		Routes []struct {
			Route    string  `json:"route"`
			Requests int64   `json:"requests"`
			Ratio    float64 `json:"ratio_to_healthz"`
			Errors   int64   `json:"errors"`
			Queries  float64 `json:"server_queries_per_request"`
		} `json:"routes"`
	}
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("--json does not parse: %v\n%s", err, r.out)
	}
	if rep.Runs != 3 {
		t.Errorf("runs_per_phase %d, want 3", rep.Runs)
	}
	seen := map[string]bool{}
	for _, row := range rep.Routes {
		seen[row.Route] = true
		if row.Errors != 0 || row.Requests == 0 {
			t.Errorf("%s: %d requests, %d errors", row.Route, row.Requests, row.Errors)
		}
		if row.Route == "GET /healthz" && row.Ratio != 1 {
			t.Errorf("/healthz ratio %v", row.Ratio)
		}
		if row.Route == "GET /tickets" && row.Queries <= 0 {
			t.Errorf("GET /tickets counts no statements")
		}
	}
	if len(rep.Routes) < 12 || !seen["GET /healthz"] || !seen["POST /api/v1/tickets"] {
		t.Errorf("routes: %v", seen)
	}

	// One phase, with the server's CPU profile of it and of the baseline.
	prof := t.TempDir()
	r = run(t, dir, "bench", "--duration", "2s", "--connections", "4", "--phases", "4", "--cpuprofile", prof, "--json")
	if r.err != nil {
		t.Fatalf("bench --phases 4 --cpuprofile: %v\n%s", r.err, r.errOut)
	}
	rep.Routes = nil
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("--json does not parse: %v\n%s", err, r.out)
	}
	if len(rep.Routes) != 2 || rep.Routes[0].Route != "GET /healthz" || rep.Routes[1].Route != "GET /api/v1/tickets" {
		t.Errorf("--phases 4 measured %+v, want /healthz and GET /api/v1/tickets", rep.Routes)
	}
	for _, name := range []string{"phase-1-GET_healthz.pprof", "phase-4-GET_api_v1_tickets.pprof"} {
		if fi, err := os.Stat(filepath.Join(prof, name)); err != nil || fi.Size() == 0 {
			t.Errorf("no CPU profile %s: %v", name, err)
		}
	}
}
