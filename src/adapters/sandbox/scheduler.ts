import type { LocalRunner } from "./local.ts";
import type { QueuedEvent, RunEvent, RunLimits, RunRequest, SandboxRunner } from "./types.ts";

export interface SchedulerOptions {
  /** Runs at once across all users (default: the runner's slots, else the CPU count). */
  concurrency?: number;
  /** Runs at once per user (default 2). */
  perUser?: number;
}

/** Runs requests through a runner with a global and a per-user concurrency limit. */
export interface SandboxScheduler {
  readonly limits: RunLimits;
  status(): ReturnType<SandboxRunner["status"]>;
  /**
   * Queue a run. The first event is always `queued` (position 0 = starting now), repeated
   * while waiting as the position changes; then the runner's events. Aborting the
   * request's signal while queued ends with an `exit` whose error is "cancelled".
   */
  run(request: RunRequest, userId: string): AsyncIterable<RunEvent | QueuedEvent>;
  stats(): { running: number; queued: number };
  close(): Promise<void>;
}

interface Job {
  userId: string;
  slot?: number;
  wake: () => void;
}

/**
 * Wrap a runner in a fair scheduler: queued users are served round-robin (FIFO within a
 * user), so one user's burst does not starve another's single run.
 */
export function createScheduler(
  runner: SandboxRunner | LocalRunner,
  options: SchedulerOptions = {},
): SandboxScheduler {
  const concurrency = Math.max(
    1,
    options.concurrency ?? ("slots" in runner ? runner.slots : (navigator.hardwareConcurrency ?? 1)),
  );
  const perUser = Math.max(1, options.perUser ?? 2);
  const freeSlots = Array.from({ length: concurrency }, (_, i) => i);
  const running = new Map<string, number>();
  const queues = new Map<string, Job[]>();
  /** Users with queued jobs, in the order they will be served next. */
  const ring: string[] = [];

  const notifyAll = (): void => {
    for (const queue of queues.values()) for (const job of queue) job.wake();
  };

  const dispatch = (): void => {
    while (freeSlots.length > 0) {
      const index = ring.findIndex((user) => (running.get(user) ?? 0) < perUser);
      if (index < 0) break;
      const [user] = ring.splice(index, 1) as [string];
      const queue = queues.get(user) ?? [];
      const job = queue.shift() as Job;
      if (queue.length > 0) ring.push(user);
      else queues.delete(user);
      job.slot = freeSlots.shift() as number;
      running.set(user, (running.get(user) ?? 0) + 1);
      job.wake();
    }
    notifyAll();
  };

  /** Runs ahead of `job` in round-robin order (per-user limits ignored: an estimate). */
  const position = (job: Job): number => {
    const own = queues.get(job.userId) ?? [];
    const k = own.indexOf(job);
    const r = ring.indexOf(job.userId);
    let ahead = k;
    ring.forEach((user, i) => {
      if (user !== job.userId) ahead += Math.min(queues.get(user)?.length ?? 0, k + (i < r ? 1 : 0));
    });
    return ahead + 1;
  };

  const remove = (job: Job): void => {
    const queue = queues.get(job.userId);
    if (!queue) return;
    const index = queue.indexOf(job);
    if (index >= 0) queue.splice(index, 1);
    if (queue.length === 0) {
      queues.delete(job.userId);
      const r = ring.indexOf(job.userId);
      if (r >= 0) ring.splice(r, 1);
    }
    notifyAll();
  };

  const cancelled: RunEvent = {
    type: "exit",
    exitCode: null,
    error: "cancelled",
    executionTime: 0,
    truncated: false,
  };

  async function* run(request: RunRequest, userId: string): AsyncGenerator<RunEvent | QueuedEvent> {
    const signal = request.signal;
    let wakeUp: Promise<void> = Promise.resolve();
    const job: Job = { userId, wake: () => undefined };
    const arm = (): void => {
      wakeUp = new Promise<void>((resolve) => {
        job.wake = resolve;
      });
    };
    arm();
    const queue = queues.get(userId);
    if (queue) queue.push(job);
    else {
      queues.set(userId, [job]);
      ring.push(userId);
    }
    let reported = -1;
    try {
      dispatch();
      while (job.slot === undefined) {
        if (signal?.aborted) {
          yield cancelled;
          return;
        }
        const now = position(job);
        if (now !== reported) {
          reported = now;
          yield { type: "queued", position: now };
        }
        if (job.slot !== undefined) break;
        const aborted = new Promise<void>((resolve) =>
          signal?.addEventListener("abort", () => resolve(), { once: true }),
        );
        await Promise.race([wakeUp, aborted]);
        arm();
      }
      if (reported === -1) yield { type: "queued", position: 0 };
      const withUser = { ...request, userId };
      const events = "runInSlot" in runner ? runner.runInSlot(withUser, job.slot) : runner.run(withUser);
      yield* events;
    } finally {
      if (job.slot === undefined) remove(job);
      else {
        running.set(userId, (running.get(userId) ?? 1) - 1);
        if (running.get(userId) === 0) running.delete(userId);
        freeSlots.push(job.slot);
        dispatch();
      }
    }
  }

  return {
    limits: runner.limits,
    status: () => runner.status(),
    run,
    stats: () => ({
      running: concurrency - freeSlots.length,
      queued: [...queues.values()].reduce((sum, q) => sum + q.length, 0),
    }),
    close: () => runner.close(),
  };
}
