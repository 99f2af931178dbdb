/**
 * Everything one proxied call carries from admission to its record: the
 * request, where it goes, the settings and the money held for it.
 */
import type { CallBudget, HeldMoney } from "./call-budget.js";
import type { CallRequest } from "./call-request.js";
import type { ProxySettings } from "./settings.js";
import type { UpstreamTarget } from "./upstream-target.js";

/** One admitted call. */
export interface CallContext {
  request: CallRequest;
  target: UpstreamTarget;
  settings: ProxySettings;
  budget: CallBudget;
  held: HeldMoney;
  /** Keeps a stream's record going after the response is returned. */
  waitUntil: (promise: Promise<unknown>) => void;
  /** When the upstream request was sent (epoch ms). */
  startedAtMs: number;
}
