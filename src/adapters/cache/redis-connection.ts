import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../../logger.ts";
import { redactUrls } from "../../logger.ts";

/** Longest pause between reconnection attempts; reconnection itself never stops. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * Connection options for an HTTP server that must never wait on Redis: commands fail at once
 * while disconnected (the cache then degrades), a reply slower than `commandTimeoutMs` counts as
 * an outage, and reconnection retries forever with capped backoff.
 */
function connectionOptions(commandTimeoutMs: number): RedisOptions {
  return {
    enableOfflineQueue: false,
    // A command caught by a disconnect fails on the spot (and falls back) instead of after a retry.
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: commandTimeoutMs,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
    // A command cut off by a disconnect has already been answered from the fallback; replaying it
    // after the reconnect would apply a stale write.
    autoResendUnfulfilledCommands: false,
    // The cache resubscribes itself on "ready", including channels subscribed during an outage.
    autoResubscribe: false,
    // Connecting starts at construction (it never blocks); ping() waits for it when asked to.
    lazyConnect: false,
  };
}

/** Open a connection to `url` with the fail-fast options above. */
export function openConnection(url: string, commandTimeoutMs: number, name: string): Redis {
  return new Redis(url, { ...connectionOptions(commandTimeoutMs), connectionName: name });
}

/** True for an error Redis itself replied with (a bug in the call), as opposed to a lost connection. */
export function isReplyError(err: unknown): boolean {
  return err instanceof Error && err.name === "ReplyError";
}

/**
 * Remembers whether Redis is currently considered down, so one outage costs one warning and one
 * recovery line however many requests run into it.
 */
export class OutageLog {
  #down = false;

  constructor(
    private readonly logger: Logger,
    private readonly url: string,
  ) {}

  markDown(err?: unknown): void {
    if (this.#down) return;
    this.#down = true;
    const reason = err instanceof Error ? redactUrls(err.message) : "connection closed";
    this.logger.warn(
      { redis: redactUrls(this.url), reason },
      "Redis unreachable; cache degraded to in-process (misses, local counters, limits and events)",
    );
  }

  markUp(): void {
    if (!this.#down) return;
    this.#down = false;
    this.logger.info({ redis: redactUrls(this.url) }, "Redis reachable again; shared cache restored");
  }
}

/**
 * Wait until `client` is ready, at most `timeoutMs`. Resolves false on timeout, on an error, or
 * at once when the client is not in its first connection attempt (a reconnect is not waited for).
 */
export function whenFirstReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === "ready") return Promise.resolve(true);
  if (client.status !== "connecting" && client.status !== "connect" && client.status !== "wait") {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const finish = (ready: boolean) => {
      clearTimeout(timer);
      client.off("ready", onReady);
      client.off("error", onFail);
      client.off("close", onFail);
      resolve(ready);
    };
    const onReady = () => finish(true);
    const onFail = () => finish(false);
    const timer = setTimeout(onFail, timeoutMs);
    client.on("ready", onReady);
    client.on("error", onFail);
    client.on("close", onFail);
  });
}
