package ui_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestGeneratedFilesAreFresh regenerates the templ views in a scratch copy
// and fails when the committed *_templ.go files differ: run
// `go tool templ generate` and commit the result.
func TestGeneratedFilesAreFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the templ generator")
	}
	templs, err := filepath.Glob("*.templ")
	if err != nil || len(templs) == 0 {
		t.Fatalf("no templ files: %v", err)
	}
	// The generated code names its source relative to where the generator
	// ran (the repository root), so regenerate in a scratch root with a ui folder.
	bin, err := exec.Command("go", "tool", "-n", "templ").Output()
	if err != nil {
		t.Fatalf("find the pinned templ generator: %v", err)
	}
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "ui"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range templs {
		copyFile(t, f, filepath.Join(root, "ui", f))
	}
	cmd := exec.Command(strings.TrimSpace(string(bin)), "generate")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("templ generate: %v\n%s", err, out)
	}
	for _, f := range templs {
		gen := strings.TrimSuffix(f, ".templ") + "_templ.go"
		want, err := os.ReadFile(filepath.Join(root, "ui", gen))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(gen)
		if err != nil {
			t.Errorf("%s is not committed; run go tool templ generate", gen)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale; run go tool templ generate", gen)
		}
	}
	all, _ := filepath.Glob("*_templ.go")
	if len(all) != len(templs) {
		t.Errorf("%d generated files for %d templ files: remove the orphans", len(all), len(templs))
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestVendoredHTMX: the vendored htmx is the version HTMX_VERSION records
// (scripts/update-htmx.sh writes both).
func TestVendoredHTMX(t *testing.T) {
	v, err := os.ReadFile("static/js/HTMX_VERSION")
	if err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile("static/js/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`version:"([0-9.]+)"`).FindSubmatch(js)
	if m == nil || string(m[1]) != strings.TrimSpace(string(v)) {
		t.Errorf("htmx.min.js is %q, HTMX_VERSION says %q", m, v)
	}
}
