/**
 * Prices from the bundled `@pydantic/genai-prices` table, which works
 * offline. Its `input_tokens` includes cached tokens, as our `prompt_tokens`
 * does, so counts go in unchanged. Reasoning tokens are left out: they are
 * already inside the output count, and the table has no rate for them.
 */
import {
  calcPrice,
  type PriceCalculationResult,
  type PriceOptions,
} from "@pydantic/genai-prices";
import { usdToNanos } from "../metrics/money.js";
import type { PricedCounts } from "./model-price.js";

/**
 * The table's cost of `counts` for `model`, in nano-USD.
 *
 * @param providerId tried first (fast and exact); when the provider does
 *   not know the model, every provider's model patterns are tried, so that
 *   "claude-..." behind an OpenAI-compatible proxy still finds its price.
 * @returns undefined when no provider knows the model, or when the table
 *   refuses the counts (cache tokens beyond the prompt).
 */
export function tableCostNanos(
  model: string,
  counts: PricedCounts,
  providerId: string,
  at?: Date,
): number | undefined {
  const usage = {
    input_tokens: counts.prompt_tokens,
    output_tokens: counts.completion_tokens,
    cache_read_tokens: counts.cache_read_tokens,
    cache_write_tokens: counts.cache_write_tokens,
  };
  const options: PriceOptions = at === undefined ? {} : { timestamp: at };

  try {
    const price = lookUp(model, providerId, (provider) =>
      provider === undefined
        ? calcPrice(usage, model, options)
        : calcPrice(usage, model, { ...options, providerId: provider }),
    );
    return price === null ? undefined : usdToNanos(price.total_price);
  } catch {
    return undefined;
  }
}

/**
 * The model's context window from the table, for `add_token_usage`'s
 * `context_window` (OpenHands records the model's input limit there).
 *
 * @returns 0 when the table does not know it, as OpenHands records.
 */
export function tableContextWindow(model: string, providerId: string): number {
  const none = { input_tokens: 0, output_tokens: 0 };
  try {
    const price = lookUp(model, providerId, (provider) =>
      provider === undefined
        ? calcPrice(none, model)
        : calcPrice(none, model, { providerId: provider }),
    );
    return price?.model.context_window ?? 0;
  } catch {
    return 0;
  }
}

/**
 * Which provider's table knows a model, per (provider asked, model): a
 * search across every provider costs tens of microseconds a call, and the
 * answer does not change within an isolate. Bounded, since model names
 * come from requests.
 */
const knownBy = new Map<string, string | null>();
const MAX_KNOWN_MODELS = 1024;

/**
 * Prices `model` with the provider asked for first, then with any
 * provider, remembering which one answered (or that none did).
 */
function lookUp(
  model: string,
  providerId: string,
  price: (provider: string | undefined) => PriceCalculationResult,
): PriceCalculationResult {
  const key = `${providerId}\u0000${model}`;
  const known = knownBy.get(key);
  if (known === null) return null;
  if (known !== undefined) return price(known);

  const found = price(providerId) ?? price(undefined);
  if (knownBy.size >= MAX_KNOWN_MODELS) knownBy.clear();
  knownBy.set(key, found?.provider.id ?? null);
  return found;
}
