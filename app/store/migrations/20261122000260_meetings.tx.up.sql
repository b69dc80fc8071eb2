-- Meetings of teams (SPEC §6): the L10 with its seven sections and
-- custom meetings (a QBR) with their own agenda; who attends and how each
-- rated it. And 1:1s between a member and their manager, private to the
-- two. Who sees and runs a meeting is the policy's (policy.TeamWork); a
-- 1:1 is policy.CanSeeOneOnOne's.

CREATE TABLE meetings (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id          BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    team_id            BIGINT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('l10', 'custom')),
    title              TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'running', 'done')),
    -- The section running now, by its position (0 before the start).
    section            INTEGER NOT NULL DEFAULT 0,
    section_started_at TIMESTAMP,
    started_at         TIMESTAMP,
    ended_at           TIMESTAMP,
    notes              TEXT NOT NULL DEFAULT '',
    created_by         BIGINT,
    created_at         TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX meetings_team ON meetings(tenant_id, team_id, id);
--bun:split
CREATE TABLE meeting_sections (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    meeting_id BIGINT NOT NULL,
    -- 1, 2, … in the agenda's order.
    position   INTEGER NOT NULL,
    -- An L10 section (segue, scorecard, rocks, headlines, todos, ids,
    -- conclude) or custom.
    key        TEXT NOT NULL,
    title      TEXT NOT NULL,
    minutes    INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 240),
    PRIMARY KEY (meeting_id, position),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE TABLE meeting_attendees (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    meeting_id BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    -- 1 to 10, given at the conclusion; NULL until then.
    rating     INTEGER CHECK (rating BETWEEN 1 AND 10),
    PRIMARY KEY (meeting_id, user_id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE TABLE one_on_ones (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    -- The report and their manager at the time the 1:1 started.
    member_id  BIGINT NOT NULL,
    manager_id BIGINT NOT NULL,
    agenda     TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES users(tenant_id, id),
    FOREIGN KEY (tenant_id, manager_id) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX one_on_ones_member ON one_on_ones(tenant_id, member_id);
--bun:split
CREATE INDEX one_on_ones_manager ON one_on_ones(tenant_id, manager_id);
