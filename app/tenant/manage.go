package tenant

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/valid"
)

// Patch is a change to a tenant: nil fields stay as they are. Create uses
// it too, with Slug, Name and Hosts required.
type Patch struct {
	Slug             *string
	Name             *string
	AppName          *string
	Hosts            *[]string // the first is the primary host
	PrimaryColor     *string
	AccentColor      *string
	WhyEnabled       *bool
	DirectionEnabled *bool
	SMTPHost         *string
	SMTPPort         *int
	SMTPUsername     *string
	SMTPPassword     *string
	SMTPTLS          *string
	MailFromName     *string
	MailFromAddress  *string
	SupportEmail     *string
	SupportPhone     *string
	SupportHours     *string
}

// The longest values a tenant's text fields hold; longer ones are refused
// before anything is stored.
const (
	MaxName         = 120  // the tenant's name and the sender name of its mail
	MaxAppName      = 60   // the product name users see
	MaxHost         = 253  // a hostname, the tenant's or its SMTP server's
	MaxHosts        = 20   // hostnames of one tenant
	MaxSMTPPassword = 1024 // before it is sealed
	MaxSupportPhone = 40   // the support phone number on the contact card
	MaxSupportHours = 120  // the support hours, free text
)

// seal replaces a plain SMTP password in p with its sealed form.
func (s *Store) seal(p *Patch) error {
	if p.SMTPPassword == nil || *p.SMTPPassword == "" {
		return nil
	}
	if len(*p.SMTPPassword) > MaxSMTPPassword {
		return valid.Errors{"smtp_password": fmt.Sprintf("At most %d characters.", MaxSMTPPassword)}
	}
	if s.Secrets == nil {
		return valid.Errors{"smtp_password": "No secret key is configured to protect the password."}
	}
	sealed, err := s.Secrets.Seal(*p.SMTPPassword)
	if err != nil {
		return fmt.Errorf("tenant: seal SMTP password: %w", err)
	}
	p.SMTPPassword = &sealed
	return nil
}

