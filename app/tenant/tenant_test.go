package tenant_test

import (
	"testing"

	"github.com/atrium-portal/atrium/app/tenant"
)

func TestNormalizeHost(t *testing.T) {
	for in, want := range map[string]string{
		"Acme.LocalHost:8080": "acme.localhost",
		"acme.localhost.":     "acme.localhost",
		" portal.example ":    "portal.example",
		"[::1]:8080":          "[::1]",
		"localhost":           "localhost",
	} {
		if got := tenant.NormalizeHost(in); got != want {
			t.Errorf("NormalizeHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestContrast(t *testing.T) {
	tests := []struct {
		a, b string
		min  float64
		max  float64
	}{
		{"#000000", "#FFFFFF", 20.9, 21.1},
		{"#0F766E", "#FFFFFF", 5.3, 5.6},
		{"#FFFFFF", "#FFFFFF", 1, 1.01},
	}
	for _, tt := range tests {
		if c := tenant.Contrast(tt.a, tt.b); c < tt.min || c > tt.max {
			t.Errorf("Contrast(%s, %s) = %.2f", tt.a, tt.b, c)
		}
	}
	for bg, want := range map[string]string{"#0F766E": "#FFFFFF", "#F59E0B": "#000000", "#1D4ED8": "#FFFFFF", "#FDE68A": "#000000"} {
		if got := tenant.TextOn(bg); got != want {
			t.Errorf("TextOn(%s) = %s, want %s", bg, got, want)
		}
	}
}

func TestLinks(t *testing.T) {
	mk := func(host string) *tenant.Tenant {
		return &tenant.Tenant{Hosts: []tenant.Host{{Hostname: "alias.example"}, {Hostname: host, IsPrimary: true}}}
	}
	l := tenant.Links{Port: "8080", InsecureHosts: []string{"intranet.lan"}}
	for host, want := range map[string]string{
		"portal.acme.example": "https://portal.acme.example",
		"acme.localhost":      "http://acme.localhost:8080",
		"localhost":           "http://localhost:8080",
		"intranet.lan":        "http://intranet.lan:8080",
	} {
		if got := l.Base(mk(host)); got != want {
			t.Errorf("Base(%s) = %s, want %s", host, got, want)
		}
	}
}
