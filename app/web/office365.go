package web

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/csvout"
	"github.com/atrium-portal/atrium/app/office365"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The Office 365 pages (page office365): a company's licence cards and
// users, the users' CSV export, and for members the CSV import with its
// preview. Every value comes from the office365 package, read through the
// reader's scope; a company outside it is 404.

func office365URL(id int64) string { return "/office365/" + strconv.FormatInt(id, 10) }

// office365Frame is the frame of the Office 365 pages, under the reader's
// own name for the module ("M365").
func (s *Server) office365Frame(c *fiber.Ctx, title string) ui.Frame {
	return s.moduleFrame(c, policy.PageOffice365, title)
}

// office365Error maps the package's errors to answers.
func office365Error(err error) error {
	switch {
	case errors.Is(err, office365.ErrNotFound):
		return errNotFound
	case errors.Is(err, office365.ErrForbidden):
		return errForbidden
	}
	return err
}

func mfaBadge(m office365.MFA) ui.Badge {
	return ui.Badge{Class: "badge-mfa-" + string(m), Label: m.Label()}
}

// office365Company is the company a page shows: the one in the address
// (/office365/ID or ?company=ID), else the first with data, else the
// first. ok is false when the reader has no company at all.
func office365Company(c *fiber.Ctx, cs []office365.Company) (office365.Company, bool, error) {
	raw := c.Params("id")
	if raw == "" {
		raw = c.Query("company")
	}
	if raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return office365.Company{}, false, errNotFound
		}
		for _, co := range cs {
			if co.ID == id {
				return co, true, nil
			}
		}
		return office365.Company{}, false, errNotFound
	}
	for _, co := range cs {
		if co.HasData {
			return co, true, nil
		}
	}
	if len(cs) > 0 {
		return cs[0], true, nil
	}
	return office365.Company{}, false, nil
}

// office365UserQuery reads the users list's search, filters and sort.
func office365UserQuery(c *fiber.Ctx, companyID int64) office365.UserQuery {
	return office365.UserQuery{CompanyID: companyID, Q: strings.TrimSpace(c.Query("q")), Licence: c.Query("licence"),
		MFA: office365.MFA(c.Query("mfa")), Unused: c.Query("unused") == "1" || c.Query("unused") == "true", Sort: c.Query("sort")}
}

// office365List is the users list's view: its filters, columns and sorts.
func office365List(c *fiber.Ctx, co office365.Company, ls []office365.LicenceView) ui.ListView {
	sort := c.Query("sort")
	if o, ok := office365.Sorts.Find(sort); ok {
		sort = o.Name
	}
	path := office365URL(co.ID)
	l := ui.ListView{ID: "m365-users", Path: path, Label: "Users of " + co.Name, Query: listQuery(c),
		One: "user", Many: "users", Sort: sort, Sorts: sortOptions(office365.Sorts)}
	l.Filters = append(l.Filters, ui.ListFilter{Name: "q", Label: "Search", Type: "search", Value: c.Query("q"),
		Placeholder: "Name or email", MaxLength: office365.MaxSearch})
	licences := []ui.Option{anyOption("Any licence")}
	for _, x := range ls {
		licences = append(licences, ui.Option{Value: x.SKU, Label: x.Name})
	}
	licences = append(licences, ui.Option{Value: office365.NoLicence, Label: "No licence"})
	l.Filters = append(l.Filters, ui.ListFilter{Name: "licence", Label: "Licence", Value: c.Query("licence"), Options: licences})
	mfa := []ui.Option{anyOption("Any MFA state")}
	for _, m := range office365.MFAStates {
		mfa = append(mfa, ui.Option{Value: string(m), Label: m.Label()})
	}
	l.Filters = append(l.Filters, ui.ListFilter{Name: "mfa", Label: "MFA", Value: c.Query("mfa"), Options: mfa})
	l.Filters = append(l.Filters, ui.ListFilter{Name: "unused", Label: "Sign-ins", Value: c.Query("unused"),
		Options: []ui.Option{anyOption("Everyone"), {Value: "1", Label: "Possibly unused (30 days)"}}})
	l.Columns = []ui.Column{{Label: "Name", Asc: "name", Desc: "-name"}, {Label: "Email"}, {Label: "Licences"}, {Label: "MFA"},
		{Label: "Last sign-in", Asc: "last_sign_in", Desc: "-last_sign_in"}}
	l.Empty = ui.Empty{Title: "No users yet", Text: "The company's Microsoft 365 users appear here once they are imported."}
	return l
}

