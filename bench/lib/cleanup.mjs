/**
 * Everything the bench starts registers how to stop it here, so a run
 * that fails, times out or is interrupted still ends every process it
 * started (workerd through Miniflare, the fake upstream).
 */

/** @type {Set<() => Promise<void> | void>} */
const stoppers = new Set();

/**
 * Registers a way to stop something; returns a function that forgets it
 * once it was stopped the ordinary way.
 * @param {() => Promise<void> | void} stop
 */
export function onCleanup(stop) {
  stoppers.add(stop);
  return () => stoppers.delete(stop);
}

/** Stops everything still registered, ignoring failures. */
export async function cleanupAll() {
  const all = [...stoppers];
  stoppers.clear();
  await Promise.allSettled(all.map(async (stop) => stop()));
}
