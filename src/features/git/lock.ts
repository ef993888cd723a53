import { ConflictError } from "../../errors.ts";
import type { Ports } from "../../ports.ts";

const LEASE_SECONDS = 60;

/**
 * Run one git operation of a project at a time, across every instance that shares the cache
 * (a lease, renewed while the operation runs). A second operation meanwhile is a 409; the
 * repository row's version check catches any that slip past a lapsed lease.
 */
export async function withGitLock<T>(deps: Pick<Ports, "cache">, projectId: string, run: () => Promise<T>) {
  const lease = await deps.cache.lease(`git-op:${projectId}`, 1, LEASE_SECONDS);
  if (!lease)
    throw new ConflictError("Another git operation on this project is in progress; try again shortly");
  const renew = setInterval(() => void lease.renew(), (LEASE_SECONDS * 1000) / 3);
  try {
    return await run();
  } finally {
    clearInterval(renew);
    await lease.release();
  }
}
