package tenant

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/valid"
)

// BrandingEdit is a change to Settings → Branding. Nil fields stay as they are.
type BrandingEdit struct {
	AppName      *string
	PrimaryColor *string
	AccentColor  *string
	// SupportEmail, SupportPhone and SupportHours are the MSP's contact
	// card on external users' home page.
	SupportEmail *string
	SupportPhone *string
	SupportHours *string
	// Images are new uploads by kind, checked here by size and content.
	Images map[AssetKind][]byte
	// Remove lists the images that go back to the default (an upload of
	// the same kind wins).
	Remove []AssetKind
	// MaxImageBytes bounds an upload.
	MaxImageBytes int
}

// Toggles turns the tenant's optional pages on or off. Nil fields stay as they are.
type Toggles struct {
	WhyEnabled       *bool
	DirectionEnabled *bool
}

// EmailEdit is a change to Settings → Email. Nil fields stay as they are;
// an empty password keeps the stored one.
type EmailEdit struct {
	Host        *string
	Port        *int
	Username    *string
	Password    *string
	TLS         *string
	FromName    *string
	FromAddress *string
}

// Edit is what a tenant's admins change in Settings, applied together:
// nothing is saved unless all of it is valid.
type Edit struct {
	Branding *BrandingEdit
	Toggles  *Toggles
	Email    *EmailEdit
}

// UpdateBranding changes the app name, colours, logo and favicon of the
// tenant with id and records what changed in its audit log.
func (s *Store) UpdateBranding(ctx context.Context, id int64, who audit.Who, b BrandingEdit) (*Tenant, error) {
	return s.Apply(ctx, id, who, Edit{Branding: &b})
}

// UpdateToggles turns the tenant's optional pages on or off and records it.
func (s *Store) UpdateToggles(ctx context.Context, id int64, who audit.Who, t Toggles) (*Tenant, error) {
	return s.Apply(ctx, id, who, Edit{Toggles: &t})
}

// UpdateEmail changes the tenant's outgoing mail settings and records what
// changed; the SMTP password itself never reaches the record.
func (s *Store) UpdateEmail(ctx context.Context, id int64, who audit.Who, m EmailEdit) (*Tenant, error) {
	return s.Apply(ctx, id, who, Edit{Email: &m})
}

