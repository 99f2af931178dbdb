/**
 * The conversation's SQLite schema, versioned so a later release can migrate
 * a stored conversation in place. Each migration runs once, in order, inside
 * the transaction that records the new version.
 */
export const SCHEMA_VERSION = 3;

const MIGRATIONS: readonly string[][] = [
  // Version 1. One table per record kind keeps each snapshot list a cheap
  // range read on its primary key; `op_ids` makes a retry harmless.
  [
    `CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID`,
    `CREATE TABLE op_ids (id TEXT PRIMARY KEY, seq INTEGER NOT NULL)
       WITHOUT ROWID`,
    `CREATE TABLE costs (
       seq INTEGER PRIMARY KEY, id TEXT NOT NULL, source TEXT NOT NULL,
       model TEXT NOT NULL, cost_nanos INTEGER NOT NULL,
       timestamp REAL NOT NULL)`,
    `CREATE TABLE latencies (
       seq INTEGER PRIMARY KEY, id TEXT NOT NULL, source TEXT NOT NULL,
       model TEXT NOT NULL, latency REAL NOT NULL,
       response_id TEXT NOT NULL, timestamp REAL NOT NULL)`,
    `CREATE TABLE token_usages (
       seq INTEGER PRIMARY KEY, id TEXT NOT NULL, source TEXT NOT NULL,
       model TEXT NOT NULL, prompt_tokens INTEGER NOT NULL,
       completion_tokens INTEGER NOT NULL,
       cache_read_tokens INTEGER NOT NULL,
       cache_write_tokens INTEGER NOT NULL,
       reasoning_tokens INTEGER NOT NULL, context_window INTEGER NOT NULL,
       response_id TEXT NOT NULL, timestamp REAL NOT NULL)`,
    `CREATE TABLE unpriced_calls (
       seq INTEGER PRIMARY KEY, id TEXT NOT NULL, source TEXT NOT NULL,
       model TEXT NOT NULL, response_id TEXT NOT NULL,
       timestamp REAL NOT NULL)`,
    // Running totals per scope: ('all', ''), ('source', name), ('model',
    // name). Updated with every batch so no read replays history.
    `CREATE TABLE totals (
       scope TEXT NOT NULL, name TEXT NOT NULL,
       cost_nanos INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL,
       completion_tokens INTEGER NOT NULL,
       cache_read_tokens INTEGER NOT NULL,
       cache_write_tokens INTEGER NOT NULL,
       reasoning_tokens INTEGER NOT NULL, context_window INTEGER NOT NULL,
       per_turn_token INTEGER NOT NULL, cost_count INTEGER NOT NULL,
       latency_count INTEGER NOT NULL, token_usage_count INTEGER NOT NULL,
       unpriced_count INTEGER NOT NULL, last_model TEXT NOT NULL,
       PRIMARY KEY (scope, name)) WITHOUT ROWID`,
  ],
  // Version 2. Budget reservations of LLM calls in flight, kept so a
  // restart neither forgets money held nor holds it forever.
  [
    `CREATE TABLE reservations (
       id TEXT PRIMARY KEY, nanos INTEGER NOT NULL,
       expires_at INTEGER NOT NULL, source TEXT NOT NULL,
       model TEXT NOT NULL) WITHOUT ROWID`,
  ],
  // Version 3. Time to first token of streamed calls; null for the rest.
  [`ALTER TABLE latencies ADD COLUMN time_to_first_token REAL`],
];

function storedVersion(sql: SqlStorage): number {
  const table = sql
    .exec(`SELECT name FROM sqlite_master WHERE name = 'meta'`)
    .toArray();
  if (table.length === 0) return 0;
  const rows = sql
    .exec<{ value: number }>(
      `SELECT value FROM meta WHERE key = 'schema_version'`,
    )
    .toArray();
  return rows[0]?.value ?? 0;
}

/**
 * Brings the storage up to SCHEMA_VERSION; does nothing when current.
 * @throws Error when the stored schema is newer than this code knows
 */
export function migrate(storage: DurableObjectStorage): void {
  const from = storedVersion(storage.sql);
  if (from === SCHEMA_VERSION) return;
  if (from > SCHEMA_VERSION) {
    throw new Error(
      `Stored schema version ${from} is newer than this release ` +
        `(${SCHEMA_VERSION}); deploy the newer release again.`,
    );
  }

  storage.transactionSync(() => {
    for (const statements of MIGRATIONS.slice(from)) {
      for (const statement of statements) storage.sql.exec(statement);
    }
    storage.sql.exec(
      `INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)`,
      SCHEMA_VERSION,
    );
  });
}
