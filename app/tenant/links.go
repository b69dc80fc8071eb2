package tenant

import (
	"net"
	"slices"
	"strings"
)

// Links builds absolute links for emails and the command line. They always
// start from the tenant's primary host, never from a request's Host header,
// so a forged header cannot redirect a reset link.
type Links struct {
	// InsecureHosts are served over plain HTTP, besides localhost and *.localhost.
	InsecureHosts []string
	// Port is added to plain-HTTP links (the port the server listens on); empty adds none.
	Port string
}

// Insecure reports whether host is served over plain HTTP.
func (l Links) Insecure(host string) bool {
	host = NormalizeHost(host)
	return host == "localhost" || strings.HasSuffix(host, ".localhost") || slices.Contains(l.InsecureHosts, host)
}

// Base is the tenant's root URL, such as https://portal.example.com or http://acme.localhost:8080.
func (l Links) Base(t *Tenant) string {
	host := t.PrimaryHost()
	if l.Insecure(host) {
		if l.Port != "" && l.Port != "80" {
			host = net.JoinHostPort(host, l.Port)
		}
		return "http://" + host
	}
	return "https://" + host
}
