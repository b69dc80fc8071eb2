package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/articles"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/valid"
)

// The knowledge base API (SPEC §12, resource articles). Every article
// leaves here built by articleJSON from an articles.View, already built
// for the caller: the markdown source, audience, companies and published
// flag are there for those who may write the knowledge base and absent
// for everyone else; body_html, rendered and sanitised, is for everyone
// who may read the article.

// articleBody is an article as the API shows it. Lists leave out the
// bodies (body_html and body); GET one article for them.
type articleBody struct {
	ID         int64                  `json:"id"`
	Title      string                 `json:"title"`
	Category   *nameRef               `json:"category"`
	BodyHTML   shown[string]          `json:"body_html,omitzero"`
	Body       shown[string]          `json:"body,omitzero"`
	Audience   shown[policy.Audience] `json:"audience,omitzero"`
	CompanyIDs shown[[]int64]         `json:"company_ids,omitzero"`
	Published  shown[bool]            `json:"published,omitzero"`
	CreatedAt  time.Time              `json:"created_at"`
	UpdatedAt  time.Time              `json:"updated_at"`
}

// articleJSON is article v as its reader sees it; full adds the bodies.
func articleJSON(v *articles.View, full bool) articleBody {
	b := articleBody{ID: v.ID, Title: v.Title, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	if v.Category != nil {
		b.Category = &nameRef{ID: v.Category.ID, Name: v.Category.Name}
	}
	if full {
		b.BodyHTML = shown[string]{true, v.HTML}
	}
	if v.Editable {
		if full {
			b.Body = shown[string]{true, v.Body}
		}
		b.Audience = shown[policy.Audience]{true, v.Audience}
		b.CompanyIDs = shown[[]int64]{true, v.CompanyIDs()}
		b.Published = shown[bool]{true, v.Published}
	}
	return b
}

// apiArticles is GET /api/v1/articles: one page of the articles the caller
// may see, with category_id, q, sort, limit and cursor.
func (s *Server) apiArticles(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	q, errs := kbQuery(c, "category_id")
	if errs != nil {
		return errs
	}
	st := state(c)
	vs, next, err := articles.List(c.UserContext(), st.db, st.actor, q, p)
	if err != nil {
		return err
	}
	items := make([]articleBody, 0, len(vs))
	for i := range vs {
		items = append(items, articleJSON(&vs[i], false))
	}
	return listJSON(c, items, next)
}

// apiArticle is GET /api/v1/articles/ID: 404 for an article the caller may not see.
func (s *Server) apiArticle(c *fiber.Ctx) error {
	v, err := s.loadArticle(c)
	if err != nil {
		return err
	}
	return c.JSON(articleJSON(v, true))
}

// articleInput is the body of POST and PATCH /api/v1/articles. Absent
// fields are left as they are (on create: no category, internal, not
// published); null clears category_id and body.
type articleInput struct {
	Title      notNull[string]          `json:"title"`
	Body       opt[string]              `json:"body"`
	CategoryID opt[int64]               `json:"category_id"`
	Audience   notNull[policy.Audience] `json:"audience"`
	CompanyIDs notNull[[]int64]         `json:"company_ids"`
	Published  notNull[bool]            `json:"published"`
}

func (in *articleInput) input() (articles.Input, error) {
	errs := valid.Errors{}
	out := articles.Input{
		Title: in.Title.required(errs, "title"), Body: in.Body.orNone(),
		Audience: in.Audience.required(errs, "audience"), CompanyIDs: in.CompanyIDs.required(errs, "company_ids"),
		Published: in.Published.required(errs, "published"),
	}
	if o := in.CategoryID; o.Set && !o.Null && o.V <= 0 {
		errs.Add("category_id", msgID)
	}
	out.CategoryID = in.CategoryID.orNone()
	return out, errs.Err()
}

// apiCreateArticle is POST /api/v1/articles: 201 with the new article.
func (s *Server) apiCreateArticle(c *fiber.Ctx) error {
	var in articleInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := in.input()
	if err != nil {
		return err
	}
	if a.Title == nil {
		return valid.Errors{"title": "Give the article a title."}
	}
	v, err := articles.Create(c.UserContext(), state(c).db, s.md, s.articlesBy(c), a)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(articleJSON(v, true))
}

// apiPatchArticle is PATCH /api/v1/articles/ID: changes the fields the body names.
func (s *Server) apiPatchArticle(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var in articleInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := in.input()
	if err != nil {
		return err
	}
	v, err := articles.Update(c.UserContext(), state(c).db, s.md, s.articlesBy(c), id, a)
	if err != nil {
		return err
	}
	return c.JSON(articleJSON(v, true))
}

// apiDeleteArticle is DELETE /api/v1/articles/ID: 204.
func (s *Server) apiDeleteArticle(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := articles.Delete(c.UserContext(), state(c).db, s.articlesBy(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// articleCategoryJSON is a category with the number of its articles the caller sees.
type articleCategoryJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Articles int    `json:"articles"`
}

// apiArticleCategories is GET /api/v1/article_categories: every category
// the caller may see, in one page (a knowledge base has at most a hundred).
func (s *Server) apiArticleCategories(c *fiber.Ctx) error {
	st := state(c)
	cats, err := articles.Categories(c.UserContext(), st.db, st.actor)
	if err != nil {
		return err
	}
	items := make([]articleCategoryJSON, 0, len(cats))
	for _, cat := range cats {
		items = append(items, articleCategoryJSON{ID: cat.ID, Name: cat.Name, Articles: cat.Articles})
	}
	return listJSON(c, items, "")
}
