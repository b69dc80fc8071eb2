-- The knowledge base (SPEC §5, page external_content at /kb): categories,
-- articles in markdown with their audience, the companies an article is
-- shared with, and the full-text index over titles and bodies.
--
-- Who reads an article is the policy's (policy.ArticlesScope): members all
-- of them; external users the published ones for every company or for one
-- of their companies.

CREATE TABLE article_categories (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX article_categories_name ON article_categories(tenant_id, lower(name));
--bun:split
CREATE TABLE articles (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    -- NULL: uncategorised. Deleting a category clears it here first, in
    -- the same transaction (a composite SET NULL would clear tenant_id too).
    category_id BIGINT,
    title       TEXT NOT NULL,
    -- Markdown, rendered and sanitised when shown (app/markdown).
    body        TEXT NOT NULL DEFAULT '',
    -- internal (members only), all (every company) or companies (those in
    -- article_companies).
    audience    TEXT NOT NULL DEFAULT 'internal' CHECK (audience IN ('internal', 'all', 'companies')),
    -- External users read only published articles; members read drafts too.
    published   BOOLEAN NOT NULL DEFAULT FALSE,
    created_by  BIGINT,
    updated_by  BIGINT,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, category_id) REFERENCES article_categories(tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id),
    FOREIGN KEY (tenant_id, updated_by) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX articles_updated ON articles(tenant_id, updated_at, id);
--bun:split
CREATE INDEX articles_category ON articles(tenant_id, category_id);
--bun:split
CREATE TABLE article_companies (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    article_id BIGINT NOT NULL,
    company_id BIGINT NOT NULL,
    PRIMARY KEY (article_id, company_id),
    FOREIGN KEY (tenant_id, article_id) REFERENCES articles(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id) ON DELETE CASCADE
);
--bun:split
-- An external user's articles: those shared with their companies.
CREATE INDEX article_companies_company ON article_companies(tenant_id, company_id, article_id);
--bun:split
-- SQLite's full-text index over the articles' titles and bodies, reading
-- them from the articles table (external content) and kept in step by the
-- triggers below. A search runs inside the reader's scope, so a word that
-- exists only in an article the reader may not see finds nothing.
CREATE VIRTUAL TABLE article_search USING fts5(
    title,
    body,
    content = 'articles',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
--bun:split
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO article_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
--bun:split
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
--bun:split
CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO article_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
