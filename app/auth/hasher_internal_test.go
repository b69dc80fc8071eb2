package auth

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestHasherBound: with every slot taken, a check waits its time and is
// refused without hashing; once a slot frees, checks run again.
func TestHasherBound(t *testing.T) {
	h := NewHasher(1, 20*time.Millisecond)
	release, err := h.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = h.Check(context.Background(), "", "guess")
	var busy *BusyError
	if !errors.As(err, &busy) {
		t.Fatalf("check with every slot taken: %v", err)
	}
	if waited := time.Since(start); waited < 20*time.Millisecond {
		t.Errorf("refused after %s, before the wait ran out", waited)
	}
	if busy.RetrySeconds() < 1 {
		t.Errorf("RetrySeconds = %d", busy.RetrySeconds())
	}
	if _, err := h.Hash(context.Background(), "a sentence is fine"); !errors.As(err, &busy) {
		t.Errorf("hash with every slot taken: %v", err)
	}
	release()
	hash, err := h.Hash(context.Background(), "a sentence is fine")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := h.Check(context.Background(), hash, "a sentence is fine"); !ok || err != nil {
		t.Errorf("check after release: %v %v", ok, err)
	}
	if len(h.slots) != 0 {
		t.Errorf("%d slots still taken", len(h.slots))
	}
}

// TestHasherWaits: a check that finds the slots taken gets one when it
// frees within the wait.
func TestHasherWaits(t *testing.T) {
	h := NewHasher(1, 5*time.Second)
	release, _ := h.acquire(context.Background())
	time.AfterFunc(20*time.Millisecond, release)
	if _, err := h.Check(context.Background(), "", "guess"); err != nil {
		t.Fatalf("check waiting for a slot: %v", err)
	}
}

// TestNilHasher: tools without a bound still hash.
func TestNilHasher(t *testing.T) {
	var h *Hasher
	hash, err := h.Hash(context.Background(), "a sentence is fine")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.Check(context.Background(), hash, "a sentence is fine"); !ok {
		t.Error("nil hasher does not check")
	}
}