// Create makes a tenant from p. AppName defaults to Name.
func (s *Store) Create(ctx context.Context, p Patch) (*Tenant, error) {
	if err := s.seal(&p); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	t := &Tenant{
		PrimaryColor: "#0F766E", AccentColor: "#F59E0B",
		WhyEnabled: true, DirectionEnabled: true,
		SMTPPort: 587, SMTPTLS: "starttls",
		CreatedAt: now, UpdatedAt: now,
	}
	errs := valid.Errors{}
	if p.Slug == nil {
		errs.Add("slug", "A slug is required.")
	}
	if p.Name == nil {
		errs.Add("name", "A name is required.")
	}
	if p.Hosts == nil || len(*p.Hosts) == 0 {
		errs.Add("hosts", "At least one hostname is required.")
	}
	if p.AppName == nil && p.Name != nil {
		p.AppName = p.Name
	}
	hosts := apply(t, p, errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkFree(ctx, tx, 0, t.Slug, hosts); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
			return fmt.Errorf("tenant: create %s: %w", t.Slug, err)
		}
		return replaceHosts(ctx, tx, t, hosts)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Update applies p to the tenant with id and saves it.
func (s *Store) Update(ctx context.Context, id int64, p Patch) (*Tenant, error) {
	if err := s.seal(&p); err != nil {
		return nil, err
	}
	var out *Tenant
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t := new(Tenant)
		if err := tx.NewSelect().Model(t).Relation("Hosts").Where("t.id = ?", id).Scan(ctx); err != nil {
			return fmt.Errorf("tenant: load %d: %w", id, ErrNotFound)
		}
		errs := valid.Errors{}
		hosts := apply(t, p, errs)
		if err := errs.Err(); err != nil {
			return err
		}
		if err := s.checkFree(ctx, tx, t.ID, t.Slug, hosts); err != nil {
			return err
		}
		t.UpdatedAt = time.Now().UTC()
		if _, err := tx.NewUpdate().Model(t).WherePK().ExcludeColumn("created_at", "settings_version").Exec(ctx); err != nil {
			return fmt.Errorf("tenant: update %s: %w", t.Slug, err)
		}
		if hosts != nil {
			if err := replaceHosts(ctx, tx, t, hosts); err != nil {
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

// Validate reports what Update would refuse, without saving anything.
func (s *Store) Validate(ctx context.Context, id int64, p Patch) error {
	t, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	errs := valid.Errors{}
	apply(t, p, errs)
	return errs.Err()
}

// apply validates p into errs and copies the valid fields onto t. It returns
// the normalised host list when p changes hosts, else nil.
func apply(t *Tenant, p Patch, errs valid.Errors) []string {
	str := func(field string, src *string, dst *string, max int, required bool) {
		if src == nil {
			return
		}
		v := strings.TrimSpace(*src)
		if msg := valid.Line(v, max); msg != "" {
			errs.Add(field, msg)
			return
		}
		if required && v == "" {
			errs.Add(field, "This field is required.")
			return
		}
		*dst = v
	}
	if p.Slug != nil {
		v := strings.ToLower(strings.TrimSpace(*p.Slug))
		if !slugRE.MatchString(v) {
			errs.Add("slug", "Use lower-case letters, digits and dashes.")
		}
		t.Slug = v
	}
	str("name", p.Name, &t.Name, MaxName, true)
	str("app_name", p.AppName, &t.AppName, MaxAppName, true)
	color := func(field string, src *string, dst *string) {
		if src == nil {
			return
		}
		v := strings.TrimSpace(*src)
		if len(v) > 7 || !ColorRE.MatchString(v) {
			errs.Add(field, ColorFormatMessage)
			return
		}
		*dst = strings.ToUpper(v)
	}
	color("primary_color", p.PrimaryColor, &t.PrimaryColor)
	color("accent_color", p.AccentColor, &t.AccentColor)
	if p.PrimaryColor != nil && ColorRE.MatchString(t.PrimaryColor) {
		if _, msg := PrimaryContrast.Check(t.PrimaryColor); msg != "" {
			errs.Add("primary_color", msg)
		}
	}
	if p.WhyEnabled != nil {
		t.WhyEnabled = *p.WhyEnabled
	}
	if p.DirectionEnabled != nil {
		t.DirectionEnabled = *p.DirectionEnabled
	}
	str("smtp_host", p.SMTPHost, &t.SMTPHost, MaxHost, false)
	if p.SMTPHost != nil && strings.ContainsAny(t.SMTPHost, " /@") {
		errs.Add("smtp_host", "Use a host name like smtp.example.com.")
	}
	str("smtp_username", p.SMTPUsername, &t.SMTPUsername, valid.MaxEmail, false)
	if p.SMTPPassword != nil {
		t.SMTPPassword = *p.SMTPPassword
	}
	if p.SMTPPort != nil {
		if *p.SMTPPort < 1 || *p.SMTPPort > 65535 {
			errs.Add("smtp_port", "Use a port from 1 to 65535.")
		} else {
			t.SMTPPort = *p.SMTPPort
		}
	}
	if p.SMTPTLS != nil {
		switch *p.SMTPTLS {
		case "starttls", "tls", "none":
			t.SMTPTLS = *p.SMTPTLS
		default:
			errs.Add("smtp_tls", "Use starttls, tls or none.")
		}
	}
	str("mail_from_name", p.MailFromName, &t.MailFromName, MaxName, false)
	if p.MailFromAddress != nil {
		v := strings.TrimSpace(*p.MailFromAddress)
		if err := valid.Email("mail_from_address", v); err != nil {
			errs.Add("mail_from_address", err.(valid.Errors)["mail_from_address"])
		} else if v != "" {
			if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
				errs.Add("mail_from_address", "Use a plain address like portal@example.com.")
			}
		}
		t.MailFromAddress = v
	}
	if p.SupportEmail != nil {
		v := strings.TrimSpace(*p.SupportEmail)
		if err := valid.Email("support_email", v); err != nil {
			errs.Add("support_email", err.(valid.Errors)["support_email"])
		} else if a, err := mail.ParseAddress(v); v != "" && (err != nil || a.Address != v) {
			errs.Add("support_email", "Use a plain address like support@example.com.")
		} else {
			t.SupportEmail = v
		}
	}
	str("support_phone", p.SupportPhone, &t.SupportPhone, MaxSupportPhone, false)
	str("support_hours", p.SupportHours, &t.SupportHours, MaxSupportHours, false)
	if p.Hosts == nil {
		return nil
	}
	if len(*p.Hosts) > MaxHosts {
		errs.Add("hosts", fmt.Sprintf("At most %d hostnames.", MaxHosts))
		return nil
	}
	var hosts []string
	seen := map[string]bool{}
	for _, h := range *p.Hosts {
		if len(h) > MaxHost+8 { // room for a port and spaces
			errs.Add("hosts", fmt.Sprintf("A hostname has at most %d characters.", MaxHost))
			continue
		}
		h = NormalizeHost(h)
		if h == "" || seen[h] {
			continue
		}
		if !hostRE.MatchString(h) || len(h) > MaxHost {
			errs.Add("hosts", fmt.Sprintf("%q is not a hostname.", h))
			continue
		}
		seen[h] = true
		hosts = append(hosts, h)
	}
	if len(hosts) == 0 {
		errs.Add("hosts", "At least one hostname is required.")
	}
	return hosts
}

// checkFree refuses a slug or hostname another tenant already has.
func (s *Store) checkFree(ctx context.Context, tx bun.Tx, selfID int64, slug string, hosts []string) error {
	errs := valid.Errors{}
	n, err := tx.NewSelect().Model((*Tenant)(nil)).Where("slug = ? AND id <> ?", slug, selfID).Count(ctx)
	if err != nil {
		return fmt.Errorf("tenant: check slug: %w", err)
	}
	if n > 0 {
		errs.Add("slug", fmt.Sprintf("The slug %q is taken.", slug))
	}
	if len(hosts) > 0 {
		var taken []string
		err := tx.NewSelect().Model((*Host)(nil)).Column("hostname").
			Where("hostname IN (?) AND tenant_id <> ?", bun.In(hosts), selfID).Scan(ctx, &taken)
		if err != nil {
			return fmt.Errorf("tenant: check hosts: %w", err)
		}
		if len(taken) > 0 {
			errs.Add("hosts", fmt.Sprintf("%s already belongs to another tenant.", strings.Join(taken, ", ")))
		}
	}
	return errs.Err()
}

func replaceHosts(ctx context.Context, tx bun.Tx, t *Tenant, hosts []string) error {
	if _, err := tx.NewDelete().Model((*Host)(nil)).Where("tenant_id = ?", t.ID).Exec(ctx); err != nil {
		return fmt.Errorf("tenant: clear hosts: %w", err)
	}
	t.Hosts = t.Hosts[:0]
	for i, h := range hosts {
		t.Hosts = append(t.Hosts, Host{TenantID: t.ID, Hostname: h, IsPrimary: i == 0})
	}
	if _, err := tx.NewInsert().Model(&t.Hosts).Exec(ctx); err != nil {
		return fmt.Errorf("tenant: save hosts: %w", err)
	}
	return nil
}