func office365Rows(us []office365.UserView) []ui.M365UserRow {
	rows := make([]ui.M365UserRow, 0, len(us))
	for _, u := range us {
		r := ui.M365UserRow{Name: u.DisplayName, Email: u.Email, MFA: mfaBadge(u.MFA), LastSignIn: u.LastSignIn, Unused: u.PossiblyUnused}
		for _, l := range u.Licences {
			r.Licences = append(r.Licences, l.Name)
		}
		rows = append(rows, r)
	}
	return rows
}

// office365Page is GET /office365 and /office365/ID: a company's licence
// cards and one page of its users; htmx from the list's controls gets the
// list, "Load more" the next rows.
func (s *Server) office365Page(c *fiber.Ctx) error {
	st := state(c)
	ctx, a := c.UserContext(), st.actor
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	cs, err := office365.Companies(ctx, st.db, a)
	if err != nil {
		return err
	}
	co, ok, err := office365Company(c, cs)
	if err != nil {
		return err
	}
	canImport := policy.Allows(a, settingsOf(st.tenant), policy.EditOffice365)
	v := ui.Office365View{Desc: "Microsoft 365 licences and users: what is assigned, what is paid for and unused.", Now: time.Now()}
	if c.Query("imported") == "1" {
		v.Notice = "The import is complete."
	}
	if canImport {
		v.ImportURL = "/office365/import"
	}
	if len(cs) > 1 {
		for _, x := range cs {
			v.Companies = append(v.Companies, ui.Option{Value: strconv.FormatInt(x.ID, 10), Label: x.Name, Selected: x.ID == co.ID})
		}
	}
	if !ok {
		return render(c, 200, ui.Office365Page(s.office365Frame(c, ""), v))
	}
	o, err := office365.Summary(ctx, st.db, a, co.ID)
	if err != nil {
		return office365Error(err)
	}
	if canImport {
		v.ImportURL += "?company=" + strconv.FormatInt(co.ID, 10)
	}
	v.Company, v.HasData = o.Company.Name, o.Company.HasData
	v.Total, v.Assigned, v.Unassigned, v.Unused, v.Users = o.Total, o.Assigned, o.Unassigned, o.Unused, o.Users
	for _, l := range o.Licences {
		v.Licences = append(v.Licences, ui.M365Licence{Name: l.Name, SKU: l.SKU, Total: l.Total, Assigned: l.Assigned, Unassigned: l.Unassigned(), Over: l.Over()})
	}
	v.ExportURL = office365URL(co.ID) + "/users.csv"
	if qs := listQuery(c); len(qs) > 0 {
		qs.Del("company")
		qs.Del("imported")
		if e := qs.Encode(); e != "" {
			v.ExportURL += "?" + e
		}
	}
	l := office365List(c, co, o.Licences)
	status := 200
	var us []office365.UserView
	next := ""
	q := office365UserQuery(c, co.ID)
	us, next, err = office365.Users(ctx, st.db, a, q, p)
	if err == nil {
		l.Count, err = office365.CountUsers(ctx, st.db, a, q)
	}
	errs, err := listErrors(err)
	if err != nil {
		return office365Error(err)
	}
	if errs != nil {
		status, us, next = 400, nil, ""
		applyErrors(&l, errs)
	}
	v.Rows = office365Rows(us)
	l.Rows, l.Next = len(v.Rows), nextURL(c, l.Path, next)
	v.List = l
	body := ui.M365UserRows(v.Rows, l.Next, v.Now)
	return listView(c, status, l, p, ui.ListRegion(l, body), body, func() (templ.Component, error) {
		return ui.Office365Page(s.office365Frame(c, ""), v), nil
	})
}

