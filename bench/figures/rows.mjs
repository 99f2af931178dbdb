/**
 * Storage rows written (and read) per operation, from the SQLite cursors'
 * own counters, which are what Cloudflare bills. The service runs
 * unchanged; bench/workers/counting.mjs reads the counters from outside.
 */
import { progress } from "../lib/log.mjs";
import { section, table } from "../lib/markdown.mjs";
import { batchBody, OPERATION_KINDS } from "../lib/operations.mjs";
import { AUTH_JSON, Runtime } from "../lib/runtime.mjs";
import { fmt } from "../lib/stats.mjs";

/**
 * Posts `requests` batches of `size` and returns the counters they caused.
 * The conversation is created by a first request whose rows are left out.
 */
async function countRows(rt, conversation, kind, size, requests) {
  const post = (body) =>
    rt.http(
      "counting",
      "POST",
      `/v1/conversations/${conversation}/operations`,
      AUTH_JSON,
      body,
    );
  const counters = async () => {
    const answer = await rt.http(
      "counting",
      "GET",
      `/__bench/counters/${conversation}`,
    );
    return JSON.parse(answer.body).statements;
  };

  await post(batchBody(size, kind));
  await counters();

  const bodies = [];
  for (let i = 0; i < requests; i++) {
    bodies.push(batchBody(size, kind));
    const answer = await post(bodies[i]);
    if (answer.status !== 200) throw new Error(answer.body);
  }
  const fresh = await counters();

  // The same batch again: every operation is a duplicate.
  await post(bodies[0]);
  const retry = await counters();
  return { fresh, retry };
}

/** Totals over statements, per operation. */
function perOperation(statements, ops) {
  const sum = (key) =>
    Object.values(statements).reduce((total, s) => total + s[key], 0);
  return {
    written: sum("rowsWritten") / ops,
    read: sum("rowsRead") / ops,
    statements: sum("calls"),
  };
}

/**
 * Runs the rows figure.
 * @param {{singles: number, batches: number, batchSize: number}} options
 */
export async function rows(options) {
  const rt = new Runtime({ workers: ["counting"] });
  const results = [];
  try {
    await rt.ready;
    for (const kind of Object.keys(OPERATION_KINDS)) {
      for (const [size, requests] of [
        [1, options.singles],
        [options.batchSize, options.batches],
      ]) {
        progress(`rows: ${requests} requests of ${size} ${kind}`);
        const counted = await countRows(
          rt,
          `rows-${kind}-${size}`,
          kind,
          size,
          requests,
        );
        results.push({ kind, size, requests, ...counted });
      }
    }
  } finally {
    await rt.dispose();
  }
  return report(results);
}

function statementRows(statements, requests) {
  return Object.entries(statements)
    .sort((a, b) => b[1].rowsWritten - a[1].rowsWritten)
    .map(([sql, s]) => [
      `\`${sql}\``,
      fmt(s.calls / requests, 3),
      fmt(s.rowsWritten / requests, 3),
      fmt(s.rowsRead / requests, 3),
    ]);
}

function report(results) {
  const summary = results.map((r) => {
    const fresh = perOperation(r.fresh, r.size * r.requests);
    const retry = perOperation(r.retry, r.size);
    return [
      `\`${r.kind}\``,
      r.size,
      fmt(fresh.written, 3),
      fmt(fresh.read, 3),
      fmt(fresh.statements / r.requests, 3),
      `${fmt(retry.written, 3)} / ${fmt(retry.read, 3)}`,
    ];
  });
  const single = results.find((r) => r.kind === "add_cost" && r.size === 1);
  const batch = results.find((r) => r.kind === "add_cost" && r.size > 1);
  const header = ["statement", "calls", "rows written", "rows read"];

  return {
    results,
    markdown: section("Storage rows per operation", [
      `Counted by SQLite itself (\`cursor.rowsWritten\`, ` +
        `\`cursor.rowsRead\`), summed over every statement the object ` +
        `ran for the requests, divided by the operations they carried. ` +
        `The conversation was created by an earlier request, left out. ` +
        `All operations of a batch share one source and one model; each ` +
        `new source or model adds totals rows. "Retry" sends an applied ` +
        `batch again (all duplicates).`,
      table(
        [
          "operation",
          "ops/request",
          "rows written/op",
          "rows read/op",
          "statements/request",
          "retry: written / read per op",
        ],
        summary,
      ),
      `Per request, by statement, for \`add_cost\` one at a time:`,
      table(header, statementRows(single.fresh, single.requests)),
      `Per request, by statement, for \`add_cost\` in batches of ` +
        `${batch.size}:`,
      table(header, statementRows(batch.fresh, batch.requests)),
    ]),
  };
}
