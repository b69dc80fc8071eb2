-- Names of teams, companies and company groups, and users' addresses, are
-- unique per tenant ignoring case, by the database itself: a check in Go
-- before the insert holds only while SQLite has one writer. lower() folds
-- ASCII in SQLite, as the LOWER(...) comparisons in app/people do.
--
-- A database that already holds two names differing only in case cannot
-- take the index. Rather than SQLite's bare "UNIQUE constraint failed", the
-- check below stops the migration with a message that names the table and
-- says what to do; the query in the message lists the rows.
CREATE TEMP TABLE migration_case_duplicates (
    duplicates INTEGER NOT NULL,
    CONSTRAINT "teams, companies, company groups or users differ only in case; rename or merge them (SELECT tenant_id, lower(name), COUNT(*) FROM teams GROUP BY 1, 2 HAVING COUNT(*) > 1; likewise companies, company_groups, users by lower(email)) and start again" CHECK (duplicates = 0)
);
--bun:split
INSERT INTO migration_case_duplicates (duplicates)
SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM teams GROUP BY tenant_id, lower(name) HAVING COUNT(*) > 1))
     + (SELECT COUNT(*) FROM (SELECT 1 FROM companies GROUP BY tenant_id, lower(name) HAVING COUNT(*) > 1))
     + (SELECT COUNT(*) FROM (SELECT 1 FROM company_groups GROUP BY tenant_id, lower(name) HAVING COUNT(*) > 1))
     + (SELECT COUNT(*) FROM (SELECT 1 FROM users GROUP BY tenant_id, lower(email) HAVING COUNT(*) > 1));
--bun:split
DROP TABLE migration_case_duplicates;
--bun:split
CREATE UNIQUE INDEX teams_name_ci ON teams(tenant_id, lower(name));
--bun:split
CREATE UNIQUE INDEX companies_name_ci ON companies(tenant_id, lower(name));
--bun:split
CREATE UNIQUE INDEX company_groups_name_ci ON company_groups(tenant_id, lower(name));
--bun:split
CREATE UNIQUE INDEX users_email_ci ON users(tenant_id, lower(email));