// office365CSV is GET /office365/ID/users.csv: the company's users with
// the list's filters, in the import's columns (so an export imports
// again) and whether each is possibly unused. Every cell is escaped.
func (s *Server) office365CSV(c *fiber.Ctx) error {
	st := state(c)
	ctx := c.UserContext()
	id, err := paramID(c)
	if err != nil {
		return err
	}
	q := office365UserQuery(c, id)
	// The company and the filters are checked before the first byte.
	if _, err := office365.CountUsers(ctx, st.db, st.actor, q); err != nil {
		return office365Error(err)
	}
	first, next, err := office365.Users(ctx, st.db, st.actor, q, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return office365Error(err)
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="office365-users-`+strconv.FormatInt(id, 10)+"-"+time.Now().UTC().Format("2006-01-02")+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	w := csvout.NewWriter(c.Response().BodyWriter())
	_ = w.Write(append(office365.KindUsers.Columns(), "possibly_unused"))
	maxRows := s.Config.Limits.ExportRows
	for written, us := 0, first; ; {
		for _, u := range us {
			if written >= maxRows {
				break
			}
			skus := make([]string, 0, len(u.Licences))
			for _, l := range u.Licences {
				skus = append(skus, l.SKU)
			}
			last := ""
			if u.LastSignIn != nil {
				last = u.LastSignIn.UTC().Format(time.RFC3339)
			}
			_ = w.Write([]string{u.DisplayName, u.Email, strings.Join(skus, ";"), string(u.MFA), last, strconv.FormatBool(u.PossiblyUnused)})
			written++
		}
		if next == "" || written >= maxRows {
			break
		}
		us, next, err = office365.Users(ctx, st.db, st.actor, q, store.Page{Limit: store.MaxLimit, Cursor: next})
		if err != nil {
			break // the header is sent; the file ends here
		}
	}
	w.Flush()
	return w.Error()
}

// --- the import -------------------------------------------------------------

func (s *Server) office365ImportForm(c *fiber.Ctx) (ui.M365ImportForm, error) {
	st := state(c)
	cs, err := office365.Companies(c.UserContext(), st.db, st.actor)
	if err != nil {
		return ui.M365ImportForm{}, err
	}
	form := ui.M365ImportForm{CSRF: st.session.CSRFToken, Company: ui.Field{Name: "company", Value: c.Query("company")},
		Kind: ui.Field{Name: "kind", Value: string(office365.KindLicences)}, File: ui.Field{Name: "file"}}
	// No company is chosen for the user: a file imported into the wrong
	// one would change that company's data.
	form.Companies = append(form.Companies, ui.Option{Value: "", Label: "Choose a company"})
	for _, co := range cs {
		form.Companies = append(form.Companies, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name})
	}
	return form, nil
}

func (s *Server) office365ImportView(c *fiber.Ctx, status int, form ui.M365ImportForm) error {
	return render(c, status, ui.Office365ImportPage(s.office365Frame(c, "Import CSV"), form))
}

// office365ImportPage is GET /office365/import.
func (s *Server) office365ImportPage(c *fiber.Ctx) error {
	form, err := s.office365ImportForm(c)
	if err != nil {
		return err
	}
	return s.office365ImportView(c, 200, form)
}

// digestOf is the preview's fingerprint of a file, which its confirm
// carries back: the file imported is the file previewed.
func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// readCSVUpload is the uploaded file (step preview) or the previewed
// content posted back in base64 (step confirm: a form would rewrite the
// line breaks of text), bounded by office365.MaxFileBytes.
func readCSVUpload(c *fiber.Ctx, confirm bool) ([]byte, error) {
	if confirm {
		content, err := base64.StdEncoding.DecodeString(c.FormValue("content"))
		if err != nil || len(content) > office365.MaxFileBytes || c.FormValue("digest") != digestOf(content) {
			return nil, valid.Errors{"file": "The file changed since its preview. Choose it and preview it again."}
		}
		return content, nil
	}
	fh, err := c.FormFile("file")
	if errors.Is(err, multipart.ErrMessageTooLarge) {
		return nil, err
	}
	if err != nil || fh == nil || fh.Size == 0 {
		return nil, valid.Errors{"file": "Choose a CSV file to import."}
	}
	if fh.Size > office365.MaxFileBytes {
		return nil, &office365.FileError{TooLarge: true, Message: "The file is larger than 1 MB. Split it into smaller files and import each."}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("web: open upload: %w", err)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, office365.MaxFileBytes+1))
}