// Apply makes the changes of e to the tenant with id in one transaction,
// which also writes one audit record for each area that changed (branding,
// page toggles, email) saying what changed, old → new. Every field and image
// is checked before anything is saved; bad input is a valid.Errors.
func (s *Store) Apply(ctx context.Context, id int64, who audit.Who, e Edit) (*Tenant, error) {
	p := e.patch()
	errs := valid.Errors{}
	images := e.Branding.checkImages(errs)
	if err := s.seal(&p); err != nil {
		var ve valid.Errors
		if !errors.As(err, &ve) {
			return nil, err
		}
		for k, v := range ve {
			errs.Add(k, v)
		}
		p.SMTPPassword = nil
	}
	var out *Tenant
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t := new(Tenant)
		if err := tx.NewSelect().Model(t).Relation("Hosts").Where("t.id = ?", id).Scan(ctx); err != nil {
			return fmt.Errorf("tenant: load %d: %w", id, ErrNotFound)
		}
		before := *t
		apply(t, p, errs)
		if err := errs.Err(); err != nil {
			return err
		}
		t.UpdatedAt = time.Now().UTC()
		if _, err := tx.NewUpdate().Model(t).WherePK().ExcludeColumn("created_at", "settings_version").Exec(ctx); err != nil {
			return fmt.Errorf("tenant: update %s: %w", t.Slug, err)
		}
		db := s.db.InTx(tx, t.ID)
		var imageNotes []string
		if b := e.Branding; b != nil {
			for _, kind := range []AssetKind{Logo, Favicon} {
				old, err := LoadAsset(ctx, db, kind)
				if err != nil {
					return err
				}
				switch data, upload := images[kind]; {
				case upload:
					if _, err := SaveAsset(ctx, db, kind, data, b.MaxImageBytes); err != nil {
						return err
					}
					if old == nil {
						imageNotes = append(imageNotes, "new "+string(kind))
					} else {
						imageNotes = append(imageNotes, string(kind)+" replaced")
					}
				case old != nil && containsKind(b.Remove, kind):
					if err := DeleteAsset(ctx, db, kind); err != nil {
						return err
					}
					imageNotes = append(imageNotes, string(kind)+" removed")
				}
			}
		}
		records := []struct {
			action audit.Action
			what   string
			parts  []string
		}{
			{audit.BrandingChange, "the branding", append(brandingChanges(&before, t), imageNotes...)},
			{audit.SettingsChange, "the page settings", toggleChanges(&before, t)},
			{audit.EmailSettings, "the email settings", emailChanges(&before, t, p.SMTPPassword != nil && *p.SMTPPassword != "")},
		}
		for _, r := range records {
			if len(r.parts) == 0 {
				continue
			}
			summary := "changed " + r.what + ": " + strings.Join(r.parts, "; ")
			if err := audit.Record(ctx, db, who, r.action, "tenant", t.ID, summary); err != nil {
				return err
			}
		}
		out = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// patch is the part of e that lives on the tenant row.
func (e Edit) patch() Patch {
	var p Patch
	if b := e.Branding; b != nil {
		p.AppName, p.PrimaryColor, p.AccentColor = b.AppName, b.PrimaryColor, b.AccentColor
		p.SupportEmail, p.SupportPhone, p.SupportHours = b.SupportEmail, b.SupportPhone, b.SupportHours
	}
	if t := e.Toggles; t != nil {
		p.WhyEnabled, p.DirectionEnabled = t.WhyEnabled, t.DirectionEnabled
	}
	if m := e.Email; m != nil {
		p.SMTPHost, p.SMTPPort, p.SMTPUsername, p.SMTPTLS = m.Host, m.Port, m.Username, m.TLS
		p.MailFromName, p.MailFromAddress = m.FromName, m.FromAddress
		if m.Password != nil && *m.Password != "" {
			p.SMTPPassword = m.Password
		}
	}
	return p
}

// checkImages checks the uploads of b into errs and returns the good ones.
func (b *BrandingEdit) checkImages(errs valid.Errors) map[AssetKind][]byte {
	out := map[AssetKind][]byte{}
	if b == nil {
		return out
	}
	for kind, data := range b.Images {
		field := string(kind)
		switch {
		case kind != Logo && kind != Favicon:
			errs.Add(field, "Unknown image.")
		case len(data) == 0:
			continue
		case b.MaxImageBytes > 0 && len(data) > b.MaxImageBytes:
			errs.Add(field, fmt.Sprintf("The image is larger than %d KB.", b.MaxImageBytes/1024))
		default:
			if _, ok := SniffImage(data); !ok {
				errs.Add(field, "Use a PNG, JPEG, GIF, WebP or ICO image.")
				continue
			}
			out[kind] = data
		}
	}
	return out
}

func containsKind(kinds []AssetKind, k AssetKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// change describes one field that changed, old → new, or nothing when it did not.
func change(parts []string, label, old, new string) []string {
	if old == new {
		return parts
	}
	return append(parts, fmt.Sprintf("%s %s → %s", label, old, new))
}

func quoted(s string) string { return strconv.Quote(s) }

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func brandingChanges(a, b *Tenant) []string {
	var parts []string
	parts = change(parts, "app name", quoted(a.AppName), quoted(b.AppName))
	parts = change(parts, "primary colour", a.PrimaryColor, b.PrimaryColor)
	parts = change(parts, "accent colour", a.AccentColor, b.AccentColor)
	parts = change(parts, "support email", quoted(a.SupportEmail), quoted(b.SupportEmail))
	parts = change(parts, "support phone", quoted(a.SupportPhone), quoted(b.SupportPhone))
	return change(parts, "support hours", quoted(a.SupportHours), quoted(b.SupportHours))
}

func toggleChanges(a, b *Tenant) []string {
	var parts []string
	parts = change(parts, "why page", onOff(a.WhyEnabled), onOff(b.WhyEnabled))
	return change(parts, "direction page", onOff(a.DirectionEnabled), onOff(b.DirectionEnabled))
}

// emailChanges never shows the password, sealed or not: only that it changed.
func emailChanges(a, b *Tenant, passwordSet bool) []string {
	var parts []string
	parts = change(parts, "SMTP host", quoted(a.SMTPHost), quoted(b.SMTPHost))
	parts = change(parts, "port", strconv.Itoa(a.SMTPPort), strconv.Itoa(b.SMTPPort))
	parts = change(parts, "encryption", a.SMTPTLS, b.SMTPTLS)
	parts = change(parts, "user name", quoted(a.SMTPUsername), quoted(b.SMTPUsername))
	parts = change(parts, "sender name", quoted(a.MailFromName), quoted(b.MailFromName))
	parts = change(parts, "sender address", quoted(a.MailFromAddress), quoted(b.MailFromAddress))
	if passwordSet {
		parts = append(parts, "SMTP password changed")
	}
	return parts
}
