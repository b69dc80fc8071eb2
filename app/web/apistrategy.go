package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/strategy"
	"github.com/atrium-portal/atrium/app/valid"
)

// The strategy API (SPEC §12): the vision, why and direction documents
// (/api/v1/strategy/DOC, with /versions), the headlines
// (/api/v1/headlines) and the roles chart's seats (/api/v1/seats). Every
// value leaves here built from the strategy package's views, already
// decided for the caller; markdown comes as its source (body) and rendered
// and sanitised (body_html).

// personJSON names a user: an author, a person in a seat. A deactivated
// user keeps their name.
type personJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Deactivated bool   `json:"deactivated"`
}

func strategyPersonJSON(p *strategy.Person) *personJSON {
	if p == nil {
		return nil
	}
	return &personJSON{ID: p.ID, Name: p.Name, Deactivated: p.Deactivated}
}

// versionJSON is one version of a document, as the history lists it.
type versionJSON struct {
	ID        int64       `json:"id"`
	Number    int         `json:"number"`
	Author    *personJSON `json:"author"`
	CreatedAt time.Time   `json:"created_at"`
}

func versionOf(v *strategy.VersionRef) *versionJSON {
	if v == nil {
		return nil
	}
	return &versionJSON{ID: v.ID, Number: v.Number, Author: strategyPersonJSON(v.Author), CreatedAt: v.CreatedAt}
}

// sectionJSON is one section of a document.
type sectionJSON struct {
	Key      string `json:"key"`
	Title    string `json:"title"`
	Body     string `json:"body"`
	BodyHTML string `json:"body_html"`
}

// documentJSON is a version of a document: the current one, or an older
// one of its history. version is null for a document nobody wrote yet.
type documentJSON struct {
	Doc      strategy.Doc  `json:"doc"`
	Version  *versionJSON  `json:"version"`
	Current  bool          `json:"current"`
	Sections []sectionJSON `json:"sections"`
}

func documentOf(v *strategy.DocumentView) documentJSON {
	out := documentJSON{Doc: v.Doc, Version: versionOf(v.Version), Current: v.Current, Sections: []sectionJSON{}}
	for _, s := range v.Sections {
		out.Sections = append(out.Sections, sectionJSON{Key: s.Key, Title: s.Title, Body: s.Body, BodyHTML: s.HTML})
	}
	return out
}

// documentInput is the body of PUT /api/v1/strategy/DOC.
type documentInput struct {
	// Sections are the new texts by section key; a section not named
	// keeps its current text, "" empties it.
	Sections map[string]string `json:"sections"`
	// BaseVersion is the version number the text was written from (0 for
	// none yet); when another version was saved since, the answer is 409.
	BaseVersion *int `json:"base_version,omitempty"`
}

// apiDocument is GET /api/v1/strategy/DOC: the current version.
func (s *Server) apiDocument(d strategy.Doc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		st := state(c)
		v, err := strategy.Current(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), s.md, d)
		if err != nil {
			return err
		}
		return c.JSON(documentOf(v))
	}
}

// apiSaveDocument is PUT /api/v1/strategy/DOC: a new version.
func (s *Server) apiSaveDocument(d strategy.Doc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in documentInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		if len(in.Sections) == 0 {
			return valid.Errors{"sections": "Give the text of at least one section."}
		}
		v, err := strategy.Save(c.UserContext(), state(c).db, s.md, s.strategyBy(c), d, strategy.SaveInput{Sections: in.Sections, Base: in.BaseVersion})
		if err != nil {
			return err
		}
		return c.JSON(documentOf(v))
	}
}

// apiDocumentVersions is GET /api/v1/strategy/DOC/versions: the history, newest first.
func (s *Server) apiDocumentVersions(d strategy.Doc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := pageOf(c)
		if err != nil {
			return err
		}
		st := state(c)
		vs, next, err := strategy.Versions(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), d, p)
		if err != nil {
			return err
		}
		items := make([]versionJSON, 0, len(vs))
		for i := range vs {
			items = append(items, *versionOf(&vs[i]))
		}
		return listJSON(c, items, next)
	}
}

// apiDocumentVersion is GET /api/v1/strategy/DOC/versions/ID: 404 for a
// caller without the page.
func (s *Server) apiDocumentVersion(d strategy.Doc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, err := s.loadVersion(c, d)
		if err != nil {
			return err
		}
		return c.JSON(documentOf(v))
	}
}

