/**
 * The HTTP contract as a client sees it (notes/API.md and issue 2), typed
 * here rather than imported from src/, so the tests check src against the
 * contract instead of against itself.
 */

interface OperationBase {
  id: string;
  source: string;
  model: string;
}

export interface AddCost extends OperationBase {
  type: "add_cost";
  cost: number;
}

export interface AddResponseLatency extends OperationBase {
  type: "add_response_latency";
  latency: number;
  response_id?: string;
}

export interface AddTokenUsage extends OperationBase {
  type: "add_token_usage";
  prompt_tokens: number;
  completion_tokens: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
  context_window?: number;
  response_id?: string;
}

export interface AddUnpricedCall extends OperationBase {
  type: "add_unpriced_call";
  response_id?: string;
}

/** One operation as a client posts it. */
export type OperationInput =
  AddCost | AddResponseLatency | AddTokenUsage | AddUnpricedCall;

/** The answer to `POST /v1/conversations/{id}/operations`. */
export interface BatchResult {
  applied: number;
  duplicates: number;
  duplicate_ids: string[];
  seq: number;
  accumulated_cost: number;
}

/** `{"error": {"type", "message"}}`, the shape of every refusal. */
export interface ErrorBody {
  error: { type: string; message: string };
}

/** A page of `GET /v1/conversations/{id}/operations`. */
export interface OperationsPage {
  operations: Record<string, unknown>[];
  next_after: number | null;
}
