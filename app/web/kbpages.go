package web

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/articles"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The knowledge base pages (/kb, SPEC §5): the list with its categories
// and search, one article, and for those who write it the article form,
// its preview and the categories. Every value shown comes from an
// articles.View, which holds only what its reader may see; the page and
// its title carry the reader's own name for the module ("Knowledge Base").

func articleURL(id int64) string { return "/kb/" + strconv.FormatInt(id, 10) }

// kbFrame is the frame of the knowledge base pages; pages below the list
// lead back to it.
func (s *Server) kbFrame(c *fiber.Ctx, title string) ui.Frame {
	label := policy.Label(state(c).actor, policy.PageExternalContent)
	if title == "" {
		title = label
	}
	f := s.frame(c, title, policy.PageExternalContent)
	if title != label {
		f.Crumbs = []ui.Crumb{{Label: label, Path: "/kb"}}
	}
	return f
}

// articlesBy is who performs a knowledge base change.
func (s *Server) articlesBy(c *fiber.Ctx) articles.By {
	return articles.By{Actor: state(c).actor, Who: s.who(c)}
}

// kbQuery reads a knowledge base list's filters: the category (named
// param: category on the page, category_id in the API), q and sort.
func kbQuery(c *fiber.Ctx, param string) (articles.Query, valid.Errors) {
	q := articles.Query{Q: strings.TrimSpace(c.Query("q")), Sort: c.Query("sort")}
	if v := c.Query(param); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return q, valid.Errors{param: "Choose a category from the list."}
		}
		q.CategoryID = n
	}
	return q, nil
}

// audienceBadge is who an article is shared with, for those who write it.
func audienceBadge(v *articles.View) ui.Badge {
	if !v.Editable {
		return ui.Badge{}
	}
	class := "badge-kb-shared"
	if v.Audience == policy.AudienceInternal {
		class = "badge-internal"
	}
	return ui.Badge{Class: class, Label: v.AudienceText()}
}

func articleRows(vs []articles.View) []ui.ArticleRow {
	rows := make([]ui.ArticleRow, 0, len(vs))
	for i := range vs {
		v := &vs[i]
		r := ui.ArticleRow{Title: v.Title, URL: articleURL(v.ID), Audience: audienceBadge(v), Draft: v.Editable && !v.Published, Updated: v.UpdatedAt}
		if v.Category != nil {
			r.Category = v.Category.Name
		}
		rows = append(rows, r)
	}
	return rows
}

// kbPage is GET /kb: the categories, the search and one page of the
// articles the reader sees; htmx from the controls gets the list, "Load
// more" the next rows.
func (s *Server) kbPage(c *fiber.Ctx) error {
	st := state(c)
	ctx, a := c.UserContext(), st.actor
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	cats, err := articles.Categories(ctx, st.db, a)
	if err != nil {
		return err
	}
	edit := policy.CanEditArticles(a)
	label := policy.Label(a, policy.PageExternalContent)
	sort := c.Query("sort")
	if o, ok := articles.Sorts.Find(sort); ok {
		sort = o.Name
	}
	l := ui.ListView{ID: "kb-list", Path: "/kb", Label: label, Query: listQuery(c), One: "article", Many: "articles",
		Sort: sort, Sorts: sortOptions(articles.Sorts)}
	l.Filters = append(l.Filters, ui.ListFilter{Name: "q", Label: "Search", Type: "search", Value: c.Query("q"),
		Placeholder: "Words in the title or text", MaxLength: articles.MaxSearch})
	if len(cats) > 0 {
		opts := []ui.Option{anyOption("All categories")}
		for _, cat := range cats {
			opts = append(opts, ui.Option{Value: strconv.FormatInt(cat.ID, 10), Label: cat.Name})
		}
		l.Filters = append(l.Filters, ui.ListFilter{Name: "category", Label: "Category", Value: c.Query("category"), Options: opts})
	}
	l.Columns = []ui.Column{{Label: "Title", Asc: "title", Desc: "-title"}, {Label: "Category"}}
	if edit {
		l.Columns = append(l.Columns, ui.Column{Label: "Shared with"})
	}
	l.Columns = append(l.Columns, ui.Column{Label: "Updated", Desc: "-updated"})
	l.Empty = ui.Empty{Title: "No articles yet", Text: "Articles shared with you appear here: guides, how-tos and answers to common questions."}
	if edit {
		l.Empty = ui.Empty{Title: "No articles yet", Text: "Write guides and how-tos for your team and your clients; share each with everyone, some companies, or staff only.",
			ActionLabel: "New article", ActionURL: "/kb/new"}
	}
	status := 200
	q, errs := kbQuery(c, "category")
	var vs []articles.View
	next := ""
	if errs == nil {
		vs, next, err = articles.List(ctx, st.db, a, q, p)
		if err == nil {
			l.Count, err = articles.Count(ctx, st.db, a, q)
		}
		if errs, err = listErrors(err); err != nil {
			return err
		}
	}
	if errs != nil {
		status, vs, next = 400, nil, ""
		applyErrors(&l, errs)
	}
	rows := articleRows(vs)
	l.Rows, l.Next = len(rows), nextURL(c, "/kb", next)
	now := time.Now()
	body := ui.ArticleRows(rows, edit, l.Next, now)
	return listView(c, status, l, p, ui.ListRegion(l, body), body, func() (templ.Component, error) {
		v := ui.KBView{List: l, Rows: rows, ShowAudience: edit, Desc: "Guides, how-tos and answers, by category.", Now: now,
			AllURL: "/kb", AllCurrent: q.CategoryID == 0}
		for _, cat := range cats {
			v.Categories = append(v.Categories, ui.CategoryLink{Name: cat.Name, URL: "/kb?category=" + strconv.FormatInt(cat.ID, 10),
				Count: cat.Articles, Current: cat.ID == q.CategoryID})
		}
		if edit {
			v.NewURL = "/kb/new"
			panel := categoriesPanel(c, cats, nil)
			v.Manage = &panel
		}
		return ui.KBPage(s.kbFrame(c, ""), v), nil
	})
}

