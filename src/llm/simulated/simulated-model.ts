/**
 * How the built-in simulated upstream names its models and what they cost.
 *
 * Simulated calls are priced, at a fixed and deliberately round rate, not
 * left unpriced: the point of the simulation is to show the whole path
 * offline, and that includes costs adding up and a budget refusing a call.
 * The prefix keeps them apart from every real model in the records. A
 * `PRICE_OVERRIDES` entry for a simulated model name still wins.
 */
import type { ModelPrice } from "../model-price.js";

/** Every model the simulated upstream answers as starts with this. */
export const SIMULATED_MODEL_PREFIX = "simulated-";

/**
 * USD per million tokens for every simulated model: $1 input, $2 output,
 * $0.10 cache read, $1.25 cache write.
 */
export const SIMULATED_PRICE: ModelPrice = {
  input_per_mtok: 1,
  output_per_mtok: 2,
  cache_read_per_mtok: 0.1,
  cache_write_per_mtok: 1.25,
};

/** The name the simulated upstream answers as for a requested model. */
export function simulatedModelName(requestedModel: string): string {
  return requestedModel.startsWith(SIMULATED_MODEL_PREFIX)
    ? requestedModel
    : `${SIMULATED_MODEL_PREFIX}${requestedModel}`;
}

/** Whether a model name is one of the simulated upstream's. */
export function isSimulatedModel(model: string): boolean {
  return model.startsWith(SIMULATED_MODEL_PREFIX);
}
