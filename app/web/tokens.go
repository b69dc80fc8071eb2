package web

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tokens"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The pages of API tokens: the signed-in user's own personal tokens at
// /account/tokens (the principal's, refused in a preview and to tokens),
// and the tenant's integration tokens at /settings/integrations.
const (
	accountTokensPath = "/account/tokens"
	integrationsPath  = "/settings/integrations"
)

// tokenContext is who makes or revokes a token in this request. Personal
// tokens are the principal's own; integration tokens are made by the actor,
// who is the principal too since no token is made or revoked in a preview.
func (s *Server) tokenContext(c *fiber.Ctx, kind tokens.Kind) tokens.Context {
	st := state(c)
	if kind == tokens.Personal {
		return tokens.Context{DB: st.db, Actor: st.principal, Settings: settingsOf(st.tenant), Who: s.principalWho(c)}
	}
	return tokens.Context{DB: st.db, Actor: st.actor, Settings: settingsOf(st.tenant), Who: s.who(c)}
}

// tokensView builds the panel of kind's page: the form as given, the
// list as stored now.
func (s *Server) tokensView(c *fiber.Ctx, kind tokens.Kind, form ui.TokenForm) (ui.TokensView, error) {
	st := state(c)
	v := ui.TokensView{Form: form, CSRF: st.session.CSRFToken, Action: accountTokensPath}
	var rows []tokens.Listed
	var err error
	if kind == tokens.Integration {
		v.Integration, v.Action, v.Creator = true, integrationsPath, st.user.DisplayName()
		rows, err = tokens.ListIntegrations(c.UserContext(), st.db, st.actor, settingsOf(st.tenant))
	} else {
		rows, err = tokens.ListPersonal(c.UserContext(), st.db, st.principalUser.ID)
	}
	if err != nil {
		return v, err
	}
	now := time.Now()
	for _, r := range rows {
		row := ui.TokenRow{ID: r.ID, Name: r.Name, Creator: r.UserName, Created: r.CreatedAt, LastUsed: r.LastUsedAt, Expires: r.ExpiresAt, Expired: r.Expired(now)}
		if row.Creator == "" {
			row.Creator = r.UserEmail
		}
		for _, sc := range r.Scopes {
			row.Scopes = append(row.Scopes, sc.Label())
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

// emptyTokenForm is the form before anything was typed.
func emptyTokenForm(kind tokens.Kind) ui.TokenForm {
	f := ui.TokenForm{Name: ui.Field{Name: "name"}, Expiry: ui.Field{Name: "expires_in_days"}}
	if kind == tokens.Integration {
		f.Scopes = scopeOptions(nil)
	}
	return f
}

func scopeOptions(chosen []policy.TokenScope) []ui.Option {
	var out []ui.Option
	for _, sc := range policy.TokenScopes {
		out = append(out, ui.Option{Value: string(sc), Label: sc.Label(), Note: string(sc), Selected: slices.Contains(chosen, sc)})
	}
	return out
}

// tokensPage renders kind's page, or its panel for htmx, with status.
func (s *Server) tokensPage(c *fiber.Ctx, kind tokens.Kind, status int, v ui.TokensView) error {
	return view(c, status, ui.TokensPanel(v), func() templ.Component {
		if kind == tokens.Integration {
			f := s.frame(c, "Integrations", policy.PageSettings)
			f.Crumbs = []ui.Crumb{{Label: "Settings", Path: "/settings"}}
			return ui.TokensPage(f, v)
		}
		return ui.TokensPage(s.frame(c, "API tokens", ""), v)
	})
}

// tokensGet is GET /account/tokens or /settings/integrations.
func (s *Server) tokensGet(kind tokens.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, err := s.tokensView(c, kind, emptyTokenForm(kind))
		if err != nil {
			return err
		}
		v.Revoked = c.Query("revoked") == "1"
		return s.tokensPage(c, kind, 200, v)
	}
}

// tokensCreate is POST /account/tokens or /settings/integrations: makes a
// token and shows its secret, this once. The answer is a page, never a
// redirect: the secret must not travel in a URL.
func (s *Server) tokensCreate(kind tokens.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		// SPEC §9: tokens are always refused while previewing, the
		// integration tokens of Settings as well as one's own.
		if state(c).previewing() {
			return errNotWhilePreviewing
		}
		req := tokens.Request{Kind: kind, Name: c.FormValue("name")}
		form := emptyTokenForm(kind)
		form.Name.Value = req.Name
		form.Expiry.Value = c.FormValue("expires_in_days")
		if form.Expiry.Value != "" {
			days, err := strconv.Atoi(form.Expiry.Value)
			if err != nil {
				days = -1
			}
			req.ExpiresInDays = days
		}
		if kind == tokens.Integration {
			for _, v := range formValues(c, "scopes") {
				req.Scopes = append(req.Scopes, policy.TokenScope(v))
			}
			form.Scopes = scopeOptions(req.Scopes)
		}
		secret, t, err := tokens.Create(c.UserContext(), s.tokenContext(c, kind), req)
		var ve valid.Errors
		switch {
		case errors.As(err, &ve):
			form.Name.Error, form.Expiry.Error, form.ScopesError = ve["name"], ve["expires_in_days"], ve["scopes"]
			form.FormError = ve["kind"]
			v, verr := s.tokensView(c, kind, form)
			if verr != nil {
				return verr
			}
			return s.tokensPage(c, kind, 400, v)
		case errors.Is(err, tokens.ErrForbidden):
			return errForbidden
		case err != nil:
			return err
		}
		v, err := s.tokensView(c, kind, emptyTokenForm(kind))
		if err != nil {
			return err
		}
		v.Created = &ui.NewToken{Name: t.Name, Secret: secret}
		return s.tokensPage(c, kind, 201, v)
	}
}

// tokensRevoke is POST /account/tokens/ID/revoke or
// /settings/integrations/ID/revoke.
func (s *Server) tokensRevoke(kind tokens.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if state(c).previewing() {
			return errNotWhilePreviewing
		}
		id, err := paramID(c)
		if err != nil {
			return err
		}
		err = tokens.Revoke(c.UserContext(), s.tokenContext(c, kind), kind, id)
		switch {
		case errors.Is(err, tokens.ErrNotFound):
			return errNotFound
		case errors.Is(err, tokens.ErrForbidden):
			return errForbidden
		case err != nil:
			return err
		}
		if isHTMX(c) {
			v, err := s.tokensView(c, kind, emptyTokenForm(kind))
			if err != nil {
				return err
			}
			v.Revoked = true
			return render(c, 200, ui.TokensPanel(v))
		}
		path := accountTokensPath
		if kind == tokens.Integration {
			path = integrationsPath
		}
		return redirect(c, path+"?revoked=1")
	}
}
