package tenant_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// failAudit makes every later insert into audit_log fail, as a full disk or
// a broken audit table would.
func failAudit(t *testing.T, db *store.DB) {
	t.Helper()
	if _, err := db.W.ExecContext(context.Background(),
		`CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit down'); END`); err != nil {
		t.Fatal(err)
	}
}

// TestSettingsRollBackWithoutTheirRecord: a settings change whose audit
// record cannot be written returns an error and leaves the tenant (row and
// images) exactly as it was. Writing the record after the commit would pass
// every other test; this one fails.
func TestSettingsRollBackWithoutTheirRecord(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	for _, tt := range []struct {
		name string
		run  func(ctx context.Context, s *tenant.Store, tn *tenant.Tenant, who audit.Who) error
	}{
		{"app name", func(ctx context.Context, s *tenant.Store, tn *tenant.Tenant, who audit.Who) error {
			_, err := s.UpdateBranding(ctx, tn.ID, who, tenant.BrandingEdit{AppName: ptr("Acme Hub")})
			return err
		}},
		{"colours", func(ctx context.Context, s *tenant.Store, tn *tenant.Tenant, who audit.Who) error {
			_, err := s.UpdateBranding(ctx, tn.ID, who, tenant.BrandingEdit{PrimaryColor: ptr("#123456"), AccentColor: ptr("#ABCDEF")})
			return err
		}},
		{"logo", func(ctx context.Context, s *tenant.Store, tn *tenant.Tenant, who audit.Who) error {
			_, err := s.UpdateBranding(ctx, tn.ID, who, tenant.BrandingEdit{
				Images: map[tenant.AssetKind][]byte{tenant.Logo: png}, MaxImageBytes: 1 << 20})
			return err
		}},
		{"why page", func(ctx context.Context, s *tenant.Store, tn *tenant.Tenant, who audit.Who) error {
			_, err := s.UpdateToggles(ctx, tn.ID, who, tenant.Toggles{WhyEnabled: ptr(!tn.WhyEnabled)})
			return err
		}},
		{"direction page", func(ctx context.Context, s *tenant.Store, tn *tenant.Tenant, who audit.Who) error {
			_, err := s.UpdateToggles(ctx, tn.ID, who, tenant.Toggles{DirectionEnabled: ptr(!tn.DirectionEnabled)})
			return err
		}},
		{"email", func(ctx context.Context, s *tenant.Store, tn *tenant.Tenant, who audit.Who) error {
			_, err := s.UpdateEmail(ctx, tn.ID, who, tenant.EmailEdit{Host: ptr("smtp.acme.example"), Port: ptr(2525),
				Username: ptr("desk"), Password: ptr("hunter2-smtp"), FromName: ptr("Acme Desk"), FromAddress: ptr("desk@acme.example")})
			return err
		}},
		{"all areas at once", func(ctx context.Context, s *tenant.Store, tn *tenant.Tenant, who audit.Who) error {
			_, err := s.Apply(ctx, tn.ID, who, tenant.Edit{
				Branding: &tenant.BrandingEdit{AppName: ptr("Acme Hub"), Images: map[tenant.AssetKind][]byte{tenant.Favicon: png}, MaxImageBytes: 1 << 20},
				Toggles:  &tenant.Toggles{WhyEnabled: ptr(!tn.WhyEnabled)},
				Email:    &tenant.EmailEdit{Host: ptr("smtp.acme.example")},
			})
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			// The same change with a working audit log changes the tenant and
			// writes its record, so "unchanged" below is not the result of a
			// change that does nothing.
			db, s, tn := newTenant(t)
			if before := snapshot(t, db, s, tn.ID); tt.run(ctx, s, before.Tenant, audit.Who{}) != nil {
				t.Fatal("the change fails with a working audit log")
			} else if reflect.DeepEqual(before, snapshot(t, db, s, tn.ID)) || len(records(t, db, tn.ID)) == 0 {
				t.Fatal("the change changes nothing or writes no record even with a working audit log")
			}

			db, s, tn = newTenant(t)
			before := snapshot(t, db, s, tn.ID)
			failAudit(t, db)
			if err := tt.run(ctx, s, before.Tenant, audit.Who{Address: "192.0.2.7"}); err == nil || !strings.Contains(err.Error(), "audit down") {
				t.Fatalf("err %v, want the audit failure", err)
			}
			if after := snapshot(t, db, s, tn.ID); !reflect.DeepEqual(before, after) {
				t.Errorf("tenant changed by a change without its record\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}

// settingsState is what a settings change can touch: the tenant row with
// its hosts, and the uploaded images.
type settingsState struct {
	Tenant        *tenant.Tenant
	Logo, Favicon *tenant.Asset
}

func snapshot(t *testing.T, db *store.DB, s *tenant.Store, id int64) settingsState {
	t.Helper()
	ctx := context.Background()
	tn, err := s.ByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	st := settingsState{Tenant: tn}
	if st.Logo, err = tenant.LoadAsset(ctx, db.Tenant(id), tenant.Logo); err != nil {
		t.Fatal(err)
	}
	if st.Favicon, err = tenant.LoadAsset(ctx, db.Tenant(id), tenant.Favicon); err != nil {
		t.Fatal(err)
	}
	return st
}