// categoriesPanel is the members' category form; errs holds a refused
// change's messages by "new" or the category's ID.
func categoriesPanel(c *fiber.Ctx, cats []articles.CategoryView, errs map[string]string) ui.CategoriesPanel {
	p := ui.CategoriesPanel{CSRF: state(c).session.CSRFToken, CanAdd: len(cats) < articles.MaxCategories,
		New: ui.Field{Name: "name", Prefix: "kb-category-new"}}
	for _, cat := range cats {
		id := strconv.FormatInt(cat.ID, 10)
		p.Items = append(p.Items, ui.CategoryEdit{ID: cat.ID, Articles: cat.Articles,
			Name:   ui.Field{Name: "name", Value: cat.Name, Error: errs[id], Prefix: "kb-category-" + id},
			Action: "/kb/categories/" + id, DeleteURL: "/kb/categories/" + id + "/delete"})
	}
	if msg := errs["new"]; msg != "" {
		p.New.Error, p.New.Value = msg, c.FormValue("name")
	}
	if !p.CanAdd {
		p.Notice = "This knowledge base has the most categories it may hold."
	}
	return p
}

// categoryAnswer answers a category change: the panel for htmx, the page
// otherwise; a refused name is shown next to its field.
func (s *Server) categoryAnswer(c *fiber.Ctx, key string, changeErr error) error {
	var ve valid.Errors
	if changeErr != nil && !errors.As(changeErr, &ve) {
		return changeErr
	}
	if !isHTMX(c) {
		// Without htmx the page shows the categories as they now are; a
		// refused name's message needs the htmx form.
		return redirect(c, "/kb")
	}
	st := state(c)
	cats, err := articles.Categories(c.UserContext(), st.db, st.actor)
	if err != nil {
		return err
	}
	status, errs := 200, map[string]string{}
	if ve != nil {
		status, errs[key] = 400, ve["name"]
	}
	if changeErr == nil {
		c.Set("HX-Trigger", `{"toast":{"message":"Categories saved.","kind":"success"}}`)
	}
	return render(c, status, ui.KBCategories(categoriesPanel(c, cats, errs)))
}

// categorySubmit is POST /kb/categories (a new one) and /kb/categories/ID (rename).
func (s *Server) categorySubmit(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	ctx, db := c.UserContext(), state(c).db
	if id == 0 {
		_, err = articles.CreateCategory(ctx, db, s.articlesBy(c), c.FormValue("name"))
		return s.categoryAnswer(c, "new", err)
	}
	err = articles.RenameCategory(ctx, db, s.articlesBy(c), id, c.FormValue("name"))
	return s.categoryAnswer(c, strconv.FormatInt(id, 10), err)
}

// categoryDelete is POST /kb/categories/ID/delete: its articles stay, uncategorised.
func (s *Server) categoryDelete(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	return s.categoryAnswer(c, strconv.FormatInt(id, 10), articles.DeleteCategory(c.UserContext(), state(c).db, s.articlesBy(c), id))
}

