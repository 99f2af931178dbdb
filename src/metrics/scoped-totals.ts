import { usdToNanos } from "./money.js";
import {
  callCounters,
  combineCounters,
  copyTotals,
  emptyTotals,
  type Totals,
} from "./totals.js";
import type { AppliedOperation } from "../operations/applied.js";

/** The scopes a conversation keeps totals for. */
export type ScopeKind = "all" | "source" | "model";

/** Totals for the whole conversation and per source and per model. */
export interface ScopedTotals {
  all: Totals;
  source: Map<string, Totals>;
  model: Map<string, Totals>;
}

/** A scope whose totals a batch changed, for the store to write. */
export interface TotalsRow {
  scope: ScopeKind;
  name: string;
  totals: Totals;
}

/** Totals of a conversation that has seen nothing. */
export function emptyScopes(): ScopedTotals {
  return { all: emptyTotals(), source: new Map(), model: new Map() };
}

/** Adds one applied operation into one scope's totals, in place. */
export function accumulate(totals: Totals, op: AppliedOperation): void {
  totals.lastModel = op.model;
  switch (op.type) {
    case "add_cost":
      totals.costNanos += usdToNanos(op.cost);
      totals.costCount += 1;
      break;
    case "add_response_latency":
      totals.latencyCount += 1;
      break;
    case "add_token_usage":
      totals.tokens = combineCounters(totals.tokens, callCounters(op));
      totals.tokenUsageCount += 1;
      break;
    case "add_unpriced_call":
      totals.unpricedCount += 1;
      break;
  }
}

/**
 * Folds a batch into copies of the touched scopes and returns them; the
 * current totals are left untouched until the batch is stored.
 */
export function foldBatch(
  current: ScopedTotals,
  ops: readonly AppliedOperation[],
): TotalsRow[] {
  const changed = new Map<string, TotalsRow>();

  const touch = (scope: ScopeKind, name: string): Totals => {
    const key = `${scope}\u0000${name}`;
    let row = changed.get(key);
    if (row === undefined) {
      const base = scope === "all" ? current.all : current[scope].get(name);
      row = { scope, name, totals: base ? copyTotals(base) : emptyTotals() };
      changed.set(key, row);
    }
    return row.totals;
  };

  for (const op of ops) {
    accumulate(touch("all", ""), op);
    accumulate(touch("source", op.source), op);
    accumulate(touch("model", op.model), op);
  }
  return [...changed.values()];
}

/** Puts stored or newly folded rows into the in-memory totals. */
export function installRows(target: ScopedTotals, rows: TotalsRow[]): void {
  for (const row of rows) {
    if (row.scope === "all") target.all = row.totals;
    else target[row.scope].set(row.name, row.totals);
  }
}
