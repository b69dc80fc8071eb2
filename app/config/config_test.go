package config_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/atrium-portal/atrium/app/config"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "atrium.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPrecedence checks flags > environment > file > defaults, key by key.
func TestPrecedence(t *testing.T) {
	file := writeFile(t, `
addr = "127.0.0.1:7001"
data_dir = "/from/file"
log_level = "warn"
[session]
idle_timeout = "1h"
`)
	env := []string{"ATRIUM_ADDR=127.0.0.1:7002", "ATRIUM_LOG_LEVEL=debug", "ATRIUM_TRUSTED_PROXIES=10.0.0.1, 10.1.0.0/16", "PATH=/bin"}
	flags := func(c *config.Config) { c.Addr = "127.0.0.1:7003" }

	tests := []struct {
		name  string
		file  string
		env   []string
		flags func(*config.Config)
		check func(config.Config) any
		want  any
	}{
		{"default addr", "", nil, nil, func(c config.Config) any { return c.Addr }, "127.0.0.1:8080"},
		{"file beats default", file, nil, nil, func(c config.Config) any { return c.Addr }, "127.0.0.1:7001"},
		{"env beats file", file, env, nil, func(c config.Config) any { return c.Addr }, "127.0.0.1:7002"},
		{"flag beats env", file, env, flags, func(c config.Config) any { return c.Addr }, "127.0.0.1:7003"},
		{"file value kept when env is silent", file, env, flags, func(c config.Config) any { return c.DataDir }, "/from/file"},
		{"env beats file, other key", file, env, flags, func(c config.Config) any { return c.LogLevel }, "debug"},
		{"nested file value", file, nil, nil, func(c config.Config) any { return c.Session.IdleTimeout.Duration }, time.Hour},
		{"nested env value", file, []string{"ATRIUM_SESSION_IDLE_TIMEOUT=2h"}, nil, func(c config.Config) any { return c.Session.IdleTimeout.Duration }, 2 * time.Hour},
		{"default nested", "", nil, nil, func(c config.Config) any { return c.Session.AbsoluteTimeout.Duration }, 720 * time.Hour},
		{"env list", "", env, nil, func(c config.Config) any { return c.TrustedProxies }, []string{"10.0.0.1", "10.1.0.0/16"}},
		{"env int", "", []string{"ATRIUM_LOGIN_LIMIT_PER_ACCOUNT=3"}, nil, func(c config.Config) any { return c.LoginRate.PerAccount }, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Load(tt.file, tt.env, tt.flags)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.check(cfg); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct {
		name, file string
		env        []string
		wantErr    string
	}{
		{"unknown key", "adr = \"x\"\n", nil, "unknown key"},
		{"bad proxy", "", []string{"ATRIUM_TRUSTED_PROXIES=not-an-ip"}, "trusted_proxies"},
		{"bad duration", "", []string{"ATRIUM_SESSION_IDLE_TIMEOUT=soon"}, "ATRIUM_SESSION_IDLE_TIMEOUT"},
		{"bad tls", "[smtp]\ntls = \"maybe\"\n", nil, "smtp.tls"},
		{"bad addr", "addr = \"nowhere\"\n", nil, "addr"},
		{"not postgres", "", []string{"ATRIUM_DATABASE_URL=mysql://x"}, "database_url must be a postgres:// URL"},
		// Instances sharing a database must seal secrets with one key.
		{"postgres without a key", "", []string{"ATRIUM_DATABASE_URL=postgres://db/atrium"}, "secret_key (ATRIUM_SECRET_KEY) is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.file != "" {
				path = writeFile(t, tt.file)
			}
			_, err := config.Load(path, tt.env, nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

// TestExampleDocumentsEveryKey keeps config.example.toml true: it parses,
// sets every key there is, and each value is the default.
func TestExampleDocumentsEveryKey(t *testing.T) {
	var fromExample config.Config
	md, err := toml.DecodeFile("../../config.example.toml", &fromExample)
	if err != nil {
		t.Fatal(err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		t.Errorf("example has unknown keys: %v", u)
	}
	for _, key := range tomlKeys(reflect.TypeOf(config.Config{}), "") {
		if !md.IsDefined(strings.Split(key, ".")...) {
			t.Errorf("config.example.toml does not document %s", key)
		}
	}
	if !reflect.DeepEqual(normalize(fromExample), normalize(config.Defaults())) {
		t.Errorf("example values differ from the defaults:\nexample  %+v\ndefaults %+v", fromExample, config.Defaults())
	}
}

func normalize(c config.Config) config.Config {
	if len(c.TrustedProxies) == 0 {
		c.TrustedProxies = nil
	}
	if len(c.InsecureHosts) == 0 {
		c.InsecureHosts = nil
	}
	return c
}

func tomlKeys(t reflect.Type, prefix string) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("toml")
		if tag == "" {
			continue
		}
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(config.Duration{}) {
			out = append(out, tomlKeys(f.Type, prefix+tag+".")...)
			continue
		}
		out = append(out, prefix+tag)
	}
	return out
}
