// Package ui holds Atrium's views as templ components. The generated
// *_templ.go files are committed so `go build` needs no generator; a test
// fails when they are stale. Components take the typed values below, never
// loose maps.
package ui

// Brand is what the tenant's pages look like.
type Brand struct {
	AppName    string
	LogoURL    string // empty: the app name's initial on the brand colour
	FaviconURL string
	CSSURL     string // the tenant's /brand.css with a version
}

// Initial is the first letter of the app name, for the logo placeholder.
func (b Brand) Initial() string {
	for _, r := range b.AppName {
		return string(r)
	}
	return "A"
}

// NavLink is one entry of the sidebar.
type NavLink struct {
	Key     string
	Label   string
	Path    string
	Current bool
}

// NavGroup is a titled section of the sidebar; empty groups are not drawn.
type NavGroup struct {
	Title string
	Links []NavLink
}

// collapseAbove is the number of links above which a sidebar group folds
// away unless it holds the current page, so that the admin links stay on
// screen at 1280×800 for the users with the longest navigation.
const collapseAbove = 8

// Collapsible says whether the group folds (a details element, closed
// unless it holds the current page).
func (g NavGroup) Collapsible() bool { return len(g.Links) > collapseAbove }

// HasCurrent says whether the current page is one of the group's links.
func (g NavGroup) HasCurrent() bool {
	for _, l := range g.Links {
		if l.Current {
			return true
		}
	}
	return false
}

// Crumb is one step of the breadcrumbs.
type Crumb struct {
	Label string
	Path  string
}

// Person is a user as avatars and menus show them.
type Person struct {
	Name        string
	Email       string
	KindLabel   string
	Client      bool // client users' avatars carry a yellow ring everywhere
	Deactivated bool
}

// Initials are up to two letters for the avatar.
func (p Person) Initials() string {
	var out []rune
	prevSpace := true
	for _, r := range p.Name {
		if r == ' ' {
			prevSpace = true
			continue
		}
		if prevSpace && len(out) < 2 {
			out = append(out, r)
		}
		prevSpace = false
	}
	if len(out) == 0 {
		for _, r := range p.Email {
			return string(r)
		}
		return "?"
	}
	return string(out)
}

// AvatarClass picks one of eight colours from the name, the same every time.
func (p Person) AvatarClass() string {
	h := 0
	for _, r := range p.Name + p.Email {
		h = (h*31 + int(r)) % 8
	}
	c := "avatar avatar-c" + string(rune('0'+h))
	if p.Client {
		c += " avatar-client"
	}
	if p.Deactivated {
		c += " avatar-deactivated"
	}
	return c
}

// Frame is everything the app layout needs around a page.
type Frame struct {
	Title      string
	Brand      Brand
	Nav        []NavGroup
	Crumbs     []Crumb
	User       Person
	CSRF       string
	StaticV    string // cache-busting version of the static files
	HTMXConfig string
	NoHistory  bool // pages with sensitive data stay out of htmx's history cache
	// Switcher is the company switcher of an external user with several
	// companies; nil for everyone else.
	Switcher *CompanySwitcher
	// Preview is the banner of a preview as another user; nil when the
	// signed-in user acts as themselves.
	Preview *PreviewBanner
}

// PreviewBanner names the user a preview shows the portal of (SPEC §9).
type PreviewBanner struct {
	Name string
	Kind string // the kind's label
}

// CompanySwitcher chooses the company an external user works in: one of
// theirs, or all of them (Current 0).
type CompanySwitcher struct {
	Companies []Option // Value is the company's ID
	Current   int64
	Next      string // the page to come back to
}

// Field is one form field's value and error.
type Field struct {
	Name  string
	Value string
	Error string
	// Prefix names the form the field belongs to, so that two forms on one
	// page never share an element ID: the field's input is PREFIX-NAME and
	// its error PREFIX-NAME-error. Without one they are f-NAME and e-NAME.
	Prefix string
}

// In is the field placed in the form named prefix (see Prefix).
func (f Field) In(prefix string) Field {
	f.Prefix = prefix
	return f
}

// ID is the element ID of the field's input.
func (f Field) ID() string {
	if f.Prefix != "" {
		return f.Prefix + "-" + f.Name
	}
	return "f-" + f.Name
}

// ErrorID is the element ID of the field's error message.
func (f Field) ErrorID() string {
	if f.Prefix != "" {
		return f.Prefix + "-" + f.Name + "-error"
	}
	return "e-" + f.Name
}
