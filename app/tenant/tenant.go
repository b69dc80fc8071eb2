// Package tenant holds tenants: their hostnames, branding, mail settings and
// toggles, and the lookup from a request's host to its tenant.
package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/store"
)

// ErrNotFound means no tenant has that host, slug or ID.
var ErrNotFound = errors.New("tenant: not found")

// Tenant is one workspace: its own hosts, branding, mail and settings.
type Tenant struct {
	bun.BaseModel `bun:"table:tenants,alias:t"`

	ID               int64     `bun:"id,pk,autoincrement"`
	Slug             string    `bun:"slug,notnull"`
	Name             string    `bun:"name,notnull"`
	AppName          string    `bun:"app_name,notnull"`
	PrimaryColor     string    `bun:"primary_color,notnull"`
	AccentColor      string    `bun:"accent_color,notnull"`
	WhyEnabled       bool      `bun:"why_enabled,notnull"`
	DirectionEnabled bool      `bun:"direction_enabled,notnull"`
	SMTPHost         string    `bun:"smtp_host,notnull"`
	SMTPPort         int       `bun:"smtp_port,notnull"`
	SMTPUsername     string    `bun:"smtp_username,notnull"`
	SMTPPassword     string    `bun:"smtp_password,notnull"`
	SMTPTLS          string    `bun:"smtp_tls,notnull"`
	MailFromName     string    `bun:"mail_from_name,notnull"`
	MailFromAddress  string    `bun:"mail_from_address,notnull"`
	SupportEmail     string    `bun:"support_email,notnull"`
	SupportPhone     string    `bun:"support_phone,notnull"`
	SupportHours     string    `bun:"support_hours,notnull"`
	CreatedAt        time.Time `bun:"created_at,notnull"`
	UpdatedAt        time.Time `bun:"updated_at,notnull"`
	// SettingsVersion changes with every change to the settings an
	// instance keeps in memory (Cache); triggers bump it, and the tenant's
	// own updates leave it out, so a copy read earlier never writes it back.
	SettingsVersion int64 `bun:"settings_version,notnull"`

	Hosts []Host `bun:"rel:has-many,join:id=tenant_id"`
}

// Host is one hostname of a tenant; exactly one is primary and emails link to it.
type Host struct {
	bun.BaseModel `bun:"table:tenant_hosts,alias:th"`

	ID        int64  `bun:"id,pk,autoincrement"`
	TenantID  int64  `bun:"tenant_id,notnull"`
	Hostname  string `bun:"hostname,notnull"`
	IsPrimary bool   `bun:"is_primary,notnull"`
}

// PrimaryHost is the hostname emails link to.
func (t *Tenant) PrimaryHost() string {
	for _, h := range t.Hosts {
		if h.IsPrimary {
			return h.Hostname
		}
	}
	if len(t.Hosts) > 0 {
		return t.Hosts[0].Hostname
	}
	return ""
}

// HostNames lists the tenant's hostnames, primary first.
func (t *Tenant) HostNames() []string {
	out := []string{}
	if p := t.PrimaryHost(); p != "" {
		out = append(out, p)
	}
	for _, h := range t.Hosts {
		if h.Hostname != t.PrimaryHost() {
			out = append(out, h.Hostname)
		}
	}
	return out
}

// Branding is what a tenant's pages and emails look like.
type Branding struct {
	AppName      string
	PrimaryColor string
	AccentColor  string
}

// Branding returns the tenant's branding.
func (t *Tenant) Branding() Branding {
	return Branding{AppName: t.AppName, PrimaryColor: t.PrimaryColor, AccentColor: t.AccentColor}
}

// NormalizeHost lower-cases a host and strips its port and a trailing dot.
func NormalizeHost(host string) string {
	host = strings.TrimSpace(strings.ToLower(host))
	if strings.HasPrefix(host, "[") { // IPv6 literal
		if i := strings.Index(host, "]"); i > 0 {
			return host[:i+1]
		}
	}
	if i := strings.LastIndex(host, ":"); i >= 0 && !strings.Contains(host[:i], ":") {
		host = host[:i]
	}
	return strings.TrimSuffix(host, ".")
}

var (
	slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	hostRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	// ColorRE matches the #RRGGBB colours branding accepts.
	ColorRE = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
)

// Store reads and writes tenants. Tenants are the platform level above
// tenant scoping, so it uses the database directly.
type Store struct {
	db *store.DB
	// Secrets seals SMTP passwords before they are stored; without it a
	// password cannot be set.
	Secrets interface{ Seal(string) (string, error) }
}

// NewStore returns a tenant store over db.
func NewStore(db *store.DB) *Store { return &Store{db: db} }

// ByHost returns the tenant serving host (already normalised).
//
// Every request starts here, so it is one statement: the tenant's hosts,
// each with the tenant joined (hostRow), rather than the tenant and then
// its hosts; and a prepared read (store.Prepare).
func (s *Store) ByHost(ctx context.Context, host string) (*Tenant, error) {
	var rows []hostRow
	pctx, arg := s.db.Prepare(ctx, host)
	err := s.db.R.NewSelect().Model(&rows).Relation("Tenant").
		Where("th.tenant_id = (SELECT h.tenant_id FROM tenant_hosts AS h WHERE h.hostname = ?)", arg(0)).
		OrderExpr("th.id").Scan(pctx)
	if err != nil {
		return nil, fmt.Errorf("tenant: load %v: %w", host, err)
	}
	if len(rows) == 0 || rows[0].Tenant == nil || rows[0].Tenant.ID == 0 {
		return nil, ErrNotFound
	}
	t := rows[0].Tenant
	t.Hosts = make([]Host, len(rows))
	for i, r := range rows {
		t.Hosts[i] = r.Host
	}
	return t, nil
}

// hostRow is a host with its tenant, for ByHost.
type hostRow struct {
	Host   `bun:",extend"`
	Tenant *Tenant `bun:"rel:belongs-to,join:tenant_id=id"`
}

// ByID returns a tenant with its hosts.
func (s *Store) ByID(ctx context.Context, id int64) (*Tenant, error) {
	return s.one(ctx, "t.id = ?", id)
}

// BySlug returns a tenant with its hosts.
func (s *Store) BySlug(ctx context.Context, slug string) (*Tenant, error) {
	return s.one(ctx, "t.slug = ?", slug)
}

func (s *Store) one(ctx context.Context, where string, arg any) (*Tenant, error) {
	t := new(Tenant)
	err := s.db.R.NewSelect().Model(t).Relation("Hosts").Where(where, arg).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("tenant: load %v: %w", arg, err)
	}
	return t, nil
}

// List returns every tenant, by slug.
func (s *Store) List(ctx context.Context) ([]Tenant, error) {
	var ts []Tenant
	if err := s.db.R.NewSelect().Model(&ts).Relation("Hosts").Order("t.slug").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenant: list: %w", err)
	}
	return ts, nil
}
