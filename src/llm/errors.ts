/**
 * An upstream answered with something that is not the wire format it
 * claims to speak: not JSON, or JSON of the wrong shape. The HTTP layer
 * turns it into a 502 that says so.
 */
export class UpstreamFormatError extends Error {
  override name = "UpstreamFormatError";
}

/**
 * The `PRICE_OVERRIDES` configuration is not valid. The message names the
 * model and the field at fault so that an operator can fix it.
 */
export class PriceOverridesError extends Error {
  override name = "PriceOverridesError";
}
