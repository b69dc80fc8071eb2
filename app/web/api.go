package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tenant"
)

type pageJSON struct {
	Key   policy.Page `json:"key"`
	Label string      `json:"label"`
	Path  string      `json:"path"`
}

type meResponse struct {
	User    userJSON     `json:"user"`
	Pages   []pageJSON   `json:"pages"`
	Preview *previewJSON `json:"preview"`
}

// apiMe is GET /api/v1/me: who I am and my navigation.
func (s *Server) apiMe(c *fiber.Ctx) error {
	st := state(c)
	pages := []pageJSON{}
	for _, item := range policy.Navigation(st.actor, settingsOf(st.tenant)) {
		pages = append(pages, pageJSON{Key: item.Key, Label: item.Label, Path: item.Path})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(meResponse{User: toUserJSON(st.user), Pages: pages, Preview: previewOf(st)})
}

// apiPage is GET /api/v1/pages/KEY: 200 when the page is in my navigation, else 403.
func (s *Server) apiPage(c *fiber.Ctx) error {
	st := state(c)
	key := policy.Page(c.Params("key"))
	info, ok := policy.Info(key)
	if !ok {
		return errNotFound
	}
	if !policy.CanSeePage(st.actor, settingsOf(st.tenant), key) {
		return errForbidden
	}
	return c.JSON(pageJSON{Key: key, Label: policy.Label(st.actor, key), Path: info.Path})
}

type brandingJSON struct {
	AppName      string `json:"app_name"`
	PrimaryColor string `json:"primary_color"`
	AccentColor  string `json:"accent_color"`
	LogoURL      string `json:"logo_url,omitempty"`
	FaviconURL   string `json:"favicon_url,omitempty"`
}

// supportJSON is the MSP's contact card shown on external users' home.
type supportJSON struct {
	Email string `json:"email"`
	Phone string `json:"phone"`
	Hours string `json:"hours"`
}

type settingsJSON struct {
	WhyEnabled       bool         `json:"why_enabled"`
	DirectionEnabled bool         `json:"direction_enabled"`
	Branding         brandingJSON `json:"branding"`
	Support          supportJSON  `json:"support"`
}

func (s *Server) settingsJSON(c *fiber.Ctx, t *tenant.Tenant) settingsJSON {
	b := s.brand(c)
	return settingsJSON{
		WhyEnabled: t.WhyEnabled, DirectionEnabled: t.DirectionEnabled,
		Branding: brandingJSON{AppName: t.AppName, PrimaryColor: t.PrimaryColor, AccentColor: t.AccentColor, LogoURL: b.LogoURL, FaviconURL: b.FaviconURL},
		Support:  supportJSON{Email: t.SupportEmail, Phone: t.SupportPhone, Hours: t.SupportHours},
	}
}

// apiSettings is GET /api/v1/settings.
func (s *Server) apiSettings(c *fiber.Ctx) error {
	return c.JSON(s.settingsJSON(c, state(c).tenant))
}

type settingsPatch struct {
	WhyEnabled       *bool `json:"why_enabled"`
	DirectionEnabled *bool `json:"direction_enabled"`
	Branding         *struct {
		AppName      *string `json:"app_name"`
		PrimaryColor *string `json:"primary_color"`
		AccentColor  *string `json:"accent_color"`
	} `json:"branding"`
	Support *struct {
		Email *string `json:"email"`
		Phone *string `json:"phone"`
		Hours *string `json:"hours"`
	} `json:"support"`
}

// apiPatchSettings is PATCH /api/v1/settings. Each field changes only for
// the capability that owns it; one field the caller may not change refuses
// the whole request, so nothing is half-applied.
func (s *Server) apiPatchSettings(c *fiber.Ctx) error {
	st := state(c)
	var req settingsPatch
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var edit tenant.Edit
	var fields []policy.SettingsField
	if req.WhyEnabled != nil {
		fields = append(fields, policy.SettingWhyEnabled)
	}
	if req.DirectionEnabled != nil {
		fields = append(fields, policy.SettingDirectionEnabled)
	}
	if req.WhyEnabled != nil || req.DirectionEnabled != nil {
		edit.Toggles = &tenant.Toggles{WhyEnabled: req.WhyEnabled, DirectionEnabled: req.DirectionEnabled}
	}
	if b := req.Branding; b != nil {
		fields = append(fields, policy.SettingBranding)
		edit.Branding = &tenant.BrandingEdit{AppName: b.AppName, PrimaryColor: b.PrimaryColor, AccentColor: b.AccentColor}
	}
	if sp := req.Support; sp != nil {
		fields = append(fields, policy.SettingSupport)
		if edit.Branding == nil {
			edit.Branding = &tenant.BrandingEdit{}
		}
		edit.Branding.SupportEmail, edit.Branding.SupportPhone, edit.Branding.SupportHours = sp.Email, sp.Phone, sp.Hours
	}
	if err := policy.CheckSettingsFields(st.actor, settingsOf(st.tenant), fields...); err != nil {
		return errForbidden
	}
	t, err := s.Tenants.Apply(c.UserContext(), st.tenant.ID, s.who(c), edit)
	if err != nil {
		return err
	}
	return c.JSON(s.settingsJSON(c, t))
}
