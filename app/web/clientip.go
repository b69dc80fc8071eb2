package web

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// clientIPHeader is the request header Fiber's c.IP() reads behind a trusted
// proxy. It is ours: clientAddress overwrites whatever a client sent in it
// with the address it derives from X-Forwarded-For.
const clientIPHeader = "X-Atrium-Client-Ip"

// trustedNets parses the configured trusted proxies (IPs or CIDR ranges,
// checked by config validation).
func trustedNets(list []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.trustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddress decides the client's address once per request, so that
// the login limiter, sessions and the audit log never hold a value the
// client chose. Behind a trusted proxy, X-Forwarded-For is read from the
// right: each trusted proxy appends the address it received from, so the
// first untrusted entry from the right is the client; a left-most entry can
// be anything the client sent. Anything that is not an IP address is not
// taken. Without a trusted proxy, the peer address is the client.
func (s *Server) clientAddress(c *fiber.Ctx) error {
	h := &c.Request().Header
	h.Del(clientIPHeader)
	if c.IsProxyTrusted() && len(s.trustedProxies) > 0 {
		addr := c.Context().RemoteIP().String()
		hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a forged or broken entry: stop at the last good hop
			}
			addr = a.Unmap().String()
			if !s.trusted(a) {
				break
			}
		}
		h.Set(clientIPHeader, addr)
	}
	return c.Next()
}
