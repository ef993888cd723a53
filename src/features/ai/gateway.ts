import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleWhen } from "cockatiel";
import {
  type ChatMessage,
  createOpenAIUpstream,
  ModelError,
  type Upstream,
} from "../../adapters/ai/openai.ts";
import { BatchWriter } from "../../db/batch-writer.ts";
import { recordInteractions } from "../../db/queries/ai.ts";
import type { NewAiInteraction } from "../../db/schema/ai-interactions.ts";
import { RateLimitError, UnavailableError, UpstreamError } from "../../errors.ts";
import type { Ports } from "../../ports.ts";
import { turnBudget } from "../../turn-budget.ts";
import { countTokens } from "./count.ts";
import { costCents, priceOf } from "./prices.ts";
import { createStreamSlots } from "./slots.ts";
import { createSpendLedger } from "./spend.ts";

export type Tier = "primary" | "fast";
type CallType = "chat" | "completion" | "analysis";

/** One AI call as a feature asks for it. */
export interface AiCall {
  userId: string;
  projectId?: string | undefined;
  type: CallType;
  tier: Tier;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  stop?: string[];
  json?: boolean;
  /** Answer an identical call from the cache (and store this one's answer there). */
  cache: boolean;
  signal?: AbortSignal | undefined;
  /** Kept in `ai_interactions.request_data` (never secrets). */
  requestData?: Record<string, unknown>;
}

export interface AiResult {
  text: string;
  model: string;
  tokens: { input: number; output: number };
  /** US cents. */
  cost: number;
  latency: number;
  cacheHit: boolean;
  /** Models skipped or failed before this one answered, with why. */
  failovers: { model: string; reason: string }[];
}

/**
 * What a call yields: `tokens` as the model writes — the deltas that arrived together, one
 * string per delta — then `done`.
 */
export type AiEvent = { type: "tokens"; texts: string[] } | { type: "done"; result: AiResult };

/** The message the API and the panel show when no upstream is configured. */
const AI_OFF_MESSAGE =
  "AI is off: no model is configured. Set AI_BASE_URL to any OpenAI-compatible endpoint (and AI_API_KEY), " +
  "for example a local Ollama at http://localhost:11434/v1, or set HELICONE_API_KEY to use Helicone's gateway.";

/**
 * What is kept of a failed call's answer: a chat answer the person stopped keeps the text it had
 * (marked stopped), so the conversation still shows it; anything else keeps nothing.
 */
function stoppedAnswer(call: AiCall, text: string, error: string): Record<string, unknown> {
  return call.type === "chat" && error === "cancelled" && text ? { text, stopped: true } : {};
}

/** Words of a cached answer per replayed `tokens` event. */
const REPLAY_BATCH = 256;

type GatewayDeps = Pick<Ports, "config" | "db" | "cache" | "logger"> & Partial<Pick<Ports, "metrics">>;

/**
 * The AI gateway: model tiers with failover before the first token, a circuit breaker per
 * model, an exact-match cache in the cache port, cost tracking with a daily budget per user,
 * and one `ai_interactions` row per call.
 */
