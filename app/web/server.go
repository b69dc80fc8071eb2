// Package web is Atrium's HTTP edge: the one route table, the middleware
// that resolves the tenant and the session, and thin handlers that call the
// domain packages and render ui components. Fiber types never leave it.
package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/markdown"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// Deps are what the server needs; main wires them.
type Deps struct {
	Config  config.Config
	DB      *store.DB
	Tenants *tenant.Store
	Auth    *auth.Authenticator
	Links   tenant.Links
	// Static holds the files under ui/static.
	Static fs.FS
	Log    *slog.Logger
	// MailWake, when set, is nudged after an email is queued so the outbox
	// worker sends it at once instead of at its next poll.
	MailWake chan struct{}
}

// Server is the HTTP server of one Atrium process.
type Server struct {
	Deps
	app   *fiber.App
	rules map[string]policy.Rule // "METHOD path" → the rule the route declared
	pages map[string]policy.Page // "METHOD path" → the page of the route's section
	// gets are the GET routes in the order Fiber tries them, for the
	// access explainer.
	gets []getRoute
	// openapi is the OpenAPI document of the JSON API, built at start.
	openapi []byte
	// trustedProxies are the parsed trusted_proxies.
	trustedProxies []netip.Prefix
	static         map[string]staticFile
	staticV        string
	// md renders what people write (articles, reports), built once.
	md *markdown.Renderer
	// settings keeps tenants' ticket settings and branding versions
	// between requests (tenant.Cache).
	settings *tenant.Cache
}

// htmxConfig keeps htmx inside a strict CSP: no eval, no inline scripts or
// styles, requests only to our own origin, no copies of pages in localStorage.
// Form errors (400, 401, 403, 404, 409, 413, 422, 429) and 503 (too busy to
// check a password, try again) are swapped in so the message shows next to
// the field; other 5xx are not, and app.js shows a toast.
const htmxConfig = `{"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,` +
	`"selfRequestsOnly":true,"historyCacheSize":0,"refreshOnHistoryMiss":true,` +
	`"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},` +
	`{"code":"40[01349]","swap":true,"error":false},{"code":"41[03]","swap":true,"error":false},` +
	`{"code":"42[29]","swap":true,"error":false},{"code":"503","swap":true,"error":false},` +
	`{"code":"...","swap":false,"error":true}]}`

// New builds the server and its routes.
func New(d Deps) (*Server, error) {
	s := &Server{Deps: d, rules: map[string]policy.Rule{}, pages: map[string]policy.Page{}, trustedProxies: trustedNets(d.Config.TrustedProxies), md: markdown.New(),
		settings: tenant.NewCache()}
	if err := s.loadStatic(); err != nil {
		return nil, err
	}
	s.app = fiber.New(fiber.Config{
		// Values from the request outlive handlers (logs, the database), so
		// Fiber must not reuse their memory.
		Immutable:               true,
		DisableStartupMessage:   true,
		BodyLimit:               d.Config.Limits.BodyBytes,
		ReadTimeout:             20 * time.Second,
		WriteTimeout:            30 * time.Second,
		IdleTimeout:             90 * time.Second,
		ReadBufferSize:          16 << 10,
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.Config.TrustedProxies,
		// c.IP() reads our own header, which clientAddress fills from
		// X-Forwarded-For read right to left; Fiber would take the whole
		// client-controlled header.
		ProxyHeader:  clientIPHeader,
		ErrorHandler: s.handleError,
	})
	s.routes()
	doc, err := s.buildOpenAPI()
	if err != nil {
		return nil, err
	}
	s.openapi = doc
	return s, nil
}

// App is the Fiber app, for tests and Listen.
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on ln until Shutdown.
func (s *Server) Listen(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting connections and waits for in-flight requests.
func (s *Server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

// Rules returns every declared route and its rule, sorted, for tests and docs.
func (s *Server) Rules() map[string]policy.Rule { return s.rules }

// Sections returns the page of every route that belongs to a section.
func (s *Server) Sections() map[string]policy.Page { return s.pages }

// route registers one route with the rule it requires. It and section's
// route are the only ways routes are added: a route cannot exist without a
// rule.
func (s *Server) route(method, path string, rule policy.Rule, h fiber.Handler) {
	s.add("", method, path, rule, h)
}

func (s *Server) add(page policy.Page, method, path string, rule policy.Rule, h fiber.Handler) {
	if !rule.Known() {
		panic("web: route " + method + " " + path + " declares unknown rule " + string(rule))
	}
	if _, ok := policy.Info(page); page != "" && !ok {
		panic("web: route " + method + " " + path + " is in unknown section " + string(page))
	}
	s.rules[method+" "+path] = rule
	if method == fiber.MethodGet {
		s.gets = append(s.gets, getRoute{path: path, segs: strings.Split(strings.TrimPrefix(path, "/"), "/"), rule: rule, page: page, check: objectChecks[path]})
	}
	if page != "" {
		s.pages[method+" "+path] = page
	}
	s.app.Add(method, path, s.authorize(page, rule), h)
}

// section is a group of routes that all obey one page's rule as well as
// their own (Gitea's guards on route groups).
type section struct {
	s    *Server
	page policy.Page
}

func (s *Server) section(p policy.Page) section { return section{s, p} }

// route registers a route of the section with the rule it requires.
func (g section) route(method, path string, rule policy.Rule, h fiber.Handler) {
	g.s.add(g.page, method, path, rule, h)
}

func (s *Server) loadStatic() error {
	s.static = map[string]staticFile{}
	h := sha256.New()
	var names []string
	err := fs.WalkDir(s.Static, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(s.Static, n)
		if err != nil {
			return err
		}
		s.static["/static/"+n] = staticFile{data: b, contentType: contentTypeOf(n)}
		h.Write([]byte(n))
		h.Write(b)
	}
	s.staticV = hex.EncodeToString(h.Sum(nil))[:12]
	return nil
}
