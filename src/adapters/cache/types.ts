/** Outcome of taking points from a rate limiter. */
export interface LimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets (or the block ends). */
  resetMs: number;
}

export interface LimiterOptions {
  /** Namespace for the counters, e.g. "login". */
  name: string;
  points: number;
  durationSeconds: number;
  /** Once exhausted, block the key this long (defaults to the rest of the window). */
  blockSeconds?: number;
}

/** A fixed-window counter per key; shared across instances when the cache is shared. */
export interface RateLimiter {
  consume(key: string, points?: number): Promise<LimitResult>;
  /** Current state without consuming. */
  peek(key: string): Promise<LimitResult>;
  reset(key: string): Promise<void>;
}

export type Unsubscribe = () => Promise<void>;

/** One held slot of a counted resource (see `Cache.lease`). */
export interface Lease {
  /** Hold the slot for another TTL; false when it had already lapsed (its slot may be taken again). */
  renew(): Promise<boolean>;
  /** Give the slot back; harmless when done twice or after it lapsed. */
  release(): Promise<void>;
}

/**
 * The cache port: short-lived values, counters, limits and cross-instance events.
 * A cache that loses its server degrades (misses, local limits, local events); it never throws
 * for an unreachable server.
 */
export interface Cache {
  readonly kind: "memory" | "redis";
  get(key: string): Promise<string | null>;
  /** Store a value; `ttlSeconds` omitted keeps it until deleted. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Add `by` (default 1) and return the new value; the TTL is set when the key is created. */
  incr(key: string, ttlSeconds?: number, by?: number): Promise<number>;
  limiter(options: LimiterOptions): RateLimiter;
  /**
   * Take one of `limit` slots under `key` for `ttlSeconds`, or null when all are held: a count of
   * things in progress, shared across instances when the cache is. A holder renews its lease
   * while it works; one that stops (a crashed instance) frees its slot once the TTL passes.
   */
  lease(key: string, limit: number, ttlSeconds: number): Promise<Lease | null>;
  /** How many unexpired leases `key` has. */
  leases(key: string): Promise<number>;
  /** Deliver `message` to every subscriber of `channel` on every instance, this one included. */
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>;
  /** Throws when the backing server is unreachable (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
