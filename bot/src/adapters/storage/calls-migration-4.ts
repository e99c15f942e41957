import type { Migration } from './migrations';

/**
 * Calls migration 4, the same text on SQLite and PostgreSQL (both stores append it to their lists).
 * Never edit it: it is applied.
 */
export const FEWER_CALL_INDEXES: Migration = {
  // Fewer indexes to write: calls had 13 (with the report store's), a new call wrote 10 to 13 of
  // them and a claim moved 3 entries; now 9, a new call writes 5 to 8 and a claim moves 1 (its
  // state). Every query that read an index still does (see the plan tests).
  version: 4,
  name: 'fewer indexes on calls',
  sql: `
-- The report store's (…, created_at, id) indexes (reports migration 1) answer every query these
-- answered, the order's id tie-break besides; the narrower ones were written and never read. The
-- calls store takes them over (IF NOT EXISTS: where the reports are migrated they exist already).
CREATE INDEX IF NOT EXISTS report_calls_created ON calls (created_at, id);
CREATE INDEX IF NOT EXISTS report_calls_agent_created ON calls (agent_id, created_at, id);
DROP INDEX calls_created;
DROP INDEX calls_agent_created;
-- One team index, partial as calls_team_created was: a call without a team writes none. It serves
-- "team_id = ?" (which implies "team_id IS NOT NULL"), the only way calls are read by team.
DROP INDEX calls_team_created;
DROP INDEX IF EXISTS report_calls_team_created;
CREATE INDEX report_calls_team_created ON calls (team_id, created_at, id) WHERE team_id IS NOT NULL;
-- Nothing reads calls by claimed_at: the sweeper's lobby timeout finds waiting calls by state.
DROP INDEX calls_state_claimed;
-- Only purge reads updated_at, and only of finished calls: a live call (every new and every claimed
-- one) is not in this index. The list is TERMINAL_STATES, written out as purge writes it: a query
-- uses a partial index only when its WHERE contains the index's condition verbatim.
DROP INDEX calls_state_updated;
CREATE INDEX calls_finished_updated ON calls (state, updated_at)
  WHERE state IN ('ended','declined','revoked','expired','abandoned','timed_out');
`,
};
