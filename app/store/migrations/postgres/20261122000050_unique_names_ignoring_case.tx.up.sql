-- Names of teams, companies and company groups, and users' addresses, are
-- unique per tenant ignoring case, by the database itself: a check in Go
-- before the insert holds only while one writer runs. PostgreSQL's lower()
-- folds every letter the database's locale (LC_CTYPE) knows, not only
-- ASCII as SQLite's does, so here "É" and "é" count as the same name too;
-- the LOWER(...) comparisons in app/people fold the same way on PostgreSQL.
--
-- A database that already holds two names differing only in case cannot
-- take the index. Rather than a bare "duplicate key value violates unique
-- constraint", the check below stops the migration with a message that
-- names the tables and says what to do; the query in the message lists the
-- rows. (SQLite names the failed CHECK constraint of a temporary table;
-- PostgreSQL would cut that name at 63 bytes, so it raises the message.)
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM teams GROUP BY tenant_id, lower(name) HAVING COUNT(*) > 1)
       OR EXISTS (SELECT 1 FROM companies GROUP BY tenant_id, lower(name) HAVING COUNT(*) > 1)
       OR EXISTS (SELECT 1 FROM company_groups GROUP BY tenant_id, lower(name) HAVING COUNT(*) > 1)
       OR EXISTS (SELECT 1 FROM users GROUP BY tenant_id, lower(email) HAVING COUNT(*) > 1) THEN
        RAISE EXCEPTION 'teams, companies, company groups or users differ only in case; rename or merge them (SELECT tenant_id, lower(name), COUNT(*) FROM teams GROUP BY 1, 2 HAVING COUNT(*) > 1; likewise companies, company_groups, users by lower(email)) and start again'
            USING ERRCODE = 'check_violation';
    END IF;
END
$$;
--bun:split
CREATE UNIQUE INDEX teams_name_ci ON teams(tenant_id, lower(name));
--bun:split
CREATE UNIQUE INDEX companies_name_ci ON companies(tenant_id, lower(name));
--bun:split
CREATE UNIQUE INDEX company_groups_name_ci ON company_groups(tenant_id, lower(name));
--bun:split
CREATE UNIQUE INDEX users_email_ci ON users(tenant_id, lower(email));
