// Command signinload fires a burst of concurrent sign-ins at a running
// Atrium and reports the server's peak memory and the answers' latency.
// scripts/signin-load.sh builds and starts the server and runs it; it is not
// part of `go test ./...`.
//
// Usage: signinload -url http://127.0.0.1:PORT -pid PID [-wrong 100] [-right 10]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

type result struct {
	status int
	took   time.Duration
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "server URL")
	host := flag.String("host", "acme.localhost", "Host header (the tenant)")
	pid := flag.Int("pid", 0, "server process ID, for its memory")
	wrong := flag.Int("wrong", 100, "concurrent sign-ins with a wrong password")
	right := flag.Int("right", 10, "concurrent sign-ins with the right password, in the same burst")
	flag.Parse()

	before := status(*pid, "VmRSS")
	// Writing 5 to clear_refs resets VmHWM, so the peak is the burst's own
	// rather than start-up's.
	reset := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", *pid), []byte("5"), 0)

	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *wrong + *right}}
	start := make(chan struct{})
	var wg sync.WaitGroup
	wrongRes := make([]result, *wrong)
	rightRes := make([]result, *right)
	fire := func(out *result, email, password string) {
		defer wg.Done()
		body, _ := json.Marshal(map[string]string{"email": email, "password": password})
		req, _ := http.NewRequest("POST", *base+"/api/v1/session", bytes.NewReader(body))
		req.Host = *host
		req.Header.Set("Content-Type", "application/json")
		<-start
		t0 := time.Now()
		res, err := client.Do(req)
		out.took = time.Since(t0)
		if err != nil {
			out.status = -1
			return
		}
		res.Body.Close()
		out.status = res.StatusCode
	}
	for i := range wrongRes {
		wg.Add(1)
		go fire(&wrongRes[i], "ada@acme.test", fmt.Sprintf("wrong-password-%d", i))
	}
	for i := range rightRes {
		wg.Add(1)
		go fire(&rightRes[i], "ken@acme.test", "demo-pass-1")
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	wall := time.Since(t0)

	fmt.Printf("RSS before the burst: %s\n", before)
	if reset != nil {
		fmt.Printf("peak RSS (VmHWM, since start-up: clear_refs failed: %v): %s\n", reset, status(*pid, "VmHWM"))
	} else {
		fmt.Printf("peak RSS during the burst (VmHWM): %s\n", status(*pid, "VmHWM"))
	}
	fmt.Printf("burst wall time: %s\n", wall.Round(time.Millisecond))
	report("wrong passwords", wrongRes)
	report("right passwords (signed in)", rightRes)
}

func report(name string, rs []result) {
	if len(rs) == 0 {
		return
	}
	counts := map[int]int{}
	var all, ok []time.Duration
	for _, r := range rs {
		counts[r.status]++
		all = append(all, r.took)
		if r.status == 200 {
			ok = append(ok, r.took)
		}
	}
	var parts []string
	for _, s := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%d×%d", counts[s], s))
	}
	fmt.Printf("%s: %d requests, answers %s, median %s, max %s", name, len(rs), strings.Join(parts, " "), median(all), slices.Max(all).Round(time.Millisecond))
	if len(ok) > 0 && len(ok) != len(rs) {
		fmt.Printf(", median of the 200s %s", median(ok))
	}
	fmt.Println()
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

// status returns one line's value from /proc/PID/status, as "123 MB".
func status(pid int, key string) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return fmt.Sprintf("%.1f MB", float64(kb)/1024)
		}
	}
	return "unknown"
}
