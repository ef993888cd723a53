import { RateLimitError } from "../../errors.ts";
import type { Ports } from "../../ports.ts";

/** How long a slot outlives its holder's last renewal: what an instance that crashed mid-answer holds on to. */
const LEASE_SECONDS = 30;
/** What a refused caller is told to wait: about as long as a short answer takes. */
const RETRY_AFTER_SECONDS = 5;

/** Gives a slot back; safe to call more than once. */
export type Release = () => Promise<void>;

/**
 * Each user's AI calls in progress, at most AI_MAX_STREAMS_PER_USER at once: one user's burst of
 * long answers must not take the server's event loop and memory from everyone else. Counted in
 * the cache port, so across every instance that shares Redis (per instance while it is
 * unreachable); a slot is a lease renewed while its call runs, so one held by an instance that
 * crashed frees itself within LEASE_SECONDS.
 */
export function createStreamSlots(deps: Pick<Ports, "cache" | "config" | "logger">) {
  const limit = deps.config.ai.maxStreamsPerUser;
  const keyOf = (userId: string) => `ai:streams:${userId}`;
  return {
    /**
     * Take one of the user's slots or throw 429. The slot is given back by the returned function
     * or, at the latest, when `signal` aborts (a client that went away).
     */
    async take(userId: string, signal?: AbortSignal): Promise<Release> {
      if (limit === 0) return async () => {};
      const lease = await deps.cache.lease(keyOf(userId), limit, LEASE_SECONDS);
      if (!lease) {
        throw new RateLimitError(
          RETRY_AFTER_SECONDS,
          `You have ${limit} AI answers in progress. Wait for one to finish, or stop one, then ask again.`,
        );
      }
      const renewal = setInterval(
        () => {
          lease.renew().then(
            (held) => held || deps.logger.warn({ userId }, "an AI call outlived its slot's lease"),
            (err: unknown) => deps.logger.warn({ err, userId }, "renewing an AI call's slot failed"),
          );
        },
        (LEASE_SECONDS * 1000) / 3,
      );
      renewal.unref();
      let released: Promise<void> | undefined;
      const release: Release = () => {
        released ??= (async () => {
          clearInterval(renewal);
          signal?.removeEventListener("abort", onAbort);
          await lease.release().catch((err: unknown) => {
            // Not fatal: the lease lapses by itself.
            deps.logger.warn({ err, userId }, "releasing an AI call's slot failed");
          });
        })();
        return released;
      };
      const onAbort = () => void release();
      signal?.addEventListener("abort", onAbort, { once: true });
      return release;
    },
    /** How many of the user's AI calls are in progress now (on every instance sharing the cache). */
    inProgress: (userId: string) => deps.cache.leases(keyOf(userId)),
  };
}
