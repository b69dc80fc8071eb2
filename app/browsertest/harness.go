// Package browsertest drives Debian's chromium through chromedp against
// the real server, started in-process with the demo dataset, for the flows
// a person clicks through. Without chromium the tests skip with a message,
// except under CI=true, where they must run.
package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/atrium-portal/atrium/app/cli"
)

// repoRoot walks up from the working directory to the folder with go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// Demo is a running demo server.
type Demo struct {
	Addr    string // 127.0.0.1:PORT
	Port    string
	Logs    *syncBuffer
	DataDir string
}

// URL is the address of path on host (e.g. "acme.localhost"), which
// chromium resolves to loopback by itself.
func (d *Demo) URL(host, path string) string {
	return "http://" + host + ":" + d.Port + path
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

// String is everything written so far.
func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// StartDemo runs `atrium serve --demo` in-process on a free port with a
// fresh data directory and stops it when the test ends.
func StartDemo(t testing.TB) *Demo {
	t.Helper()
	ready := make(chan string, 1)
	stop := make(chan struct{})
	done := make(chan error, 1)
	logs := &syncBuffer{}
	dataDir := t.TempDir()
	go func() {
		done <- cli.Run(context.Background(), cli.Env{
			Args: []string{"atrium", "serve", "--demo", "--addr", "127.0.0.1:0", "--data-dir", dataDir},
			// The tests' SMTP inbox listens on loopback.
			Environ: []string{"ATRIUM_SMTP_TENANT_PRIVATE_HOSTS=true"},
			Stdout:  logs, Stderr: logs, Static: os.DirFS(filepath.Join(repoRoot(t), "ui", "static")),
			Ready: func(addr string) { ready <- addr }, Stop: stop,
		})
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("demo server ended: %v\n%s", err, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatal("demo server not ready in 30 s")
	}
	t.Cleanup(func() {
		close(stop)
		if err := <-done; err != nil {
			t.Errorf("demo server: %v", err)
		}
	})
	return &Demo{Addr: addr, Port: addr[strings.LastIndex(addr, ":")+1:], Logs: logs, DataDir: dataDir}
}

// Atrium runs another command (such as `tenant update`) against the demo's
// data directory while it serves, as an operator would.
func (d *Demo) Atrium(t testing.TB, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	err := cli.Run(context.Background(), cli.Env{
		Args: append(append([]string{"atrium"}, args...), "--data-dir", d.DataDir), Stdout: &out, Stderr: &out,
	})
	if err != nil {
		t.Fatalf("atrium %v: %v\n%s", args, err, out.String())
	}
	return out.String()
}

// findChromium returns the browser binary, or "" when none is installed.
// Debian's package puts it at /usr/bin/chromium, which is tried first in
// case PATH is trimmed.
func findChromium() string {
	if fi, err := os.Stat("/usr/bin/chromium"); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser is a headless chromium tab with the console errors it saw.
type Browser struct {
	Ctx context.Context

	mu     sync.Mutex
	errors []string
}

// Errors are console errors, uncaught exceptions and error-level log entries
// (CSP violations among them) seen so far.
func (b *Browser) Errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

// NewBrowser starts headless chromium for one test, which has 90 s to run.
// Without chromium the test is skipped, unless CI=true, where that is a
// failure.
func NewBrowser(t testing.TB) *Browser {
	t.Helper()
	return NewBrowserWithin(t, 90*time.Second)
}

// NewBrowserWithin is NewBrowser for a test that needs longer than 90 s.
func NewBrowserWithin(t testing.TB, limit time.Duration) *Browser {
	t.Helper()
	bin := findChromium()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("browser tests must run under CI=true, but no chromium was found: apt-get install -y chromium")
		}
		t.Skip("browser tests need chromium: apt-get install -y chromium")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelTimeout(); cancelTab(); cancelAlloc() })
	b := &Browser{Ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				msg = "console error: " + strings.Join(parts, " ")
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				msg = "log error: " + e.Entry.Text + " " + e.Entry.URL
			}
		}
		if msg != "" {
			b.mu.Lock()
			b.errors = append(b.errors, msg)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err) // chromedp enables the runtime and log domains itself
	}
	return b
}

// Screenshot saves full-page PNGs of the current page at desktop and phone
// sizes when ATRIUM_SCREENSHOTS names a directory; otherwise it does nothing.
func Screenshot(t testing.TB, b *Browser, name string) {
	t.Helper()
	dir := os.Getenv("ATRIUM_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		if err := chromedp.Do(b.Ctx, chromedp.EmulateViewport(size[0], size[1]), chromedp.Sleep(200*time.Millisecond)); err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		png, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		path := filepath.Join(dir, fmt.Sprintf("%s-%dx%d.png", name, size[0], size[1]))
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_ = chromedp.Do(b.Ctx, chromedp.EmulateViewport(1280, 800))
}
