/** US dollars per million tokens, input and output. */
export interface Price {
  input: number;
  output: number;
}

/**
 * List prices of common models (per million tokens, USD). A gateway's `provider/model` name
 * matches its model; models not listed (local ones, say) cost nothing unless AI_PRICES says so.
 */
const DEFAULT_PRICES: Record<string, Price> = {
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-5": { input: 1.25, output: 10 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  "o4-mini": { input: 1.1, output: 4.4 },
  "claude-3-5-haiku": { input: 0.8, output: 4 },
  "claude-sonnet-4": { input: 3, output: 15 },
};

/** The price of `model`: an override, else the list price (also for `provider/model` names), else free. */
export function priceOf(model: string, overrides: Record<string, Price> = {}): Price | undefined {
  const bare = model.includes("/") ? model.slice(model.lastIndexOf("/") + 1) : model;
  return overrides[model] ?? overrides[bare] ?? DEFAULT_PRICES[model] ?? DEFAULT_PRICES[bare];
}

/** What a call cost, in US cents. */
export function costCents(price: Price | undefined, tokens: { input: number; output: number }): number {
  if (!price) return 0;
  return ((tokens.input * price.input + tokens.output * price.output) / 1_000_000) * 100;
}
