package mail

import (
	"context"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// TestClaimIsConditional: two workers that both saw the same due message
// race to claim it; only the first conditional update takes it, whatever
// the database's locking (no reliance on SQLite's single writer).
func TestClaimIsConditional(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir()+"/atrium.db", store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	slug, name, hosts := "acme", "Acme", []string{"acme.example"}
	tn, err := tenant.NewStore(db).Create(ctx, tenant.Patch{Slug: &slug, Name: &name, Hosts: &hosts})
	if err != nil {
		t.Fatal(err)
	}
	m := &Message{Kind: KindTest, ToAddress: "a@b.example", Subject: "s"}
	if err := Enqueue(ctx, db.Tenant(tn.ID), m); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Add(time.Second)
	a, b := &Worker{DB: db}, &Worker{DB: db}
	okA, errA := a.claimID(ctx, m.ID, now, now.Add(time.Minute))
	okB, errB := b.claimID(ctx, m.ID, now, now.Add(time.Minute))
	if errA != nil || errB != nil || !okA || okB {
		t.Fatalf("claims: a=%v (%v) b=%v (%v)", okA, errA, okB, errB)
	}
	// Once the lease runs out the message may be taken over, once.
	later := now.Add(2 * time.Minute)
	okA, _ = a.claimID(ctx, m.ID, later, later.Add(time.Minute))
	okB, _ = b.claimID(ctx, m.ID, later, later.Add(time.Minute))
	if !okA || okB {
		t.Errorf("after the lease: a=%v b=%v", okA, okB)
	}
}
