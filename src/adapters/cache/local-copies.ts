import { LRUCache } from "lru-cache";
import type { Logger } from "../../logger.ts";
import type { Cache, Unsubscribe } from "./types.ts";

export interface LocalCopiesOptions<V extends object> {
  /** The pub/sub channel the keys of changed copies are announced on. */
  channel: string;
  /** Shares invalidations between instances (Redis-backed in production); without it, this process only. */
  cache?: Pick<Cache, "publish" | "subscribe"> | undefined;
  logger?: Pick<Logger, "warn"> | undefined;
  /** Names the copies in warnings ("code index", "vector store"). */
  what: string;
  /** Copies kept at once; the least recently used goes first. */
  max: number;
  /**
   * How long a copy may serve without an invalidation: one announced while this instance could
   * not hear it (the shared cache reconnecting) is lost, and this bounds how long a stale copy serves.
   */
  maxAgeMs: number;
  load: (key: string) => Promise<V>;
}

/**
 * Large values derived from stored data and kept in this process, one per key (a project's
 * vector matrix, its keyword index), made coherent across instances by the cache's pub/sub: a
 * write calls `changed(key)`, which drops the copy here at once and announces the key; every
 * instance drops its copy and loads it again on next use.
 *
 * Announcing suits copies too large to keep in the shared cache and read on every request,
 * unlike the read memo (memo.ts), whose per-scope generation is checked on every read so a
 * missed announcement cannot serve stale access rules or files.
 *
 * Concurrent gets share one load; a failed load is not kept (the next get retries); a copy
 * dropped while it loads still answers the gets waiting for it but is not kept either.
 */
export class LocalCopies<V extends object> {
  readonly #copies: LRUCache<string, V>;
  readonly #subscription: Promise<Unsubscribe | undefined>;

  constructor(private readonly options: LocalCopiesOptions<V>) {
    this.#copies = new LRUCache<string, V>({
      max: options.max,
      ttl: options.maxAgeMs,
      ignoreFetchAbort: true,
      fetchMethod: (key) => options.load(key),
    });
    const cache = options.cache;
    this.#subscription = cache
      ? cache
          .subscribe(options.channel, (key) => this.#copies.delete(key))
          .catch((err) => {
            options.logger?.warn({ err }, `${options.what}: cannot subscribe to invalidations`);
            return undefined;
          })
      : Promise.resolve(undefined);
  }

  /** The copy for `key`, loaded on first use. */
  get(key: string): Promise<V> {
    return this.#copies.forceFetch(key);
  }

  /** The data behind `key` changed: forget the copy here at once, then tell every instance (this one hears it too, harmlessly). */
  async changed(key: string): Promise<void> {
    this.#copies.delete(key);
    try {
      await this.options.cache?.publish(this.options.channel, key);
    } catch (err) {
      this.options.logger?.warn({ err }, `${this.options.what}: cannot publish an invalidation`);
    }
  }

  /** Stop listening for other instances' invalidations. */
  async close(): Promise<void> {
    await (await this.#subscription)?.();
  }
}