// loadArticle reads the article of the route's ID as the reader sees it:
// 404 outside their scope.
func (s *Server) loadArticle(c *fiber.Ctx) (*articles.View, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	st := state(c)
	return articles.Get(c.UserContext(), st.db, st.actor, s.md, id)
}

// articlePage is GET /kb/ID: 404 for an article the reader may not see.
func (s *Server) articlePage(c *fiber.Ctx) error {
	v, err := s.loadArticle(c)
	if err != nil {
		return err
	}
	st := state(c)
	d := ui.ArticleDetail{Title: v.Title, Updated: v.UpdatedAt, Now: time.Now(), HTML: v.HTML, Audience: audienceBadge(v), Draft: v.Editable && !v.Published}
	if v.Category != nil {
		d.Category, d.CategoryURL = v.Category.Name, "/kb?category="+strconv.FormatInt(v.Category.ID, 10)
	}
	if v.Editable {
		d.EditURL, d.DeleteURL, d.CSRF = articleURL(v.ID)+"/edit", articleURL(v.ID)+"/delete", st.session.CSRFToken
	}
	return render(c, 200, ui.ArticlePage(s.kbFrame(c, v.Title), d))
}

// articleValues are a form's values as submitted, to show them again.
type articleValues struct {
	title, body, category, audience string
	companies                       []int64
	published                       bool
}

func valuesOf(v *articles.View) articleValues {
	out := articleValues{title: v.Title, body: v.Body, audience: string(v.Audience), companies: v.CompanyIDs(), published: v.Published}
	if v.Category != nil {
		out.category = strconv.FormatInt(v.Category.ID, 10)
	}
	return out
}

// readArticleForm reads the article form into the articles package's input.
func readArticleForm(c *fiber.Ctx) (articles.Input, articleValues, valid.Errors) {
	vals := articleValues{title: c.FormValue("title"), body: c.FormValue("body"), category: c.FormValue("category_id"),
		audience: c.FormValue("audience"), published: c.FormValue("published") == "1"}
	errs := valid.Errors{}
	in := articles.Input{Title: &vals.title, Body: &vals.body, Published: &vals.published}
	aud := policy.Audience(vals.audience)
	in.Audience = &aud
	cat := int64(0)
	if vals.category != "" {
		n, err := strconv.ParseInt(vals.category, 10, 64)
		if err != nil || n <= 0 {
			errs.Add("category_id", "Choose a category from the list.")
		}
		cat = n
	}
	in.CategoryID = &cat
	ids, err := formIDs(c, "company_ids")
	if err != nil {
		errs.Add("company_ids", "Choose companies from the list.")
	}
	vals.companies, in.CompanyIDs = ids, &ids
	if len(errs) == 0 {
		errs = nil
	}
	return in, vals, errs
}

// articleForm builds the article form with vals and errs.
func (s *Server) articleForm(c *fiber.Ctx, action, submit, cancel string, vals articleValues, errs valid.Errors) (ui.ArticleForm, error) {
	st := state(c)
	ctx := c.UserContext()
	f := ui.ArticleForm{Action: action, Submit: submit, CancelURL: cancel, CSRF: st.session.CSRFToken,
		Title:     ui.Field{Name: "title", Value: vals.title, Error: errs["title"]},
		Category:  ui.Field{Name: "category_id", Value: vals.category, Error: errs["category_id"]},
		Audience:  ui.Field{Name: "audience", Value: vals.audience, Error: errs["audience"]},
		Body:      ui.Field{Name: "body", Value: vals.body, Error: errs["body"]},
		Published: vals.published, CompaniesError: errs["company_ids"],
		Categories: []ui.Option{{Value: "", Label: "No category"}},
		Audiences: []ui.Option{
			{Value: string(policy.AudienceInternal), Label: policy.AudienceInternal.Label(), Note: "staff only"},
			{Value: string(policy.AudienceAll), Label: policy.AudienceAll.Label(), Note: "every company's portal users"},
			{Value: string(policy.AudienceCompanies), Label: policy.AudienceCompanies.Label(), Note: "the companies ticked below"},
		},
	}
	if len(errs) > 0 {
		f.FormError = "Nothing was saved. Fix the fields marked below."
	}
	cats, err := articles.Categories(ctx, st.db, st.actor)
	if err != nil {
		return f, err
	}
	for _, cat := range cats {
		f.Categories = append(f.Categories, ui.Option{Value: strconv.FormatInt(cat.ID, 10), Label: cat.Name})
	}
	cos, err := people.Companies(ctx, st.db, st.actor)
	if err != nil {
		return f, err
	}
	for _, co := range cos {
		sel := false
		for _, id := range vals.companies {
			sel = sel || id == co.ID
		}
		f.Companies = append(f.Companies, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name, Selected: sel})
	}
	if strings.TrimSpace(vals.body) != "" {
		if f.Preview, err = s.md.HTML(vals.body); err != nil {
			return f, err
		}
	}
	return f, nil
}

