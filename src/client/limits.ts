/**
 * The service's limits on operations (src/operations/schema.ts), repeated
 * here because the client must not load zod at run time. A node test
 * checks that both agree.
 */

/** The most operations one request may carry. */
export const MAX_OPERATIONS_PER_BATCH = 1000;

/** The largest single cost, in USD, an operation may add. */
export const MAX_COST_USD = 1_000_000;

/** The largest token count one call may report. */
export const MAX_TOKENS = 1_000_000_000;

/** The longest operation id. */
export const MAX_ID_LENGTH = 128;

/** The longest model name. */
export const MAX_MODEL_LENGTH = 256;

/** The longest response id. */
export const MAX_RESPONSE_ID_LENGTH = 256;

/** A source name: agent, condenser, draft_editor, title_generator, ... */
export const SOURCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
