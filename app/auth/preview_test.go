package auth_test

import (
	"errors"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
)

// TestPreviewOnTheSession: a preview starts once (never nested), is read
// back with the session, ends once however often it is ended, and each
// step has its audit record; signing out ends it too.
func TestPreviewOnTheSession(t *testing.T) {
	f := newSignIn(t)
	erin, err := people.CreateUser(f.ctx, f.s, people.NewUser{Email: "erin@acme.test", Name: "Erin", Kind: policy.Client, Status: people.Active})
	if err != nil {
		t.Fatal(err)
	}
	_, token, sess, err := f.a.Login(f.ctx, f.s, "ada@acme.test", adaPassword, from, "test")
	if err != nil {
		t.Fatal(err)
	}
	who := audit.Who{ActorID: f.user.ID, Address: "192.0.2.1"}
	now := time.Now()
	if err := auth.StartPreview(f.ctx, f.s, sess, erin.ID, "Erin", "/users", now, who); err != nil {
		t.Fatal(err)
	}
	if err := auth.StartPreview(f.ctx, f.s, sess, erin.ID, "Erin", "/users", now, who); !errors.Is(err, auth.ErrAlreadyPreviewing) {
		t.Errorf("nested preview: %v", err)
	}
	got, err := f.a.Sessions.Lookup(f.ctx, f.s, token)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Previewing() || *got.PreviewUserID != erin.ID || got.PreviewReturn != "/users" || got.PreviewExpired(now.Add(29*time.Minute)) ||
		!got.PreviewExpired(now.Add(30*time.Minute)) {
		t.Errorf("session after start: %+v", got)
	}
	ret, err := auth.EndPreview(f.ctx, f.s, got, auth.PreviewEndExit, who)
	if err != nil || ret != "/users" || got.Previewing() {
		t.Errorf("end: %q %v %+v", ret, err, got)
	}
	stale := *sess // still says it previews
	if _, err := auth.EndPreview(f.ctx, f.s, &stale, auth.PreviewEndExpiry, who); err != nil {
		t.Fatal(err)
	}
	if n := len(f.entries(t, audit.PreviewStart)); n != 1 {
		t.Errorf("%d start records", n)
	}
	if e := f.entries(t, audit.PreviewEnd); len(e) != 1 || *e[0].ObjectID != erin.ID || e[0].Summary != "ended a preview (exit)" {
		t.Errorf("end records: %+v", e)
	}
	if err := auth.StartPreview(f.ctx, f.s, got, erin.ID, "Erin", "/", now, who); err != nil {
		t.Fatal(err)
	}
	if err := auth.Logout(f.ctx, f.s, sess.ID, who); err != nil {
		t.Fatal(err)
	}
	if e := f.entries(t, audit.PreviewEnd); len(e) != 2 || e[1].Summary != "ended a preview (logout)" {
		t.Errorf("end records after sign-out: %+v", e)
	}
}
