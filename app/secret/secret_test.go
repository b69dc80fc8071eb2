package secret_test

import (
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/secret"
)

func TestSealOpen(t *testing.T) {
	dir := t.TempDir()
	a, err := secret.Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := a.Seal("hunter2-smtp")
	if err != nil || strings.Contains(sealed, "hunter2") {
		t.Fatalf("sealed %q %v", sealed, err)
	}
	b, err := secret.Load("", dir) // the generated key is reused
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b.Open(sealed); err != nil || got != "hunter2-smtp" {
		t.Errorf("open: %q %v", got, err)
	}
	other, _ := secret.Load("", t.TempDir())
	if _, err := other.Open(sealed); err == nil {
		t.Error("another key opened the value")
	}
	if _, err := secret.Load("bm90LTMyLWJ5dGVz", ""); err == nil {
		t.Error("a short configured key was accepted")
	}
}
