-- The work of teams (SPEC §6, page teams): rocks with their milestones,
-- scorecard metrics with their weekly values, issues, to-dos and messages.
--
-- A rock lives in its home team (team_id), or is the company's own when
-- team_id is NULL (a company rock); a metric always lives in a team.
-- rock_shares and metric_shares show one in other teams as well: one
-- object, values entered once. Deleting a team deletes the work that
-- lives in it and its shares. Who sees and changes what is the policy's
-- (policy.TeamWork, policy.CanEditTeamWork).

CREATE TABLE rocks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    team_id     BIGINT,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_id    BIGINT,
    -- YYYY-MM-DD.
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'on_track' CHECK (status IN ('on_track', 'off_track', 'done')),
    -- Set when the quarter's rocks are archived; archived rocks leave the
    -- lists but stay readable.
    archived_at TIMESTAMP,
    created_by  BIGINT,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX rocks_team ON rocks(tenant_id, team_id, due_on, id);
--bun:split
CREATE TABLE rock_shares (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    rock_id   BIGINT NOT NULL,
    team_id   BIGINT NOT NULL,
    PRIMARY KEY (rock_id, team_id),
    FOREIGN KEY (tenant_id, rock_id) REFERENCES rocks(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX rock_shares_team ON rock_shares(tenant_id, team_id, rock_id);
--bun:split
CREATE TABLE rock_milestones (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    rock_id    BIGINT NOT NULL,
    title      TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    done       BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, rock_id) REFERENCES rocks(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX rock_milestones_rock ON rock_milestones(tenant_id, rock_id, due_on);
--bun:split
CREATE TABLE metrics (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    team_id     BIGINT NOT NULL,
    title       TEXT NOT NULL,
    owner_id    BIGINT,
    unit        TEXT NOT NULL DEFAULT '',
    -- gte (at least), lte (at most), eq (exactly) or range (goal..goal_max).
    comparator  TEXT NOT NULL CHECK (comparator IN ('gte', 'lte', 'eq', 'range')),
    goal        REAL NOT NULL,
    goal_max    REAL,
    -- manual: values entered each week; else the portal computes them
    -- from the company's tickets or Office 365 data (scorecard.Sources).
    source      TEXT NOT NULL DEFAULT 'manual',
    company_id  BIGINT,
    position    INTEGER NOT NULL DEFAULT 0,
    created_by  BIGINT,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX metrics_team ON metrics(tenant_id, team_id, position, id);
--bun:split
CREATE TABLE metric_shares (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    metric_id BIGINT NOT NULL,
    team_id   BIGINT NOT NULL,
    PRIMARY KEY (metric_id, team_id),
    FOREIGN KEY (tenant_id, metric_id) REFERENCES metrics(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX metric_shares_team ON metric_shares(tenant_id, team_id, metric_id);
--bun:split
CREATE TABLE metric_values (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    metric_id  BIGINT NOT NULL,
    -- The Monday that starts the week, YYYY-MM-DD.
    week       TEXT NOT NULL,
    value      REAL NOT NULL,
    -- Why a value missed its goal.
    note       TEXT NOT NULL DEFAULT '',
    entered_by BIGINT,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (metric_id, week),
    FOREIGN KEY (tenant_id, metric_id) REFERENCES metrics(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, entered_by) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE TABLE issues (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    team_id     BIGINT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_id    BIGINT,
    priority    TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
    -- short: this quarter's list, worked in meetings; long: parked for later.
    term        TEXT NOT NULL DEFAULT 'short' CHECK (term IN ('short', 'long')),
    -- 1 to 3 for the top three picked for IDS; NULL otherwise.
    top_rank    INTEGER CHECK (top_rank BETWEEN 1 AND 3),
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'solved')),
    solved_at   TIMESTAMP,
    created_by  BIGINT,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX issues_team ON issues(tenant_id, team_id, status, id);
--bun:split
CREATE TABLE todos (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    team_id     BIGINT NOT NULL,
    title       TEXT NOT NULL,
    owner_id    BIGINT,
    due_on      TEXT NOT NULL,
    done_at     TIMESTAMP,
    -- The issue it solves, when it came from one (no foreign key: deleting
    -- the issue leaves the to-do).
    issue_id    BIGINT,
    created_by  BIGINT,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX todos_team ON todos(tenant_id, team_id, due_on, id);
--bun:split
CREATE INDEX todos_owner ON todos(tenant_id, owner_id, due_on);
--bun:split
CREATE TABLE messages (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    team_id       BIGINT NOT NULL,
    title         TEXT NOT NULL,
    -- Markdown, rendered and sanitised when shown.
    body          TEXT NOT NULL DEFAULT '',
    author_id     BIGINT,
    -- A cascaded copy names the message it was cascaded from.
    cascaded_from BIGINT,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, author_id) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX messages_team ON messages(tenant_id, team_id, id);
