import type { Api, ApiResponse } from "./api.js";
import type { Random } from "./random.js";
import type { OperationsPage } from "./wire.js";

/** What the service reports about one conversation. */
export interface Observation {
  metrics: ApiResponse;
  /** Every applied operation, gathered page by page. */
  operations: Record<string, unknown>[];
  /** Pages that broke the paging contract, in words. */
  pagingProblems: string[];
}

/** Page sizes to try: the smallest, odd ones, the default, the largest. */
const PAGE_LIMITS = [1, 7, 100, 333, 1000, undefined] as const;

/** A guard against a `next_after` that never ends. */
const MAX_PAGES = 5_000;

/**
 * Reads a conversation's metrics and its whole operations log, with a
 * random page size per page.
 */
export async function observe(
  client: Api,
  conversationId: string,
  rng: Random,
): Promise<Observation> {
  const base = `/v1/conversations/${encodeURIComponent(conversationId)}`;
  const metrics = await client.get(`${base}/metrics`);
  const operations: Record<string, unknown>[] = [];
  const pagingProblems: string[] = [];

  let after = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const limit = rng.pick(PAGE_LIMITS);
    const query = limit === undefined ? "" : `&limit=${limit}`;
    const path = `${base}/operations?after=${after}${query}`;
    const response = await client.get<OperationsPage>(path);

    const problem = pageProblem(response, limit ?? 100, after);
    if (problem) {
      pagingProblems.push(`GET ${path}: ${problem}`);
      break;
    }
    operations.push(...response.body.operations);

    if (response.body.next_after === null) return finish();
    after = response.body.next_after;
  }
  pagingProblems.push(`no end after ${MAX_PAGES} pages`);
  return finish();

  function finish(): Observation {
    return { metrics, operations, pagingProblems };
  }
}

/** Why one page breaks the contract, or null when it keeps it. */
function pageProblem(
  response: ApiResponse<OperationsPage>,
  limit: number,
  after: number,
): string | null {
  const body = response.body as Partial<OperationsPage> | null;
  if (response.status !== 200) {
    return `status ${response.status}: ${response.text.slice(0, 300)}`;
  }
  if (!body || !Array.isArray(body.operations)) return "no operations list";
  if (body.operations.length > limit) {
    return `${body.operations.length} operations for limit ${limit}`;
  }

  const seqs = body.operations.map((op) => op.seq);
  const last = seqs.at(-1);
  if (seqs.some((seq, i) => seq !== after + i + 1)) {
    return `seqs ${JSON.stringify(seqs.slice(0, 10))} after ${after}`;
  }
  if (body.next_after !== null && body.next_after !== last) {
    return `next_after ${body.next_after}, last seq ${String(last)}`;
  }
  return null;
}
