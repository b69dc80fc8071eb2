package mail_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/mail/mailtest"
	"github.com/atrium-portal/atrium/app/tenant"
)

// TestConcurrentWorkersSendEachOnce: workers in separate "processes" (each
// with its own database handles) drain one outbox; every message goes out
// exactly once.
func TestConcurrentWorkersSendEachOnce(t *testing.T) {
	in := mailtest.Start(t)
	f := setup(t, in)
	const n = 40
	for i := 0; i < n; i++ {
		f.enqueue(t, fmt.Sprintf("user%02d@globex.example", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 6; i++ {
		db := reopen(t, f.path)
		w := fixture{path: f.path, db: db, tenants: tenant.NewStore(db), t: f.t, box: f.box}.worker(nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				sent, err := w.RunOnce(context.Background())
				if err != nil {
					errs <- err
					return
				}
				if !sent {
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got := map[string]int{}
	for _, m := range in.Messages() {
		got[m.To]++
	}
	if len(got) != n {
		t.Errorf("%d distinct recipients, want %d", len(got), n)
	}
	for to, c := range got {
		if c != 1 {
			t.Errorf("%s received %d copies", to, c)
		}
	}
	var unsent int
	if err := f.db.R.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM outbox WHERE status <> 'sent'").Scan(&unsent); err != nil || unsent != 0 {
		t.Errorf("%d messages not marked sent (%v)", unsent, err)
	}
}

// recordingTransport counts what it is asked to send.
type recordingTransport struct{ sent *int }

func (recordingTransport) Name() string { return "recording" }
func (r recordingTransport) Send(context.Context, mail.Envelope) error {
	*r.sent++
	return nil
}

// TestCancelledAfterClaimIsNotSent: the worker re-checks the message just
// before sending, and does not overwrite the cancellation afterwards.
func TestCancelledAfterClaimIsNotSent(t *testing.T) {
	in := mailtest.Start(t)
	f := setup(t, in)
	m := f.enqueue(t, "late@globex.example")
	sent := 0
	w := f.worker(nil)
	w.Transport = func(*tenant.Tenant) (mail.Transport, error) {
		if ok, err := mail.Cancel(context.Background(), f.db.Tenant(f.t.ID), m.ID); err != nil || !ok {
			t.Errorf("cancel a claimed message: %v %v", ok, err)
		}
		return recordingTransport{&sent}, nil
	}
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, _ := mail.ByID(context.Background(), f.db.Tenant(f.t.ID), m.ID)
	if sent != 0 || got.Status != mail.Cancelled {
		t.Errorf("sent %d times, status %s", sent, got.Status)
	}
	// A cancelled message is never claimed again, and a sent one is not cancelled.
	if again, _ := f.worker(nil).RunOnce(context.Background()); again {
		t.Error("a cancelled message was claimed")
	}
	m2 := f.enqueue(t, "early@globex.example")
	if _, err := f.worker(nil).RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ok, _ := mail.Cancel(context.Background(), f.db.Tenant(f.t.ID), m2.ID); ok {
		t.Error("a sent message was cancelled")
	}
	m3 := f.enqueue(t, "other@globex.example")
	if ok, _ := mail.Cancel(context.Background(), f.db.Tenant(f.t.ID+1), m3.ID); ok {
		t.Error("another tenant cancelled the message")
	}
}