// headlineJSON is a headline.
type headlineJSON struct {
	ID        int64       `json:"id"`
	Title     string      `json:"title"`
	Body      string      `json:"body"`
	BodyHTML  string      `json:"body_html"`
	Author    *personJSON `json:"author"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

func headlineOf(v *strategy.HeadlineView) headlineJSON {
	return headlineJSON{ID: v.ID, Title: v.Title, Body: v.Body, BodyHTML: v.HTML, Author: strategyPersonJSON(v.Author), CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
}

// headlineInput is the body of POST and PATCH /api/v1/headlines; absent
// fields are left as they are, null empties the body.
type headlineInput struct {
	Title notNull[string] `json:"title"`
	Body  opt[string]     `json:"body"`
}

func (in *headlineInput) input() (strategy.HeadlineInput, error) {
	errs := valid.Errors{}
	out := strategy.HeadlineInput{Title: in.Title.required(errs, "title"), Body: in.Body.orNone()}
	return out, errs.Err()
}

// apiHeadlines is GET /api/v1/headlines: one page, newest first.
func (s *Server) apiHeadlines(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	st := state(c)
	vs, next, err := strategy.Headlines(c.UserContext(), st.db, st.actor, s.md, p)
	if err != nil {
		return err
	}
	items := make([]headlineJSON, 0, len(vs))
	for i := range vs {
		items = append(items, headlineOf(&vs[i]))
	}
	return listJSON(c, items, next)
}

// apiHeadline is GET /api/v1/headlines/ID: 404 for a caller without the page.
func (s *Server) apiHeadline(c *fiber.Ctx) error {
	v, err := s.loadHeadline(c)
	if err != nil {
		return err
	}
	return c.JSON(headlineOf(v))
}

// apiSaveHeadline is POST /api/v1/headlines (201) and PATCH /api/v1/headlines/ID.
func (s *Server) apiSaveHeadline(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	var body headlineInput
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	in, err := body.input()
	if err != nil {
		return err
	}
	ctx, db := c.UserContext(), state(c).db
	var v *strategy.HeadlineView
	if id == 0 {
		v, err = strategy.CreateHeadline(ctx, db, s.md, s.strategyBy(c), in)
	} else {
		v, err = strategy.UpdateHeadline(ctx, db, s.md, s.strategyBy(c), id, in)
	}
	if err != nil {
		return err
	}
	return savedJSON(c, id, headlineOf(v))
}

// apiDeleteHeadline is DELETE /api/v1/headlines/ID: 204.
func (s *Server) apiDeleteHeadline(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := strategy.DeleteHeadline(c.UserContext(), state(c).db, s.strategyBy(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// seatJSON is a seat of the roles chart.
type seatJSON struct {
	ID int64 `json:"id"`
	// ParentID is the seat it reports to, null for a top seat.
	ParentID *int64       `json:"parent_id"`
	Title    string       `json:"title"`
	Roles    []string     `json:"roles"`
	People   []personJSON `json:"people"`
}

func seatOf(v *strategy.SeatView) seatJSON {
	out := seatJSON{ID: v.ID, Title: v.Title, Roles: v.Roles, People: []personJSON{}}
	if out.Roles == nil {
		out.Roles = []string{}
	}
	if v.ParentID != 0 {
		p := v.ParentID
		out.ParentID = &p
	}
	for i := range v.People {
		out.People = append(out.People, *strategyPersonJSON(&v.People[i]))
	}
	return out
}

// seatInput is the body of POST and PATCH /api/v1/seats; absent fields are
// left as they are, a null parent_id makes a top seat.
type seatInput struct {
	Title     notNull[string]   `json:"title"`
	Roles     notNull[[]string] `json:"roles"`
	PersonIDs notNull[[]int64]  `json:"person_ids"`
	ParentID  opt[int64]        `json:"parent_id"`
}

// apiSeats is GET /api/v1/seats: every seat of the chart, top seats first
// and each followed by those below it, in one page.
func (s *Server) apiSeats(c *fiber.Ctx) error {
	st := state(c)
	ch, err := strategy.LoadChart(c.UserContext(), st.db, st.actor)
	if err != nil {
		return err
	}
	items := make([]seatJSON, 0, len(ch.Seats))
	for _, v := range ch.Seats {
		items = append(items, seatOf(v))
	}
	return listJSON(c, items, "")
}

// apiSeat is GET /api/v1/seats/ID: 404 for a caller without the roles chart.
func (s *Server) apiSeat(c *fiber.Ctx) error {
	v, err := loadSeat(c)
	if err != nil {
		return err
	}
	return c.JSON(seatOf(v))
}

// apiSaveSeat is POST /api/v1/seats (201) and PATCH /api/v1/seats/ID.
func (s *Server) apiSaveSeat(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	var body seatInput
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	errs := valid.Errors{}
	in := strategy.SeatInput{Title: body.Title.required(errs, "title"), Roles: body.Roles.required(errs, "roles"),
		PersonIDs: body.PersonIDs.required(errs, "person_ids"), ParentID: body.ParentID.orNone()}
	if err := errs.Err(); err != nil {
		return err
	}
	v, err := strategy.SaveSeat(c.UserContext(), state(c).db, s.strategyBy(c), id, in)
	if err != nil {
		return err
	}
	return savedJSON(c, id, seatOf(v))
}

// apiDeleteSeat is DELETE /api/v1/seats/ID: 204; the seats below move up.
func (s *Server) apiDeleteSeat(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := strategy.DeleteSeat(c.UserContext(), state(c).db, s.strategyBy(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
