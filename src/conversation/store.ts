import { nanosToUsd, usdToNanos } from "../metrics/money.js";
import type { Totals } from "../metrics/totals.js";
import type { AppliedOperation } from "../operations/applied.js";
import type { ListKind } from "../metrics/recent-lists.js";
import type { ScopeKind, TotalsRow } from "../metrics/scoped-totals.js";

type Row = Record<string, SqlStorageValue>;

/**
 * Every SQL statement of a conversation. Batches go in through `json_each`
 * so a batch of a thousand operations is a handful of statements, not
 * thousands.
 */
export class ConversationStore {
  constructor(private readonly sql: SqlStorage) {}

  /** The ids among `ids` that were applied before. */
  existingIds(ids: readonly string[]): Set<string> {
    const [only] = ids;
    if (ids.length === 1 && only !== undefined) {
      const found = this.sql
        .exec(`SELECT 1 FROM op_ids WHERE id = ?`, only)
        .toArray();
      return new Set(found.length > 0 ? [only] : []);
    }

    const rows = this.sql
      .exec<{ id: string }>(
        `SELECT id FROM op_ids WHERE id IN (SELECT value FROM json_each(?))`,
        JSON.stringify(ids),
      )
      .toArray();
    return new Set(rows.map((row) => row.id));
  }

  /** Writes new operations; call inside a transaction with saveTotals. */
  insert(ops: readonly AppliedOperation[]): void {
    this.#insertJson(
      `INSERT INTO op_ids (id, seq)
       SELECT value->>'$[0]', value->>'$[1]' FROM json_each(?)`,
      ops.map((op) => [op.id, op.seq]),
    );

    const costs = [];
    const latencies = [];
    const usages = [];
    const unpriced = [];
    for (const op of ops) {
      const head = [op.seq, op.id, op.source, op.model];
      if (op.type === "add_cost") {
        costs.push([...head, usdToNanos(op.cost), op.timestamp]);
      } else if (op.type === "add_response_latency") {
        latencies.push([
          ...head,
          op.latency,
          op.response_id,
          op.timestamp,
          op.time_to_first_token ?? null,
        ]);
      } else if (op.type === "add_token_usage") {
        usages.push([
          ...head,
          op.prompt_tokens,
          op.completion_tokens,
          op.cache_read_tokens,
          op.cache_write_tokens,
          op.reasoning_tokens,
          op.context_window,
          op.response_id,
          op.timestamp,
        ]);
      } else {
        unpriced.push([...head, op.response_id, op.timestamp]);
      }
    }

