import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Logger } from "../../logger.ts";
import { limiterId, limiterSettings, wrapLimiter } from "./limiter.ts";
import type { Cache, LimiterOptions, RateLimiter, Unsubscribe } from "./types.ts";

interface Entry {
  value: string;
  /** Epoch milliseconds; Infinity for no expiry. */
  expiresAt: number;
}

interface Subscription {
  handler: (message: string) => void;
}

/** Tuning for the in-process cache; the defaults suit a server. */
export interface MemoryCacheOptions {
  /** How often expired entries nobody reads again are dropped. */
  sweepIntervalMs?: number;
}

/** Convert the port's TTL in seconds (fractions allowed) to milliseconds; undefined means none. */
export function ttlToMs(ttlSeconds: number | undefined): number | undefined {
  if (ttlSeconds === undefined) return undefined;
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

/**
 * The embedded cache: one process, no server. Values, counters, limits and events live in this
 * process only, so use it for a single instance (or as the Redis cache's fallback), never to share
 * state between instances.
 */
export class MemoryCache implements Cache {
  readonly kind = "memory" as const;
  readonly #entries = new Map<string, Entry>();
  readonly #limiters = new Map<string, RateLimiter>();
  readonly #channels = new Map<string, Set<Subscription>>();
  readonly #sweep: ReturnType<typeof setInterval>;

  constructor(
    private readonly logger: Logger,
    options: MemoryCacheOptions = {},
  ) {
    // Lazy expiry alone would keep keys that are written once and never read again.
    this.#sweep = setInterval(() => this.#sweepExpired(), options.sweepIntervalMs ?? 60_000);
    this.#sweep.unref();
  }

  async get(key: string): Promise<string | null> {
    return this.#live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    const ttlMs = ttlToMs(ttlSeconds);
    this.#entries.set(key, { value, expiresAt: ttlMs === undefined ? Infinity : Date.now() + ttlMs });
  }

  async del(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async incr(key: string, ttlSeconds?: number, by = 1): Promise<number> {
    const entry = this.#live(key);
    if (!entry) {
      await this.set(key, String(by), ttlSeconds);
      return by;
    }
    const current = Number(entry.value);
    // Same refusal as Redis INCRBY, so callers see one behaviour whichever cache is configured.
    if (!/^-?\d+$/.test(entry.value) || !Number.isSafeInteger(current)) {
      throw new Error(`cache: value at "${key}" is not an integer`);
    }
    entry.value = String(current + by);
    return current + by;
  }

  limiter(options: LimiterOptions): RateLimiter {
    const id = limiterId(options);
    let limiter = this.#limiters.get(id);
    if (!limiter) {
      const store = new RateLimiterMemory(limiterSettings(options, `rl:${options.name}`));
      limiter = wrapLimiter(store, options.points);
      this.#limiters.set(id, limiter);
    }
    return limiter;
  }

  async publish(channel: string, message: string): Promise<void> {
    if (!this.#channels.has(channel)) return;
    // Deliver on a later tick, as Redis would: a handler never runs inside the publisher's call.
    setImmediate(() => {
      for (const subscription of [...(this.#channels.get(channel) ?? [])]) {
        try {
          subscription.handler(message);
        } catch (err) {
          this.logger.error({ err, channel }, "cache subscriber threw");
        }
      }
    });
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    const subscription: Subscription = { handler };
    let subscriptions = this.#channels.get(channel);
    if (!subscriptions) {
      subscriptions = new Set();
      this.#channels.set(channel, subscriptions);
    }
    subscriptions.add(subscription);
    return async () => {
      subscriptions.delete(subscription);
      if (subscriptions.size === 0 && this.#channels.get(channel) === subscriptions) {
        this.#channels.delete(channel);
      }
    };
  }

  /** Entries held, expired ones included until read or swept (for metrics and tests). */
  get size(): number {
    return this.#entries.size;
  }

  /** Number of local subscriptions to `channel` (the Redis cache uses it to manage its own). */
  subscriberCount(channel: string): number {
    return this.#channels.get(channel)?.size ?? 0;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#entries.clear();
    this.#channels.clear();
    this.#limiters.clear();
  }

  #live(key: string, now = Date.now()): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweepExpired(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}
