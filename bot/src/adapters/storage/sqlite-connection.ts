import type Database from 'better-sqlite3';

/**
 * WAL pages after which a commit also checkpoints (copies the WAL into the database file).
 * SQLite's default, 1000, made the checkpoint an eighth of a link creation's cost (perf): each
 * creation writes about 19 pages, so a checkpoint ran every ~50 creations, and the pages every
 * creation touches (the newest leaves of the time-ordered indexes) were copied again each time.
 * 10,000 pages (40 MB of WAL at most) copies those hot pages a tenth as often.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * The settings of every SQLite connection of the server: a busy timeout (several connections and
 * processes take turns on one file), WAL with `synchronous = NORMAL` (a committed write survives a
 * crash of the process; a power loss may lose the last commits, never corrupt the file; see
 * docs/DESIGN.md), the checkpoint interval above, and the WAL file cut back to 64 MB after a
 * checkpoint. busy_timeout comes first: switching to WAL needs a lock another process may hold.
 */
export function configureSqlite(db: Database.Database, busyTimeoutMs = 5000): void {
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
}
