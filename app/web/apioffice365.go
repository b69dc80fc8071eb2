package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/office365"
	"github.com/atrium-portal/atrium/app/valid"
)

// The Office 365 API: a company's licences and users to read, and a PSA's
// sync that upserts them, licences by SKU and users by email. An upsert
// runs the same checks as the CSV import (office365.Apply): one bad item
// refuses the whole request, and the same request twice changes nothing
// and records nothing the second time.

// m365LicenceJSON is a licence as the API shows it.
type m365LicenceJSON struct {
	ID         int64     `json:"id"`
	SKU        string    `json:"sku"`
	Name       string    `json:"name"`
	Total      int       `json:"total"`
	Assigned   int       `json:"assigned"`
	Unassigned int       `json:"unassigned"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// m365UserJSON is a Microsoft 365 user as the API shows them.
type m365UserJSON struct {
	ID             int64         `json:"id"`
	Email          string        `json:"email"`
	DisplayName    string        `json:"display_name"`
	MFA            office365.MFA `json:"mfa"`
	LastSignIn     *time.Time    `json:"last_sign_in"`
	Licences       []string      `json:"licences"`
	PossiblyUnused bool          `json:"possibly_unused"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

// m365LicenceItem is one licence of an upsert.
type m365LicenceItem struct {
	SKU   string `json:"sku"`
	Name  string `json:"name"`
	Total int    `json:"total"`
}

// m365UserItem is one user of an upsert: licences by SKU; mfa and
// last_sign_in (YYYY-MM-DD or RFC 3339) may be left out for unknown and never.
type m365UserItem struct {
	Email       string   `json:"email"`
	DisplayName string   `json:"display_name"`
	MFA         string   `json:"mfa,omitempty"`
	LastSignIn  *string  `json:"last_sign_in,omitempty"`
	Licences    []string `json:"licences,omitempty"`
}

// m365LicencesPut is PUT /api/v1/office365/licences.
type m365LicencesPut struct {
	CompanyID     int64             `json:"company_id"`
	Items         []m365LicenceItem `json:"items"`
	RemoveMissing bool              `json:"remove_missing,omitempty"`
}

// m365UsersPut is PUT /api/v1/office365/users.
type m365UsersPut struct {
	CompanyID     int64          `json:"company_id"`
	Items         []m365UserItem `json:"items"`
	RemoveMissing bool           `json:"remove_missing,omitempty"`
}

// m365Result is what an upsert did.
type m365Result struct {
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
	Removed   int `json:"removed"`
}

// m365CompanyID reads ?company_id=, which every read needs.
func m365CompanyID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Query("company_id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, valid.Errors{"company_id": "Give the ID of a company, e.g. ?company_id=3."}
	}
	return id, nil
}

// apiOffice365Licences is GET /api/v1/office365/licences?company_id=: the
// company's licences in one page.
func (s *Server) apiOffice365Licences(c *fiber.Ctx) error {
	id, err := m365CompanyID(c)
	if err != nil {
		return err
	}
	st := state(c)
	ls, err := office365.Licences(c.UserContext(), st.db, st.actor, id)
	if err != nil {
		return office365Error(err)
	}
	items := make([]m365LicenceJSON, 0, len(ls))
	for _, l := range ls {
		items = append(items, m365LicenceJSON{ID: l.ID, SKU: l.SKU, Name: l.Name, Total: l.Total, Assigned: l.Assigned,
			Unassigned: l.Unassigned(), UpdatedAt: l.UpdatedAt})
	}
	return listJSON(c, items, "")
}

// apiOffice365Users is GET /api/v1/office365/users?company_id=: one page
// of the company's users, with the page's search, filters and sorts.
func (s *Server) apiOffice365Users(c *fiber.Ctx) error {
	id, err := m365CompanyID(c)
	if err != nil {
		return err
	}
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	st := state(c)
	us, next, err := office365.Users(c.UserContext(), st.db, st.actor, office365UserQuery(c, id), p)
	if err != nil {
		return office365Error(err)
	}
	items := make([]m365UserJSON, 0, len(us))
	for _, u := range us {
		j := m365UserJSON{ID: u.ID, Email: u.Email, DisplayName: u.DisplayName, MFA: u.MFA, LastSignIn: u.LastSignIn,
			Licences: []string{}, PossiblyUnused: u.PossiblyUnused, UpdatedAt: u.UpdatedAt}
		for _, l := range u.Licences {
			j.Licences = append(j.Licences, l.SKU)
		}
		items = append(items, j)
	}
	return listJSON(c, items, next)
}

// apiOffice365Put applies an upsert and answers what it did; bad items
// are a 400 naming each item and field ("items.3.email").
func (s *Server) apiOffice365Put(c *fiber.Ctx, in office365.Import, n int) error {
	if in.CompanyID <= 0 {
		return valid.Errors{"company_id": "Give the ID of a company."}
	}
	if n > office365.MaxItems {
		return &httpError{Status: fiber.StatusRequestEntityTooLarge, Code: "too_large",
			Message: "Send at most " + strconv.Itoa(office365.MaxItems) + " items per request; split the list into several requests."}
	}
	st := state(c)
	p, err := office365.Apply(c.UserContext(), st.db, office365.By{Actor: st.actor, Who: s.who(c)}, in)
	if plan, bad := office365.IsRowsError(err); bad {
		errs := valid.Errors{}
		for _, e := range plan.Errors {
			errs.Add("items."+strconv.Itoa(e.Row-1)+"."+e.Column, e.Message)
		}
		return errs
	}
	if err != nil {
		return office365Error(err)
	}
	return c.JSON(m365Result{Added: p.Added, Changed: p.Changed, Unchanged: p.Unchanged, Removed: p.Removed})
}

// apiOffice365PutLicences is PUT /api/v1/office365/licences: upserts the
// company's licences by SKU.
func (s *Server) apiOffice365PutLicences(c *fiber.Ctx) error {
	var body m365LicencesPut
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	in := office365.Import{Kind: office365.KindLicences, CompanyID: body.CompanyID, RemoveMissing: body.RemoveMissing}
	for i, it := range body.Items {
		in.Licences = append(in.Licences, office365.LicenceInput{Row: i + 1, SKU: it.SKU, Name: it.Name, Total: strconv.Itoa(it.Total)})
	}
	return s.apiOffice365Put(c, in, len(body.Items))
}

// apiOffice365PutUsers is PUT /api/v1/office365/users: upserts the
// company's users by email, with the licences they hold.
func (s *Server) apiOffice365PutUsers(c *fiber.Ctx) error {
	var body m365UsersPut
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	in := office365.Import{Kind: office365.KindUsers, CompanyID: body.CompanyID, RemoveMissing: body.RemoveMissing}
	for i, it := range body.Items {
		u := office365.UserInput{Row: i + 1, Email: it.Email, DisplayName: it.DisplayName, MFA: it.MFA, Licences: it.Licences}
		if it.LastSignIn != nil {
			u.LastSignIn = *it.LastSignIn
		}
		in.Users = append(in.Users, u)
	}
	return s.apiOffice365Put(c, in, len(body.Items))
}