export function createGateway(deps: GatewayDeps, upstream?: Upstream) {
  const ai = deps.config.ai;
  const helicone = ai.heliconeApiKey;
  const model = ai.baseUrl
    ? (upstream ??
      createOpenAIUpstream({
        baseUrl: ai.baseUrl,
        apiKey: ai.apiKey,
        ...(helicone ? { defaultHeaders: { "Helicone-Auth": `Bearer ${helicone}` } } : {}),
      }))
    : undefined;
  const breakers = new Map<string, ReturnType<typeof circuitBreaker>>();
  const breakerFor = (name: string) => {
    let breaker = breakers.get(name);
    if (!breaker) {
      // Three failures in a row open the circuit; after 30 s one call probes the model again.
      breaker = circuitBreaker(
        handleWhen((e) => e instanceof ModelError && e.retryable),
        { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(3) },
      );
      breakers.set(name, breaker);
    }
    return breaker;
  };

  const tiers = (tier: Tier): string[] => {
    const { primary, fallback, fast } = ai.models;
    return [...new Set(tier === "fast" ? [fast, fallback, primary] : [primary, fallback])];
  };

  const spend = createSpendLedger(deps);
  const slots = createStreamSlots(deps);

  async function assertBudget(userId: string): Promise<void> {
    if (ai.dailyBudgetCents <= 0) return;
    const { cents, renewsAt } = await spend.today(userId);
    if (cents >= ai.dailyBudgetCents) {
      throw new RateLimitError(
        (renewsAt.getTime() - Date.now()) / 1000,
        `Your daily AI budget of $${(ai.dailyBudgetCents / 100).toFixed(2)} is spent; it renews at 00:00 UTC.`,
      );
    }
  }

  function cacheKey(call: AiCall, first: string): string {
    const normalized = call.messages.map((m) => ({
      role: m.role,
      content: m.content.replaceAll("\r\n", "\n").replace(/[ \t]+$/gm, ""),
    }));
    const params = { max: call.maxTokens, t: call.temperature, stop: call.stop, json: call.json ?? false };
    const digest = new Bun.CryptoHasher("sha256")
      .update(JSON.stringify({ model: first, messages: normalized, params }))
      .digest("hex");
    return `ai:answer:${digest}`;
  }

  /**
   * `ai_interactions` rows, group-committed: answers that end together (a burst of streams)
   * share a few multi-row INSERTs instead of one statement and commit each. Each caller still
   * waits for its own row's commit. With PostgreSQL inside the process (PGlite) every
   * statement also leaves garbage on two threads: 500 answers ending in one burst peaked
   * ≈25 MB higher, at ≈1 s more CPU, row by row than batched (test/bench/ai.ts).
   */
  const interactions = new BatchWriter<NewAiInteraction>(async (rows) =>
    recordInteractions(await deps.db.get(), rows),
  );

  async function record(call: AiCall, result: Omit<AiResult, "failovers">, error?: string): Promise<void> {
    const metrics = deps.metrics;
    // Tokens and cost the upstream charged for: a cache hit charged nothing.
    if (metrics && result.model && !result.cacheHit) {
      metrics.aiTokens.inc({ model: result.model, direction: "input" }, result.tokens.input);
      metrics.aiTokens.inc({ model: result.model, direction: "output" }, result.tokens.output);
      metrics.aiCost.inc({ model: result.model }, result.cost);
    }
    if (!error) metrics?.aiCache.inc({ result: result.cacheHit ? "hit" : "miss" });
    // Never rejects: a free hit's record runs after its answer with no one awaiting it, and a
    // database that is unavailable (or closing) must cost a log line, not the process.
    await interactions
      .add({
        userId: call.userId,
        projectId: call.projectId ?? null,
        requestType: call.type,
        model: result.model,
        requestData: call.requestData ?? {},
        responseData: error ? stoppedAnswer(call, result.text, error) : { text: result.text },
        tokensInput: result.tokens.input,
        tokensOutput: result.tokens.output,
        cost: result.cost,
        latencyMs: Math.round(result.latency),
        cacheHit: result.cacheHit,
        error: error ?? null,
      })
      .then(() => spend.add(call.userId, result.cost))
      .catch((err: unknown) => deps.logger.error({ err }, "ai interaction not recorded"));
  }

  /** Open a stream on one model and wait for its first event, within the first-token timeout. */
  async function open(name: string, call: AiCall) {
    const attempt = new AbortController();
    const onAbort = () => attempt.abort(call.signal?.reason);
    call.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(
      () => attempt.abort(new ModelError(`no answer within ${ai.timeoutMs / 1000} s`, true)),
      ai.timeoutMs,
    );
    const headers: Record<string, string> = helicone
      ? {
          "Helicone-User-Id": call.userId,
          "Helicone-Property-Project": call.projectId ?? "none",
          "Helicone-Property-Type": call.type,
          "Helicone-Cache-Enabled": call.cache && ai.cacheTtlSeconds > 0 ? "true" : "false",
          "Cache-Control": `max-age=${ai.cacheTtlSeconds}`,
        }
      : {};
    const events = (model as Upstream)
      .stream({
        model: name,
        messages: call.messages,
        ...(call.maxTokens !== undefined ? { maxTokens: call.maxTokens } : {}),
        ...(call.temperature !== undefined ? { temperature: call.temperature } : {}),
        ...(call.stop ? { stop: call.stop } : {}),
        ...(call.json ? { json: true } : {}),
        headers,
        signal: attempt.signal,
      })
      [Symbol.asyncIterator]();
    const done = () => {
      clearTimeout(timer);
      call.signal?.removeEventListener("abort", onAbort);
    };
    try {
      const first = await events.next();
      clearTimeout(timer);
      return { events, first, done };
    } catch (error) {
      done();
      throw error;
    }
  }

  async function* stream(call: AiCall): AsyncGenerator<AiEvent> {
    if (!model) throw new UnavailableError(AI_OFF_MESSAGE);
    const started = performance.now();
    const order = tiers(call.tier);
    const useCache = call.cache && ai.cacheTtlSeconds > 0;
    const key = useCache ? cacheKey(call, order[0] as string) : undefined;

    const cached = key ? await deps.cache.get(key) : null;
    if (cached) {
      const hit = JSON.parse(cached) as { text: string; model: string; tokens: AiResult["tokens"] };
      // Replayed as a stream: word by word, at once, but letting other requests in between.
      const words = hit.text.match(/\s*\S+\s*/g) ?? [];
      const budget = turnBudget();
      for (let i = 0; i < words.length; i += REPLAY_BATCH) {
        await budget.pause();
        yield { type: "tokens", texts: words.slice(i, i + REPLAY_BATCH) };
      }
      const result = { ...hit, cost: 0, latency: performance.now() - started, cacheHit: true };
      // A hit is free, so nothing is charged by its row: a completion or analysis answers
      // without waiting for the insert (≈1–2 ms on PGlite, most of a hit's time). A chat's row
      // is its turn in the conversation, which the next message must read, so it is awaited.
      if (call.type === "chat") await record(call, result);
      else void record(call, result);
      yield { type: "done", result: { ...result, failovers: [] } };
      return;
    }
    // Only a call that reaches a model costs money: a cached answer is free, so it is served
    // even past the budget, and without summing the day's spending first.
    await assertBudget(call.userId);

    const failovers: AiResult["failovers"] = [];
    for (const name of order) {
      let opened: Awaited<ReturnType<typeof open>>;
      try {
        opened = await breakerFor(name).execute(() => open(name, call));
      } catch (error) {
        if (call.signal?.aborted) throw error;
        if (error instanceof BrokenCircuitError) {
          failovers.push({ model: name, reason: "circuit open after repeated failures" });
          deps.metrics?.aiFailovers.inc({ model: name });
          continue;
        }
        if (error instanceof ModelError && error.retryable) {
          deps.logger.warn({ model: name, reason: error.message }, "ai model failed; trying the next tier");
          failovers.push({ model: name, reason: error.message });
          deps.metrics?.aiFailovers.inc({ model: name });
          continue;
        }
        throw new UpstreamError(error instanceof Error ? error.message : String(error), error);
      }
      yield* relay(call, name, opened, started, failovers, key);
      return;
    }
    const why = failovers.map((f) => `${f.model}: ${f.reason}`).join("; ");
    await record(
      call,
      {
        text: "",
        model: order.at(-1) as string,
        tokens: { input: 0, output: 0 },
        cost: 0,
        latency: performance.now() - started,
        cacheHit: false,
      },
      `every model failed — ${why}`,
    );
    throw new UpstreamError(`The AI models are unavailable right now (${why}).`);
  }

  /** Pass a model's answer on as it arrives, then account for it. */
  async function* relay(
    call: AiCall,
    name: string,
    opened: Awaited<ReturnType<typeof open>>,
    started: number,
    failovers: AiResult["failovers"],
    key: string | undefined,
  ): AsyncGenerator<AiEvent> {
    let text = "";
    let usage: { input: number; output: number } | undefined;
    let completed = false;
    let settled: Promise<AiResult | undefined> | undefined;
    // Account for the call exactly once, however it ends: finished, failed, or abandoned by a
    // client that went away (then the request's abort fires while this generator sits
    // suspended at a yield, and nothing else would run its finally).
    const settle = (error?: string) => {
      settled ??= (async () => {
        opened.done();
        call.signal?.removeEventListener("abort", onAbort);
        await opened.events.return?.();
        const tokens = usage ?? (await countTokens(call.messages, text));
        const result = {
          text,
          model: name,
          tokens,
          cost: costCents(priceOf(name, ai.prices), tokens),
          latency: performance.now() - started,
          cacheHit: false,
        };
        await record(call, result, error);
        if (error) return undefined;
        if (key && text)
          await deps.cache.set(key, JSON.stringify({ text, model: name, tokens }), ai.cacheTtlSeconds);
        return { ...result, failovers };
      })();
      return settled;
    };
    const onAbort = () => void settle("cancelled");
    call.signal?.addEventListener("abort", onAbort, { once: true });
    let finished: AiResult | undefined;
    // An upstream that is faster than this process (or an answer it has buffered) must not
    // hold the event loop for the whole answer.
    const budget = turnBudget();
    try {
      let next = opened.first;
      while (!next.done) {
        const event = next.value;
        if (event.type === "usage") usage = { input: event.input, output: event.output };
        else {
          for (const delta of event.texts) text += delta;
          await budget.pause();
          yield { type: "tokens", texts: event.texts };
        }
        next = await opened.events.next();
      }
      completed = true;
    } catch (failure) {
      const reason = call.signal?.aborted
        ? "cancelled"
        : failure instanceof Error
          ? failure.message
          : String(failure);
      await settle(reason);
      throw failure instanceof ModelError ? new UpstreamError(failure.message, failure) : failure;
    } finally {
      // Also reached when the consumer stops iterating early (Stop).
      finished = await settle(completed ? undefined : "cancelled");
    }
    // A consumer that stopped early never gets here.
    if (finished) yield { type: "done", result: finished };
  }

  return {
    /** Whether a model is configured at all. */
    get enabled() {
      return model !== undefined;
    },
    stream,
    /**
     * Take one of the user's AI_MAX_STREAMS_PER_USER slots for a call, or throw 429. Take it
     * before preparing the call (a refused one costs nothing) and release it when the answer has
     * been passed on; it is released anyway when `signal` aborts.
     */
    slot: slots.take,
    /** How many of the user's AI calls hold a slot now. */
    inProgress: slots.inProgress,
    /** The whole answer at once (same failover, cache and accounting). */
    async complete(call: AiCall): Promise<AiResult> {
      for await (const event of stream(call)) if (event.type === "done") return event.result;
      throw new UpstreamError("The AI answer ended without a result");
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;
