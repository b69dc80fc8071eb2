package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// brandVersion changes whenever the tenant's colours do, so /brand.css can be cached for good.
func brandVersion(t *tenant.Tenant) string {
	sum := sha256.Sum256([]byte(t.PrimaryColor + t.AccentColor))
	return hex.EncodeToString(sum[:6])
}

// brandCSS is GET /brand.css: the tenant's colours as CSS custom properties.
// A stylesheet instead of an inline style keeps the CSP strict.
func (s *Server) brandCSS(c *fiber.Ctx) error {
	t := state(c).tenant
	if c.Query("v") == brandVersion(t) {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	return c.SendString(fmt.Sprintf(":root{--brand:%s;--brand-contrast:%s;--accent:%s;--accent-contrast:%s}\n",
		t.PrimaryColor, tenant.TextOn(t.PrimaryColor), t.AccentColor, tenant.TextOn(t.AccentColor)))
}

// brandAsset is GET /brand/logo and /brand/favicon.
func (s *Server) brandAsset(c *fiber.Ctx) error {
	kind := tenant.AssetKind(c.Params("kind"))
	if kind != tenant.Logo && kind != tenant.Favicon {
		return errNotFound
	}
	a, err := tenant.LoadAsset(c.UserContext(), state(c).db, kind)
	if err != nil {
		return err
	}
	if a == nil {
		return errNotFound
	}
	etag := `"` + a.ETag + `"`
	if c.Query("v") == a.ETag {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	c.Set(fiber.HeaderETag, etag)
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	return c.Send(a.Data)
}

func (s *Server) currentBranding(c *fiber.Ctx) ui.BrandingForm {
	t := state(c).tenant
	b := s.brand(c)
	return ui.BrandingForm{
		AppName:      ui.Field{Name: "app_name", Value: t.AppName},
		PrimaryColor: ui.Field{Name: "primary_color", Value: t.PrimaryColor},
		AccentColor:  ui.Field{Name: "accent_color", Value: t.AccentColor},
		Logo:         ui.Field{Name: "logo"}, Favicon: ui.Field{Name: "favicon"},
		SupportEmail: ui.Field{Name: "support_email", Value: t.SupportEmail},
		SupportPhone: ui.Field{Name: "support_phone", Value: t.SupportPhone},
		SupportHours: ui.Field{Name: "support_hours", Value: t.SupportHours},
		LogoURL:      b.LogoURL, FaviconURL: b.FaviconURL,
		MaxUploadKB: s.Config.Limits.UploadBytes / 1024,
		CSRF:        state(c).session.CSRFToken,
		PrimaryRule: ui.ContrastRule{Against: tenant.PrimaryContrast.Against, Min: tenant.FormatRatio(tenant.PrimaryContrast.Min),
			Message: tenant.PrimaryContrast.Message, OK: tenant.PrimaryContrast.OK},
		FormatMessage: tenant.ColorFormatMessage,
	}
}

func (s *Server) brandingFrame(c *fiber.Ctx) ui.Frame {
	f := s.frame(c, "Branding", policy.PageSettings)
	f.Crumbs = []ui.Crumb{{Label: "Settings", Path: "/settings"}}
	return f
}

// brandingPage is GET /settings/branding.
func (s *Server) brandingPage(c *fiber.Ctx) error {
	form := s.currentBranding(c)
	form.Saved = c.Query("saved") == "1"
	return render(c, 200, ui.BrandingPage(s.brandingFrame(c), form))
}

// readUpload returns the bytes of an uploaded file field, or nil when none was chosen.
func readUpload(c *fiber.Ctx, field string, limit int) ([]byte, error) {
	fh, err := c.FormFile(field)
	if errors.Is(err, fiber.ErrUnprocessableEntity) || errors.Is(err, multipart.ErrMessageTooLarge) {
		return nil, err
	}
	if err != nil || fh == nil || fh.Size == 0 {
		return nil, nil //nolint:nilerr // no file chosen
	}
	if fh.Size > int64(limit) {
		return nil, valid.Errors{field: fmt.Sprintf("The image is larger than %d KB.", limit/1024)}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("web: open upload %s: %w", field, err)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, int64(limit)+1))
}

// brandingForm is POST /settings/branding. tenant.UpdateBranding checks
// everything before anything is saved and records the change; on an error
// the form comes back with the user's values and a message next to each
// wrong field.
func (s *Server) brandingForm(c *fiber.Ctx) error {
	st := state(c)
	ctx := c.UserContext()
	appName, primary, accent := c.FormValue("app_name"), c.FormValue("primary_color"), c.FormValue("accent_color")
	form := s.currentBranding(c)
	form.AppName.Value, form.PrimaryColor.Value, form.AccentColor.Value = appName, primary, accent
	supEmail, supPhone, supHours := c.FormValue("support_email"), c.FormValue("support_phone"), c.FormValue("support_hours")
	form.SupportEmail.Value, form.SupportPhone.Value, form.SupportHours.Value = supEmail, supPhone, supHours

	edit := tenant.BrandingEdit{AppName: &appName, PrimaryColor: &primary, AccentColor: &accent,
		SupportEmail: &supEmail, SupportPhone: &supPhone, SupportHours: &supHours,
		Images: map[tenant.AssetKind][]byte{}, MaxImageBytes: s.Config.Limits.UploadBytes}
	errs := valid.Errors{}
	for _, kind := range []tenant.AssetKind{tenant.Logo, tenant.Favicon} {
		data, err := readUpload(c, string(kind), s.Config.Limits.UploadBytes)
		var ve valid.Errors
		switch {
		case errors.As(err, &ve):
			errs.Add(string(kind), ve[string(kind)])
		case err != nil:
			return err
		case data != nil:
			edit.Images[kind] = data
		}
		if c.FormValue("remove_"+string(kind)) == "1" {
			edit.Remove = append(edit.Remove, kind)
		}
	}
	patch := tenant.Patch{AppName: &appName, PrimaryColor: &primary, AccentColor: &accent,
		SupportEmail: &supEmail, SupportPhone: &supPhone, SupportHours: &supHours}
	if len(errs) == 0 {
		if _, err := s.Tenants.UpdateBranding(ctx, st.tenant.ID, s.who(c), edit); err != nil {
			if !errors.As(err, &errs) {
				return err
			}
		}
	} else if err := s.Tenants.Validate(ctx, st.tenant.ID, patch); err != nil {
		var more valid.Errors
		if !errors.As(err, &more) {
			return err
		}
		for k, v := range more {
			errs.Add(k, v)
		}
	}
	if len(errs) > 0 {
		form.AppName.Error, form.PrimaryColor.Error, form.AccentColor.Error = errs["app_name"], errs["primary_color"], errs["accent_color"]
		form.Logo.Error, form.Favicon.Error = errs["logo"], errs["favicon"]
		form.SupportEmail.Error, form.SupportPhone.Error, form.SupportHours.Error = errs["support_email"], errs["support_phone"], errs["support_hours"]
		form.FormError = "Nothing was saved. Fix the fields marked below."
		return view(c, fiber.StatusBadRequest, ui.BrandingFormView(form),
			func() templ.Component { return ui.BrandingPage(s.brandingFrame(c), form) })
	}
	return redirect(c, "/settings/branding?saved=1")
}

// favicon is GET /favicon.ico, which browsers and feed readers ask for by
// name: the tenant's uploaded favicon, else Atrium's default.
func (s *Server) favicon(c *fiber.Ctx) error {
	v := s.brand(c).FaviconURL
	if v == "" {
		v = "/static/img/favicon.svg?v=" + s.staticV
	}
	return c.Redirect(v, fiber.StatusFound)
}
