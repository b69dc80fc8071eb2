// Package config holds Atrium's settings and loads them in one place:
// defaults, then the TOML file, then ATRIUM_* environment variables, then
// the command-line flags the user actually set. Later sources win.
package config

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Duration is a time.Duration written as "12h" or "15m" in TOML and the environment.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration back as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.Duration.String()), nil }

// Config is every setting of the server. The toml tag of each field is also
// the source of its environment variable: ATRIUM_ + section + key, upper case
// (for example session.idle_timeout is ATRIUM_SESSION_IDLE_TIMEOUT).
type Config struct {
	// Addr is where the HTTP server listens.
	Addr string `toml:"addr"`
	// DataDir holds the SQLite database and generated secrets.
	DataDir string `toml:"data_dir"`
	// DatabaseURL, when set (postgres://…), runs on that PostgreSQL
	// database instead of the SQLite file in DataDir: several instances
	// can share it. The secret key must then come from config.
	DatabaseURL string `toml:"database_url"`
	// DefaultTenant is the slug of the tenant served for hosts that match none.
	DefaultTenant string `toml:"default_tenant"`
	// TrustedProxies lists the IPs or CIDR ranges whose X-Forwarded-* headers count.
	TrustedProxies []string `toml:"trusted_proxies"`
	// InsecureHosts are hostnames served over plain HTTP; links to them use
	// http:// and the listening port. Hosts named localhost or *.localhost always are.
	InsecureHosts []string `toml:"insecure_hosts"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `toml:"log_level"`
	// LogFormat is text or json.
	LogFormat string `toml:"log_format"`
	// SecretKey (base64 of 32 bytes) seals secrets stored in the database,
	// such as tenants' SMTP passwords. Empty: a key generated into the data dir.
	SecretKey string `toml:"secret_key"`
	// LinkPort overrides the port put into links to insecure hosts (0: the listening port).
	LinkPort int `toml:"link_port"`

	Session   Session   `toml:"session"`
	LoginRate LoginRate `toml:"login_limit"`
	Passwords Passwords `toml:"passwords"`
	SMTP      SMTP      `toml:"smtp"`
	Limits    Limits    `toml:"limits"`
}

// Session sets the lifetime of sign-ins.
type Session struct {
	// IdleTimeout ends a session not used for this long.
	IdleTimeout Duration `toml:"idle_timeout"`
	// AbsoluteTimeout ends a session this long after sign-in, used or not.
	AbsoluteTimeout Duration `toml:"absolute_timeout"`
}

// LoginRate bounds failed sign-ins; the counters live in the database.
type LoginRate struct {
	// PerAddress is the number of failed sign-ins allowed from one client address per window.
	PerAddress int `toml:"per_address"`
	// PerAccount is the number of failed sign-ins allowed for one email per tenant per window.
	PerAccount int `toml:"per_account"`
	// Window is the length of the counting window and of the lockout.
	Window Duration `toml:"window"`
}

// Passwords bounds the cost of password hashing and hides, by timing, which
// addresses have accounts.
type Passwords struct {
	// ConcurrentHashes is how many argon2id hashes (19 MiB each) may run at
	// once; 0 means one per CPU.
	ConcurrentHashes int `toml:"concurrent_hashes"`
	// HashWait is how long a request waits for a free hashing slot before
	// the server answers 503 with Retry-After.
	HashWait Duration `toml:"hash_wait"`
	// ResetAnswerTime is the least time a password-reset request takes to
	// answer, known address or not, so that its timing does not tell them apart.
	ResetAnswerTime Duration `toml:"reset_answer_time"`
}

// SMTP is the global outgoing mail server, used by tenants without their own.
type SMTP struct {
	Host        string `toml:"host"`
	Port        int    `toml:"port"`
	Username    string `toml:"username"`
	Password    string `toml:"password"`
	TLS         string `toml:"tls"` // starttls, tls or none
	FromName    string `toml:"from_name"`
	FromAddress string `toml:"from_address"`
	// TenantPrivateHosts lets a tenant's own SMTP server (Settings → Email)
	// be on a loopback, private or link-local address. Off by default: on a
	// shared server, a tenant's admin must not make Atrium connect into the
	// operator's network. The global server above is the operator's and is
	// never restricted.
	TenantPrivateHosts bool `toml:"tenant_private_hosts"`
}

// Limits caps request sizes.
type Limits struct {
	// BodyBytes is the largest request body accepted, uploads included.
	BodyBytes int `toml:"body_bytes"`
	// UploadBytes is the largest logo or favicon accepted.
	UploadBytes int `toml:"upload_bytes"`
	// ExportRows is the most rows one CSV export holds; an export that
	// stops there says so.
	ExportRows int `toml:"export_rows"`
}

// Defaults returns the settings used when nothing else says otherwise.
func Defaults() Config {
	return Config{
		Addr:      "127.0.0.1:8080",
		DataDir:   "./data",
		LogLevel:  "info",
		LogFormat: "text",
		Session: Session{
			IdleTimeout:     Duration{12 * time.Hour},
			AbsoluteTimeout: Duration{30 * 24 * time.Hour},
		},
		LoginRate: LoginRate{PerAddress: 20, PerAccount: 10, Window: Duration{15 * time.Minute}},
		Passwords: Passwords{HashWait: Duration{1500 * time.Millisecond}, ResetAnswerTime: Duration{300 * time.Millisecond}},
		SMTP:      SMTP{Port: 587, TLS: "starttls"},
		Limits:    Limits{BodyBytes: 2 << 20, UploadBytes: 512 << 10, ExportRows: 50000},
	}
}

// Load builds the configuration: defaults, then the TOML file at path (if
// path is not empty), then the environment, then override (the flags the user
// set). environ is a list of KEY=VALUE pairs as os.Environ returns them.
func Load(path string, environ []string, override func(*Config)) (Config, error) {
	cfg := Defaults()
	if path != "" {
		md, err := toml.DecodeFile(path, &cfg)
		if err != nil {
			return cfg, fmt.Errorf("config: read %s: %w", path, err)
		}
		if undecoded := md.Undecoded(); len(undecoded) > 0 {
			return cfg, fmt.Errorf("config: %s: unknown key %q", path, undecoded[0].String())
		}
	}
	if err := applyEnv(&cfg, environ); err != nil {
		return cfg, err
	}
	if override != nil {
		override(&cfg)
	}
	return cfg, cfg.Validate()
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("data_dir must not be empty"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr %q: %w", c.Addr, err))
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, fmt.Errorf("trusted_proxies: %q is neither an IP nor a CIDR range", p))
			}
		}
	}
	if c.Session.IdleTimeout.Duration <= 0 || c.Session.AbsoluteTimeout.Duration <= 0 {
		errs = append(errs, errors.New("session timeouts must be positive"))
	}
	if c.LoginRate.PerAddress < 1 || c.LoginRate.PerAccount < 1 || c.LoginRate.Window.Duration <= 0 {
		errs = append(errs, errors.New("login_limit values must be positive"))
	}
	if c.Passwords.ConcurrentHashes < 0 || c.Passwords.HashWait.Duration <= 0 || c.Passwords.ResetAnswerTime.Duration < 0 {
		errs = append(errs, errors.New("passwords: concurrent_hashes must not be negative, hash_wait must be positive"))
	}
	switch c.SMTP.TLS {
	case "starttls", "tls", "none":
	default:
		errs = append(errs, fmt.Errorf("smtp.tls %q: want starttls, tls or none", c.SMTP.TLS))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log_format %q: want text or json", c.LogFormat))
	}
	if c.Limits.BodyBytes < 1024 || c.Limits.UploadBytes < 1024 {
		errs = append(errs, errors.New("limits must be at least 1024 bytes"))
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(strings.ToLower(c.DatabaseURL), "postgres://") && !strings.HasPrefix(strings.ToLower(c.DatabaseURL), "postgresql://") {
		errs = append(errs, errors.New("database_url must be a postgres:// URL (leave it empty for SQLite in data_dir)"))
	}
	if c.DatabaseURL != "" && c.SecretKey == "" {
		// A key generated into one instance's data dir would differ on the
		// next: each would seal secrets the others cannot open.
		errs = append(errs, errors.New("secret_key (ATRIUM_SECRET_KEY) is required with database_url: every instance must seal secrets with the same key; generate one with: head -c 32 /dev/urandom | base64"))
	}
	if c.Limits.ExportRows < 1 {
		errs = append(errs, errors.New("limits.export_rows must be at least 1"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// DatabasePath is the SQLite file inside the data directory.
func (c Config) DatabasePath() string { return filepath.Join(c.DataDir, "atrium.db") }

// EnvPrefix starts every environment variable Atrium reads.
const EnvPrefix = "ATRIUM_"

// applyEnv walks the Config struct and sets each field whose variable is present.
func applyEnv(cfg *Config, environ []string) error {
	env := map[string]string{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(k, EnvPrefix) {
			env[k] = v
		}
	}
	if len(env) == 0 {
		return nil
	}
	return walkEnv(reflect.ValueOf(cfg).Elem(), EnvPrefix, env)
}

func walkEnv(v reflect.Value, prefix string, env map[string]string) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("toml")
		if tag == "" || tag == "-" {
			continue
		}
		name := prefix + strings.ToUpper(tag)
		fv := v.Field(i)
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(Duration{}) {
			if err := walkEnv(fv, name+"_", env); err != nil {
				return err
			}
			continue
		}
		raw, ok := env[name]
		if !ok {
			continue
		}
		if err := setField(fv, raw); err != nil {
			return fmt.Errorf("config: %s=%q: %w", name, raw, err)
		}
	}
	return nil
}

func setField(fv reflect.Value, raw string) error {
	switch fv.Interface().(type) {
	case Duration:
		var d Duration
		if err := d.UnmarshalText([]byte(raw)); err != nil {
			return err
		}
		fv.Set(reflect.ValueOf(d))
		return nil
	case []string:
		var out []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		fv.Set(reflect.ValueOf(out))
		return nil
	}
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(raw)
	case reflect.Int:
		n, err := strconv.Atoi(raw)
		if err != nil {
			return err
		}
		fv.SetInt(int64(n))
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return err
		}
		fv.SetBool(b)
	default:
		return fmt.Errorf("unsupported type %s", fv.Type())
	}
	return nil
}

// EnsureDataDir creates the data directory with private permissions.
func (c Config) EnsureDataDir() error {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("config: create data dir: %w", err)
	}
	return nil
}
