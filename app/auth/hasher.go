package auth

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"time"
)

// BusyError says every hashing slot stayed taken for the whole wait: the
// server is answering too many password checks at once. Nothing was hashed.
type BusyError struct{ RetryAfter time.Duration }

func (e *BusyError) Error() string {
	return fmt.Sprintf("auth: too many password checks in flight; retry in %s", e.RetryAfter.Round(time.Second))
}

// RetrySeconds is RetryAfter in whole seconds, at least one, for a Retry-After header.
func (e *BusyError) RetrySeconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}

// Hasher bounds the argon2id computations in flight. Each one holds 19 MiB
// and a CPU for tens of milliseconds, so a burst of sign-ins, unbounded,
// grows the process by 19 MiB per concurrent request. Callers beyond the
// bound wait up to a fixed time for a slot and then get a *BusyError.
//
// A nil *Hasher hashes without a bound, for command-line tools and seeding.
type Hasher struct {
	slots chan struct{}
	wait  time.Duration
}

// NewHasher allows n hashes at once (n < 1: one per CPU); callers wait at
// most wait for a slot.
func NewHasher(n int, wait time.Duration) *Hasher {
	if n < 1 {
		n = runtime.NumCPU()
	}
	return &Hasher{slots: make(chan struct{}, n), wait: wait}
}

// acquire takes a slot, waiting up to h.wait, and returns its release.
func (h *Hasher) acquire(ctx context.Context) (func(), error) {
	if h == nil {
		return func() {}, nil
	}
	release := func() { <-h.slots }
	select {
	case h.slots <- struct{}{}:
		return release, nil
	default:
	}
	t := time.NewTimer(h.wait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, &BusyError{RetryAfter: max(time.Second, h.wait)}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Hash is HashPassword under the bound.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	release, err := h.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return HashPassword(password)
}

// Check is CheckPassword under the bound. An empty hash (unknown address)
// costs one hashing like any other, so it waits for a slot the same way.
func (h *Hasher) Check(ctx context.Context, hash, password string) (bool, error) {
	release, err := h.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return CheckPassword(hash, password), nil
}