// office365ImportSubmit is POST /office365/import: step "preview" reads
// the uploaded file and shows what it would do, row by row, with the
// errors next to their rows; step "confirm" imports the previewed file
// (posted back with its digest) in one transaction, or nothing.
func (s *Server) office365ImportSubmit(c *fiber.Ctx) error {
	st := state(c)
	ctx := c.UserContext()
	form, err := s.office365ImportForm(c)
	if err != nil {
		return err
	}
	confirm := c.FormValue("step") == "confirm"
	form.Company.Value, form.Kind.Value = c.FormValue("company"), c.FormValue("kind")
	form.RemoveMissing = c.FormValue("remove_missing") == "1"
	kind := office365.Kind(form.Kind.Value)
	companyID, _ := strconv.ParseInt(form.Company.Value, 10, 64)
	if !kind.Valid() || companyID <= 0 {
		if companyID <= 0 {
			form.Company.Error = "Choose a company from the list."
		}
		form.FormError = "Nothing was imported. Fix the fields marked below."
		return s.office365ImportView(c, 400, form)
	}
	data, err := readCSVUpload(c, confirm)
	in := office365.Import{Kind: kind, CompanyID: companyID, RemoveMissing: form.RemoveMissing, FromFile: true}
	if err == nil {
		if kind == office365.KindUsers {
			in.Users, err = office365.ParseUsers(data)
		} else {
			in.Licences, err = office365.ParseLicences(data)
		}
	}
	var fe *office365.FileError
	var ve valid.Errors
	switch {
	case errors.As(err, &fe):
		form.File.Error = fe.Message
		status := 400
		if fe.TooLarge {
			status = fiber.StatusRequestEntityTooLarge
		}
		return s.office365ImportView(c, status, form)
	case errors.As(err, &ve):
		form.File.Error = ve["file"]
		return s.office365ImportView(c, 400, form)
	case err != nil:
		return err
	}
	var plan *office365.Plan
	if confirm {
		plan, err = office365.Apply(ctx, st.db, office365.By{Actor: st.actor, Who: s.who(c)}, in)
		if _, bad := office365.IsRowsError(err); bad {
			err = nil
		}
	} else {
		plan, err = office365.Preview(ctx, st.db, st.actor, in)
	}
	if errors.Is(err, office365.ErrNotFound) {
		form.Company.Error = "Choose a company from the list."
		return s.office365ImportView(c, 400, form)
	}
	if err != nil {
		return office365Error(err)
	}
	if confirm && plan.OK() {
		form.Done = &ui.M365Done{Company: plan.Company.Name, URL: office365URL(plan.Company.ID),
			Message: fmt.Sprintf("Imported the %s of %s: %d added, %d changed, %d removed.", kind, plan.Company.Name, plan.Added, plan.Changed, plan.Removed)}
		return s.office365ImportView(c, 200, form)
	}
	// A preview that finds bad rows did what was asked: it answers 200
	// with the rows; a confirm that finds them (the data changed since
	// the preview) refuses with 400.
	form.Preview = office365Preview(plan, data)
	status := 200
	if confirm && !plan.OK() {
		status = 400
	}
	return s.office365ImportView(c, status, form)
}

// office365Preview is a plan as the preview shows it: the rows that do
// something or are wrong (unchanged ones are only counted).
func office365Preview(p *office365.Plan, data []byte) *ui.M365Preview {
	v := &ui.M365Preview{Company: p.Company.Name, KindLabel: string(p.Kind), Errors: len(p.Errors),
		Added: p.Added, Changed: p.Changed, Unchanged: p.Unchanged, Removed: p.Removed,
		Content: base64.StdEncoding.EncodeToString(data), Digest: digestOf(data), CompanyID: strconv.FormatInt(p.Company.ID, 10), Kind: string(p.Kind), Remove: p.RemoveMissing,
		NameColumn: "Email"}
	if p.Kind == office365.KindLicences {
		v.NameColumn = "SKU"
	}
	for _, ch := range p.Changes {
		if ch.Action == office365.Same && len(ch.Errors) == 0 {
			continue
		}
		r := ui.M365PreviewRow{Row: ch.Row, Key: ch.Key, Name: ch.Name, Action: string(ch.Action), Changes: strings.Join(ch.Details, "; ")}
		for _, e := range ch.Errors {
			r.Errors = append(r.Errors, e.Column+": "+e.Message)
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}