    this.#insertJson(INSERT.costs, costs);
    this.#insertJson(INSERT.latencies, latencies);
    this.#insertJson(INSERT.token_usages, usages);
    this.#insertJson(INSERT.unpriced_calls, unpriced);
  }

  /** Writes the totals rows a batch changed, in one statement. */
  saveTotals(rows: readonly TotalsRow[]): void {
    this.#insertJson(
      INSERT.totals,
      rows.map(({ scope, name, totals: t }) => [
        scope,
        name,
        t.costNanos,
        t.tokens.prompt_tokens,
        t.tokens.completion_tokens,
        t.tokens.cache_read_tokens,
        t.tokens.cache_write_tokens,
        t.tokens.reasoning_tokens,
        t.tokens.context_window,
        t.tokens.per_turn_token,
        t.costCount,
        t.latencyCount,
        t.tokenUsageCount,
        t.unpricedCount,
        t.lastModel,
      ]),
    );
  }

  /** Every stored totals row. */
  loadTotals(): TotalsRow[] {
    return this.sql
      .exec(`SELECT * FROM totals`)
      .toArray()
      .map((row) => ({
        scope: row.scope as ScopeKind,
        name: text(row.name),
        totals: totalsFromRow(row),
      }));
  }

  /** The newest entries of every snapshot list, oldest first. */
  loadRecentLists(limit: number): Record<ListKind, AppliedOperation[]> {
    return {
      costs: this.loadRecent("costs", limit),
      latencies: this.loadRecent("latencies", limit),
      token_usages: this.loadRecent("token_usages", limit),
    };
  }

  /** The newest `limit` entries of one list, oldest first. */
  loadRecent(kind: ListKind, limit: number): AppliedOperation[] {
    return this.sql
      .exec(`SELECT * FROM ${kind} ORDER BY seq DESC LIMIT ?`, limit)
      .toArray()
      .reverse()
      .map((row) => operationFromRow(kind, row));
  }

  /** The seq of the last stored operation, 0 when none. */
  lastSeq(): number {
    const row = this.sql
      .exec<{ seq: number }>(
        `SELECT max(
           (SELECT ifnull(max(seq), 0) FROM costs),
           (SELECT ifnull(max(seq), 0) FROM latencies),
           (SELECT ifnull(max(seq), 0) FROM token_usages),
           (SELECT ifnull(max(seq), 0) FROM unpriced_calls)) AS seq`,
      )
      .one();
    return row.seq;
  }

  /**
   * Up to `limit` operations with seq above `after`, in order. Each table
   * is read for at most `limit` rows from `after` on its primary key, so a
   * page costs the same deep into history.
   */
  history(after: number, limit: number): AppliedOperation[] {
    const kinds = [
      "costs",
      "latencies",
      "token_usages",
      "unpriced_calls",
    ] as const;
    const all = kinds.flatMap((kind) =>
      this.sql
        .exec(
          `SELECT * FROM ${kind} WHERE seq > ? ORDER BY seq LIMIT ?`,
          after,
          limit,
        )
        .toArray()
        .map((row) => operationFromRow(kind, row)),
    );
    return all.sort((a, b) => a.seq - b.seq).slice(0, limit);
  }

  /** Reads one meta value, or null. */
  readMeta(key: string): SqlStorageValue {
    const rows = this.sql
      .exec<{ value: SqlStorageValue }>(
        `SELECT value FROM meta WHERE key = ?`,
        key,
      )
      .toArray();
    return rows[0]?.value ?? null;
  }

  /** Writes one meta value. */
  writeMeta(key: string, value: SqlStorageValue): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`,
      key,
      value,
    );
  }

  #insertJson(statement: string, rows: unknown[][]): void {
    if (rows.length > 0) this.sql.exec(statement, JSON.stringify(rows));
  }
}

/** A stored text column; anything else means the schema was broken. */
export function text(value: SqlStorageValue | undefined): string {
  if (typeof value !== "string") {
    throw new TypeError(`expected a text column, got ${typeof value}`);
  }
  return value;
}

/** `SELECT value->>'$[0]', ... FROM json_each(?)` for `n` columns. */
function selectColumns(n: number): string {
  const columns = Array.from({ length: n }, (_, i) => `value->>'$[${i}]'`);
  return `SELECT ${columns.join(", ")} FROM json_each(?)`;
}

/** The batch inserts, built once: every batch runs the same text. */
const INSERT = {
  costs: `INSERT INTO costs ${selectColumns(6)}`,
  latencies: `INSERT INTO latencies ${selectColumns(8)}`,
  token_usages: `INSERT INTO token_usages ${selectColumns(12)}`,
  unpriced_calls: `INSERT INTO unpriced_calls ${selectColumns(6)}`,
  totals: `INSERT OR REPLACE INTO totals ${selectColumns(15)}`,
};

function totalsFromRow(row: Row): Totals {
  return {
    costNanos: Number(row.cost_nanos),
    tokens: {
      prompt_tokens: Number(row.prompt_tokens),
      completion_tokens: Number(row.completion_tokens),
      cache_read_tokens: Number(row.cache_read_tokens),
      cache_write_tokens: Number(row.cache_write_tokens),
      reasoning_tokens: Number(row.reasoning_tokens),
      context_window: Number(row.context_window),
      per_turn_token: Number(row.per_turn_token),
    },
    costCount: Number(row.cost_count),
    latencyCount: Number(row.latency_count),
    tokenUsageCount: Number(row.token_usage_count),
    unpricedCount: Number(row.unpriced_count),
    lastModel: text(row.last_model),
  };
}

function operationFromRow(
  kind: ListKind | "unpriced_calls",
  row: Row,
): AppliedOperation {
  const head = {
    seq: Number(row.seq),
    id: text(row.id),
    source: text(row.source),
    model: text(row.model),
    timestamp: Number(row.timestamp),
  };
  switch (kind) {
    case "costs":
      return {
        ...head,
        type: "add_cost",
        cost: nanosToUsd(Number(row.cost_nanos)),
      };
    case "latencies":
      return {
        ...head,
        type: "add_response_latency",
        latency: Number(row.latency),
        response_id: text(row.response_id),
        ...(row.time_to_first_token === null
          ? {}
          : { time_to_first_token: Number(row.time_to_first_token) }),
      };
    case "token_usages":
      return {
        ...head,
        type: "add_token_usage",
        prompt_tokens: Number(row.prompt_tokens),
        completion_tokens: Number(row.completion_tokens),
        cache_read_tokens: Number(row.cache_read_tokens),
        cache_write_tokens: Number(row.cache_write_tokens),
        reasoning_tokens: Number(row.reasoning_tokens),
        context_window: Number(row.context_window),
        response_id: text(row.response_id),
      };
    case "unpriced_calls":
      return {
        ...head,
        type: "add_unpriced_call",
        response_id: text(row.response_id),
      };
  }
}
