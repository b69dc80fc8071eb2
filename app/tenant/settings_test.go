package tenant_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/secret"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
)

func newTenant(t *testing.T) (*store.DB, *tenant.Store, *tenant.Tenant) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir+"/atrium.db", store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s := tenant.NewStore(db)
	if s.Secrets, err = secret.Load("", dir); err != nil {
		t.Fatal(err)
	}
	slug, name, hosts := "acme", "Acme IT", []string{"acme.example"}
	tn, err := s.Create(ctx, tenant.Patch{Slug: &slug, Name: &name, Hosts: &hosts})
	if err != nil {
		t.Fatal(err)
	}
	return db, s, tn
}

func records(t *testing.T, db *store.DB, id int64) []audit.Entry {
	t.Helper()
	es, _, err := audit.List(context.Background(), db.Tenant(id), audit.Filter{Scope: auditScope(db.Tenant(id)), Action: "settings."})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func ptr[T any](v T) *T { return &v }

// TestSettingsChangesAreAudited: each change writes exactly one record in
// its own transaction, saying what changed; the password never appears.
func TestSettingsChangesAreAudited(t *testing.T) {
	db, s, tn := newTenant(t)
	ctx := context.Background()
	who := audit.Who{Address: "192.0.2.7"}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")

	if _, err := s.UpdateBranding(ctx, tn.ID, who, tenant.BrandingEdit{AppName: ptr("Acme Hub"), PrimaryColor: ptr("#123456"), AccentColor: ptr(tn.AccentColor),
		Images: map[tenant.AssetKind][]byte{tenant.Logo: png}, MaxImageBytes: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	es := records(t, db, tn.ID)
	if len(es) != 1 || es[0].Action != audit.BrandingChange || es[0].Address != "192.0.2.7" {
		t.Fatalf("after branding: %+v", es)
	}
	for _, want := range []string{`app name "Acme IT" → "Acme Hub"`, "primary colour #0F766E → #123456", "new logo"} {
		if !strings.Contains(es[0].Summary, want) {
			t.Errorf("branding summary %q lacks %q", es[0].Summary, want)
		}
	}
	if strings.Contains(es[0].Summary, "accent") {
		t.Errorf("an unchanged colour is in the summary: %q", es[0].Summary)
	}

	if _, err := s.UpdateToggles(ctx, tn.ID, who, tenant.Toggles{WhyEnabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	es = records(t, db, tn.ID)
	if len(es) != 2 || es[0].Action != audit.SettingsChange || es[0].Summary != "changed the page settings: why page on → off" {
		t.Fatalf("after toggles: %+v", es[0])
	}

	if _, err := s.UpdateEmail(ctx, tn.ID, who, tenant.EmailEdit{Host: ptr("smtp.acme.example"), Port: ptr(2525),
		Password: ptr("hunter2-smtp"), FromName: ptr("Acme Desk")}); err != nil {
		t.Fatal(err)
	}
	es = records(t, db, tn.ID)
	if len(es) != 3 || es[0].Action != audit.EmailSettings {
		t.Fatalf("after email: %+v", es)
	}
	for _, want := range []string{`SMTP host "" → "smtp.acme.example"`, "port 587 → 2525", `sender name "" → "Acme Desk"`, "SMTP password changed"} {
		if !strings.Contains(es[0].Summary, want) {
			t.Errorf("email summary %q lacks %q", es[0].Summary, want)
		}
	}
	if strings.Contains(es[0].Summary, "hunter2") {
		t.Errorf("the password reached the audit log: %q", es[0].Summary)
	}
	// A change that changes nothing is not recorded; a refused one neither.
	if _, err := s.UpdateToggles(ctx, tn.ID, who, tenant.Toggles{WhyEnabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateBranding(ctx, tn.ID, who, tenant.BrandingEdit{AppName: ptr("")}); err == nil {
		t.Fatal("an empty app name was accepted")
	}
	if es := records(t, db, tn.ID); len(es) != 3 {
		t.Errorf("%d records after a no-op and a refusal", len(es))
	}
}

// TestSettingsRefuseLineBreaksAndLongValues: a CR or LF that could reach an
// email header, and a value over its limit, are refused before storage.
func TestSettingsRefuseLineBreaksAndLongValues(t *testing.T) {
	_, s, tn := newTenant(t)
	ctx := context.Background()
	huge := strings.Repeat("x", 1_800_000)
	for _, tt := range []struct {
		field string
		edit  tenant.Edit
	}{
		{"app_name", tenant.Edit{Branding: &tenant.BrandingEdit{AppName: ptr("Acme\r\nBcc: victim@example.com")}}},
		{"app_name", tenant.Edit{Branding: &tenant.BrandingEdit{AppName: ptr(strings.Repeat("a", 61))}}},
		{"primary_color", tenant.Edit{Branding: &tenant.BrandingEdit{PrimaryColor: ptr(huge)}}},
		{"mail_from_name", tenant.Edit{Email: &tenant.EmailEdit{FromName: ptr("Desk\nBcc: victim@example.com")}}},
		{"mail_from_name", tenant.Edit{Email: &tenant.EmailEdit{FromName: ptr(huge)}}},
		{"mail_from_address", tenant.Edit{Email: &tenant.EmailEdit{FromAddress: ptr("desk@acme.example\r\nBcc: victim@example.com")}}},
		{"mail_from_address", tenant.Edit{Email: &tenant.EmailEdit{FromAddress: ptr(strings.Repeat("a", 250) + "@acme.example")}}},
		{"smtp_host", tenant.Edit{Email: &tenant.EmailEdit{Host: ptr(strings.Repeat("h", 254))}}},
		{"smtp_host", tenant.Edit{Email: &tenant.EmailEdit{Host: ptr("smtp.example.com\r\nRCPT TO:<x@y>")}}},
		{"smtp_username", tenant.Edit{Email: &tenant.EmailEdit{Username: ptr(huge)}}},
		{"smtp_password", tenant.Edit{Email: &tenant.EmailEdit{Password: ptr(huge)}}},
	} {
		_, err := s.Apply(ctx, tn.ID, audit.Who{}, tt.edit)
		var ve valid.Errors
		if !errors.As(err, &ve) || ve[tt.field] == "" {
			t.Errorf("%s: %v", tt.field, err)
		}
		if err != nil && len(err.Error()) > 500 {
			t.Errorf("%s: the error repeats the value (%d bytes)", tt.field, len(err.Error()))
		}
	}
	// The command line goes through the same checks.
	hosts := make([]string, 0, 30)
	for i := 0; i < 30; i++ {
		hosts = append(hosts, strings.Repeat("a", i+1)+".example")
	}
	for field, p := range map[string]tenant.Patch{
		"app_name": {AppName: ptr("Acme\nPortal")},
		"name":     {Name: ptr("Acme\rIT")},
		"hosts":    {Hosts: &hosts},
	} {
		_, err := s.Update(ctx, tn.ID, p)
		var ve valid.Errors
		if !errors.As(err, &ve) || ve[field] == "" {
			t.Errorf("update %s: %v", field, err)
		}
	}
	longHost := []string{strings.Repeat("h", 300) + ".example"}
	if _, err := s.Update(ctx, tn.ID, tenant.Patch{Hosts: &longHost}); err == nil || len(err.Error()) > 300 {
		t.Errorf("a 300-character host: %v", err)
	}
	got, _ := s.ByID(ctx, tn.ID)
	if got.AppName != "Acme IT" || got.MailFromName != "" {
		t.Errorf("a refused value was stored: %+v", got)
	}
}

// auditScope is the whole audit log of db's tenant, as its operator reads it.
func auditScope(db *store.Scoped) policy.Scope {
	return policy.AuditScope(policy.Operator(db.TenantID()))
}
