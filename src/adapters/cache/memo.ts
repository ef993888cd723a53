import { LRUCache } from "lru-cache";
import { sharedRun } from "../../shared-run.ts";
import type { Cache } from "./types.ts";

/**
 * A read-through memo of database reads, kept in this process and made coherent across
 * instances by a *generation* per scope held in the shared cache.
 *
 * A scope (e.g. one project's data) has a random generation string in the cache port.
 * Reads are memoized under the generation observed *before* loading; a write changes the
 * generation *after* it commits, so every entry loaded before the write is never read again.
 * Generations are random, never counters, so a cache server that restarts empty cannot bring
 * an old generation (and its stale entries) back. With no generation in the cache (first use,
 * expiry, or the server unreachable) a new one is stored *before* loading, so no write that
 * committed earlier can be missed; if the server cannot store it, nothing read under it is
 * ever looked up again.
 *
 * Concurrent reads of the same value share one load (and concurrent first reads of a scope one
 * new generation): a burst of requests for the same conversation or project costs one query.
 *
 * One case stays stale for a bounded time: a write made while this instance cannot reach the
 * shared cache cannot announce itself, so entries also expire after `maxAgeMs`.
 */
export interface Memo {
  /**
   * The value for `key` in `scope`, loaded with `load` on a miss. `undefined` (not found) is
   * never kept. Values are shared between requests: treat them as read-only.
   */
  read<T extends object>(
    scope: string,
    key: string,
    load: () => Promise<T | undefined>,
    bytes?: (value: T) => number,
  ): Promise<T | undefined>;
  /**
   * Forget everything read in `scope` (or in each of several scopes), on every instance sharing
   * the cache. Call after the write commits.
   */
  invalidate(scope: string | readonly string[]): Promise<void>;
  /**
   * Run a write to data in `scope` (or several), then invalidate it — also when the write failed
   * part-way (an extra invalidation costs one reload; a missed one would serve stale data).
   */
  writing<T>(scope: string | readonly string[], write: () => Promise<T>): Promise<T>;
}

export interface MemoOptions {
  /** Upper bound on the memory the kept values take, estimated by `bytes`. Defaults to 64 MiB. */
  maxBytes?: number;
  /** How long a kept value may be served at most. Defaults to 60 s. */
  maxAgeMs?: number;
}

/** How long a scope's generation lives in the shared cache without a write. */
const GENERATION_TTL_SECONDS = 24 * 60 * 60;
/** What a value is assumed to take when its reader gives no estimate. */
const DEFAULT_BYTES = 512;

export function createMemo(cache: Cache, options: MemoOptions = {}): Memo {
  const kept = new LRUCache<string, object>({
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    ttl: options.maxAgeMs ?? 60_000,
    // Values larger than a tenth of the budget are not worth evicting everything else for.
    maxEntrySize: Math.floor((options.maxBytes ?? 64 * 1024 * 1024) / 10),
  });
  const generationKey = (scope: string) => `memo:gen:${scope}`;
  /** Store a new generation for `scope` (retiring everything kept under the old one); returns it. */
  const newGeneration = async (scope: string) => {
    const generation = crypto.randomUUID();
    await cache.set(generationKey(scope), generation, GENERATION_TTL_SECONDS);
    return generation;
  };
  /** Loads in flight, by slot; and first generations being stored, by scope. */
  const loading = new Map<string, Promise<object | undefined>>();
  const starting = new Map<string, Promise<string>>();

  /** A generation for a scope that has none, shared by the reads that found none at once. */
  const firstGeneration = (scope: string) => sharedRun(starting, scope, () => newGeneration(scope));

  return {
    async read<T extends object>(
      scope: string,
      key: string,
      load: () => Promise<T | undefined>,
      bytes?: (value: T) => number,
    ) {
      const generation = (await cache.get(generationKey(scope))) ?? (await firstGeneration(scope));
      const slot = `${scope}\u0000${generation}\u0000${key}`;
      const hit = kept.get(slot);
      if (hit !== undefined) return hit as T;
      return sharedRun(loading, slot, async () => {
        const value = await load();
        if (value !== undefined) {
          const size = Math.max(1, Math.ceil(bytes?.(value) ?? DEFAULT_BYTES));
          if (size <= kept.maxEntrySize) kept.set(slot, value, { size });
        }
        return value;
      }) as Promise<T | undefined>;
    },
    async invalidate(scope) {
      await retire(scope);
    },
    async writing(scope, write) {
      try {
        return await write();
      } finally {
        await retire(scope);
      }
    },
  };

  async function retire(scope: string | readonly string[]) {
    if (typeof scope === "string") await newGeneration(scope);
    else await Promise.all([...new Set(scope)].map(newGeneration));
  }
}

/**
 * The memo scope of one user's own data: their account row and their list of projects (owned
 * and shared), which changes whenever one of those projects does.
 */
export function userScope(userId: string): string {
  return `user:${userId}`;
}

/**
 * The memo scope of one project's data, whoever reads it: the project row with each member's
 * role, its members, its summary, its file listing and its files.
 */
export function projectScope(projectId: string): string {
  return `project:${projectId}`;
}

/** The memo scope of one session (a refresh-token family): whether it is still active. */
export function sessionScope(sessionId: string): string {
  return `session:${sessionId}`;
}
