/** Differences reported at most, so a broken run stays readable. */
const DEFAULT_LIMIT = 40;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Every difference between `expected` and `actual`, one line each, as
 * `path: expected X, got Y`. Numbers are compared exactly; a key missing
 * on either side is a difference.
 */
export function differences(
  expected: unknown,
  actual: unknown,
  limit = DEFAULT_LIMIT,
): string[] {
  const out: string[] = [];
  walk(expected, actual, "$", out, limit);
  return out;
}

function walk(
  expected: unknown,
  actual: unknown,
  path: string,
  out: string[],
  limit: number,
): void {
  if (out.length >= limit) return;

  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      out.push(
        `${path}: expected ${expected.length} entries, got ${actual.length}`,
      );
    }
    // Lists here hold the newest entries: align them at their ends, so a
    // list cut at another length shows only that, not every entry shifted.
    const shared = Math.min(expected.length, actual.length);
    const e0 = expected.length - shared;
    const a0 = actual.length - shared;
    for (let i = 0; i < shared; i += 1) {
      walk(expected[e0 + i], actual[a0 + i], `${path}[${e0 + i}]`, out, limit);
    }
    return;
  }

  if (isRecord(expected) && isRecord(actual)) {
    for (const key of Object.keys(expected)) {
      if (!(key in actual)) out.push(`${path}.${key}: missing`);
      else walk(expected[key], actual[key], `${path}.${key}`, out, limit);
    }
    for (const key of Object.keys(actual)) {
      if (!(key in expected)) {
        out.push(`${path}.${key}: unexpected, got ${show(actual[key])}`);
      }
    }
    return;
  }

  // Plain equality: JSON has no NaN, and 0 and -0 print the same.
  if (expected !== actual) {
    out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  }
}