// renderArticleForm answers the form: the whole page, or the form alone for htmx.
func (s *Server) renderArticleForm(c *fiber.Ctx, status int, title string, f ui.ArticleForm) error {
	return view(c, status, ui.ArticleFormView(f), func() templ.Component {
		return ui.ArticleFormPage(s.kbFrame(c, title), f)
	})
}

// articleNewPage is GET /kb/new: staff only by default, published.
func (s *Server) articleNewPage(c *fiber.Ctx) error {
	vals := articleValues{audience: string(policy.AudienceInternal), published: true, category: c.Query("category")}
	f, err := s.articleForm(c, "/kb", "Save article", "/kb", vals, nil)
	if err != nil {
		return err
	}
	return s.renderArticleForm(c, 200, "New article", f)
}

// articleRefusal sorts a write's error into messages by field and the
// status answering them; any other error is returned as it is.
func articleRefusal(err error, errs valid.Errors) (int, error) {
	var ve valid.Errors
	if errors.As(err, &ve) {
		for k, m := range ve {
			errs.Add(k, m)
		}
		return 400, nil
	}
	return 0, err
}

// articleCreate is POST /kb: the new article's page, or the form with its messages.
func (s *Server) articleCreate(c *fiber.Ctx) error {
	in, vals, errs := readArticleForm(c)
	status := 400
	if errs == nil {
		v, err := articles.Create(c.UserContext(), state(c).db, s.md, s.articlesBy(c), in)
		if err == nil {
			return redirect(c, articleURL(v.ID))
		}
		errs = valid.Errors{}
		if status, err = articleRefusal(err, errs); err != nil {
			return err
		}
	}
	f, err := s.articleForm(c, "/kb", "Save article", "/kb", vals, errs)
	if err != nil {
		return err
	}
	return s.renderArticleForm(c, status, "New article", f)
}

// articleEditPage is GET /kb/ID/edit.
func (s *Server) articleEditPage(c *fiber.Ctx) error {
	v, err := s.loadArticle(c)
	if err != nil {
		return err
	}
	f, err := s.articleForm(c, articleURL(v.ID), "Save changes", articleURL(v.ID), valuesOf(v), nil)
	if err != nil {
		return err
	}
	return s.renderArticleForm(c, 200, "Edit: "+v.Title, f)
}

// articleUpdate is POST /kb/ID: the article's page again, or the form with its messages.
func (s *Server) articleUpdate(c *fiber.Ctx) error {
	cur, err := s.loadArticle(c)
	if err != nil {
		return err
	}
	st, id := state(c), cur.ID
	in, vals, errs := readArticleForm(c)
	status := 400
	if errs == nil {
		_, err := articles.Update(c.UserContext(), st.db, s.md, s.articlesBy(c), id, in)
		if err == nil {
			return redirect(c, articleURL(id))
		}
		errs = valid.Errors{}
		if status, err = articleRefusal(err, errs); err != nil {
			return err
		}
	}
	f, err := s.articleForm(c, articleURL(id), "Save changes", articleURL(id), vals, errs)
	if err != nil {
		return err
	}
	return s.renderArticleForm(c, status, "Edit: "+cur.Title, f)
}

// articleDelete is POST /kb/ID/delete.
func (s *Server) articleDelete(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := articles.Delete(c.UserContext(), state(c).db, s.articlesBy(c), id); err != nil {
		return err
	}
	return redirect(c, "/kb")
}

// maxPreview bounds the text a preview renders: the longest body.
const maxPreview = articles.MaxBody

// articlePreview is POST /kb/preview (body): the markdown rendered and
// sanitised as the article page would show it.
func (s *Server) articlePreview(c *fiber.Ctx) error {
	body := c.FormValue("body")
	if utf8.RuneCountInString(body) > maxPreview || !valid.Text(body) {
		return render(c, 400, ui.ArticlePreview(""))
	}
	html, err := s.md.HTML(body)
	if err != nil {
		return err
	}
	return render(c, 200, ui.ArticlePreview(html))
}
