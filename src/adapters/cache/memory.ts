import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Logger } from "../../logger.ts";
import { limiterId, limiterSettings, wrapLimiter } from "./limiter.ts";
import type { Cache, Lease, LimiterOptions, RateLimiter, Unsubscribe } from "./types.ts";

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
  /** Leases by key: lease id → expiry (epoch ms). */
  readonly #leases = new Map<string, Map<string, number>>();
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

  async lease(key: string, limit: number, ttlSeconds: number): Promise<Lease | null> {
    const held = this.#liveLeases(key) ?? new Map<string, number>();
    if (held.size >= limit) return null;
    const ttlMs = ttlToMs(ttlSeconds) ?? 1;
    const id = crypto.randomUUID();
    held.set(id, Date.now() + ttlMs);
    this.#leases.set(key, held);
    return {
      renew: async () => {
        const live = this.#liveLeases(key);
        if (!live?.has(id)) return false;
        live.set(id, Date.now() + ttlMs);
        return true;
      },
      release: async () => {
        const live = this.#leases.get(key);
        live?.delete(id);
        if (live?.size === 0) this.#leases.delete(key);
      },
    };
  }

  async leases(key: string): Promise<number> {
    return this.#liveLeases(key)?.size ?? 0;
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
    this.#leases.clear();
  }

  #live(key: string, now = Date.now()): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** The unexpired leases of `key` (expired ones dropped), or undefined when it has none. */
  #liveLeases(key: string, now = Date.now()): Map<string, number> | undefined {
    const held = this.#leases.get(key);
    if (!held) return undefined;
    for (const [id, expiresAt] of held) if (expiresAt <= now) held.delete(id);
    if (held.size > 0) return held;
    this.#leases.delete(key);
    return undefined;
  }

  #sweepExpired(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
    for (const key of [...this.#leases.keys()]) this.#liveLeases(key, now);
  }
}
