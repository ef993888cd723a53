import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { UnavailableError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { limiterId, limiterSettings, wrapLimiter } from "./limiter.ts";
import { MemoryCache, ttlToMs } from "./memory.ts";
import { isReplyError, OutageLog, openConnection, whenFirstReady } from "./redis-connection.ts";
import { defineLeaseCommands, type LeaseCommands } from "./redis-leases.ts";
import type { Cache, Lease, LimiterOptions, RateLimiter, Unsubscribe } from "./types.ts";

/** How to reach Redis and how to namespace this cache in it. */
export interface RedisCacheOptions {
  url: string;
  /** Prepended to every key and channel; tests use a random one per run. Defaults to "aura:". */
  prefix?: string;
  /** A reply slower than this counts as an outage. Defaults to 500 ms. */
  commandTimeoutMs?: number;
}

// Creates the counter with its TTL atomically, so a crash between the two can't leave a
// counter that never expires.
const INCR_WITH_TTL = `
local created = redis.call('exists', KEYS[1]) == 0
local value = redis.call('incrby', KEYS[1], ARGV[1])
if created and tonumber(ARGV[2]) > 0 then redis.call('pexpire', KEYS[1], ARGV[2]) end
return value`;

type IncrClient = Redis &
  LeaseCommands & { auraIncr(key: string, by: number, ttlMs: number): Promise<number> };

/**
 * The shared cache, backed by Redis. While Redis is unreachable it degrades instead of failing:
 * reads miss, writes are dropped, counters and limits continue in this process and events reach
 * this instance's subscribers only.
 */
export class RedisCache implements Cache {
  readonly kind = "redis" as const;
  readonly #client: IncrClient;
  readonly #prefix: string;
  readonly #outage: OutageLog;
  readonly #local: MemoryCache;
  readonly #limiters = new Map<string, RateLimiter>();
  readonly #channels = new Set<string>();
  #subscriber: Redis | undefined;
  #closing = false;

  constructor(
    private readonly options: RedisCacheOptions,
    private readonly logger: Logger,
  ) {
    this.#prefix = options.prefix ?? "aura:";
    this.#local = new MemoryCache(logger);
    this.#outage = new OutageLog(logger, options.url);
    this.#client = openConnection(options.url, options.commandTimeoutMs ?? 500, "aura") as IncrClient;
    this.#client.defineCommand("auraIncr", { numberOfKeys: 1, lua: INCR_WITH_TTL });
    defineLeaseCommands(this.#client);
    this.#client.on("ready", () => this.#outage.markUp());
    this.#client.on("error", (err: Error) => this.#closing || this.#outage.markDown(err));
    this.#client.on("close", () => this.#closing || this.#outage.markDown());
  }

  async get(key: string): Promise<string | null> {
    return this.#run(
      "get",
      (c) => c.get(this.#prefix + key),
      () => null,
    );
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    const ttlMs = ttlToMs(ttlSeconds);
    const k = this.#prefix + key;
    await this.#run(
      "set",
      (c) => (ttlMs === undefined ? c.set(k, value) : c.set(k, value, "PX", ttlMs)),
      () => null,
    );
  }

  async del(key: string): Promise<void> {
    await this.#run(
      "del",
      (c) => c.del(this.#prefix + key),
      () => 0,
    );
  }

  async incr(key: string, ttlSeconds?: number, by = 1): Promise<number> {
    const ttlMs = ttlToMs(ttlSeconds) ?? 0;
    return this.#run(
      "incr",
      (c) => c.auraIncr(this.#prefix + key, by, ttlMs).then(Number),
      () => this.#local.incr(key, ttlSeconds, by),
    );
  }

  limiter(options: LimiterOptions): RateLimiter {
    const id = limiterId(options);
    let limiter = this.#limiters.get(id);
    if (!limiter) {
      const settings = limiterSettings(options, `${this.#prefix}rl:${options.name}`);
      const store = new RateLimiterRedis({
        ...settings,
        storeClient: this.#client,
        // Skip Redis entirely while it is down, so a limited request never waits for it.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(settings),
      });
      limiter = wrapLimiter(store, options.points);
      this.#limiters.set(id, limiter);
    }
    return limiter;
  }

  async lease(key: string, limit: number, ttlSeconds: number): Promise<Lease | null> {
    const k = this.#prefix + key;
    const ttlMs = ttlToMs(ttlSeconds) ?? 1;
    const id = crypto.randomUUID();
    const taken = await this.#run(
      "lease",
      (c) => c.auraLease(k, limit, ttlMs, id).then((n) => Number(n) === 1),
      () => undefined,
    );
    // While Redis is unreachable the count is this instance's own; such a lease stays local.
    if (taken === undefined) return this.#local.lease(key, limit, ttlSeconds);
    if (!taken) return null;
    return {
      renew: () =>
        this.#run(
          "renew",
          (c) => c.auraRenew(k, id, ttlMs).then((n) => Number(n) === 1),
          () => false,
        ),
      release: async () => {
        await this.#run(
          "release",
          (c) => c.zrem(k, id),
          () => 0,
        );
      },
    };
  }

  async leases(key: string): Promise<number> {
    return this.#run(
      "leases",
      (c) => c.auraLeases(this.#prefix + key).then(Number),
      () => this.#local.leases(key),
    );
  }

  async publish(channel: string, message: string): Promise<void> {
    const sent = await this.#run(
      "publish",
      (c) => c.publish(this.#prefix + channel, message).then(() => true),
      () => false,
    );
    // Local subscribers hear it from Redis only when the message went out and we are listening.
    if (!sent || this.#subscriber?.status !== "ready") await this.#local.publish(channel, message);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    const unsubscribeLocal = await this.#local.subscribe(channel, handler);
    if (!this.#channels.has(channel)) {
      this.#channels.add(channel);
      const subscriber = this.#subscriber ?? this.#openSubscriber();
      // Only a fresh connection is waited for (boundedly); during an outage "ready" resubscribes.
      if (await whenFirstReady(subscriber, 1_000)) await this.#redisSubscribe([channel]);
    }
    return async () => {
      await unsubscribeLocal();
      if (this.#local.subscriberCount(channel) > 0 || !this.#channels.delete(channel)) return;
      if (this.#subscriber?.status !== "ready") return;
      await this.#subscriber.unsubscribe(this.#prefix + channel).catch((err: unknown) => {
        // Harmless: a message for a channel nobody listens to locally is dropped on arrival.
        this.logger.debug({ err, channel }, "Redis unsubscribe failed");
      });
    };
  }

  async ping(): Promise<void> {
    if (!(await whenFirstReady(this.#client, 2_000))) throw new UnavailableError("Redis is unreachable");
    try {
      await this.#client.ping();
    } catch (err) {
      throw new UnavailableError("Redis is unreachable", err);
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([quit(this.#client), this.#subscriber && quit(this.#subscriber)]);
    await this.#local.close();
  }

  /** Run a command when connected, otherwise (or when the connection fails under it) fall back. */
  async #run<T, F>(op: string, command: (client: IncrClient) => Promise<T>, fallback: () => F | Promise<F>) {
    if (this.#client.status !== "ready") return fallback();
    try {
      const result = await command(this.#client);
      this.#outage.markUp();
      return result;
    } catch (err) {
      if (isReplyError(err)) throw new Error(`Redis refused ${op}`, { cause: err });
      this.#outage.markDown(err);
      return fallback();
    }
  }

  #openSubscriber(): Redis {
    const subscriber = openConnection(this.options.url, this.options.commandTimeoutMs ?? 500, "aura-sub");
    subscriber.on("message", (prefixed: string, message: string) => {
      if (!prefixed.startsWith(this.#prefix)) return;
      const channel = prefixed.slice(this.#prefix.length);
      if (this.#channels.has(channel)) void this.#local.publish(channel, message);
    });
    subscriber.on("ready", () => void this.#redisSubscribe([...this.#channels]));
    // The command connection reports outages; this one only needs a listener so errors aren't fatal.
    subscriber.on("error", (err: Error) => this.logger.debug({ err }, "Redis subscriber connection error"));
    this.#subscriber = subscriber;
    return subscriber;
  }

  async #redisSubscribe(channels: string[]): Promise<void> {
    if (channels.length === 0 || !this.#subscriber) return;
    await this.#subscriber.subscribe(...channels.map((c) => this.#prefix + c)).catch((err: unknown) => {
      // The next "ready" retries every channel, so a failure here only delays delivery.
      this.logger.debug({ err, channels }, "Redis subscribe failed");
    });
  }
}

/** Close gracefully when connected, at once otherwise (QUIT can't be queued while offline). */
async function quit(client: Redis): Promise<void> {
  if (client.status !== "ready") return client.disconnect();
  await client.quit().catch(() => client.disconnect());
}
