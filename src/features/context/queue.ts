/**
 * The indexing queue: saves, deletes and renames enqueue a job per file, run in the background by
 * one worker per process (so saves stay fast and two cores are not swamped). A job reads the file
 * as it is when the job runs, so a job already waiting for the same file (or for its whole
 * project) covers a new change: ten quick saves of one file index it once or twice, not ten
 * times. The queue lives in memory; what a crash loses is caught up by the state cache's
 * reconcile (states.ts).
 */
import type { Logger } from "../../logger.ts";

export type IndexJob =
  | { kind: "file"; projectId: string; path: string }
  | { kind: "project"; projectId: string };

export class IndexQueue {
  /** Waiting jobs by key (`f:project:path`, `p:project`), in the order they were first enqueued. */
  private readonly pending = new Map<string, IndexJob>();
  private working = false;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly run: (job: IndexJob) => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  /** A file was saved, created, or moved here: index it soon. */
  fileChanged(projectId: string, path: string): void {
    if (this.pending.has(`p:${projectId}`)) return; // a whole-project job covers it
    this.enqueue(`f:${projectId}:${path}`, { kind: "file", projectId, path });
  }

  /** Many files changed (a project from a template, indexing switched on): index the project soon. */
  projectChanged(projectId: string): void {
    for (const key of this.pending.keys()) if (key.startsWith(`f:${projectId}:`)) this.pending.delete(key);
    this.enqueue(`p:${projectId}`, { kind: "project", projectId });
  }

  /** Jobs waiting or running. */
  get depth(): number {
    return this.pending.size + (this.working ? 1 : 0);
  }

  /** Resolves when the queue is empty (tests, shutdown). */
  idle(): Promise<void> {
    if (!this.working && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Take no more jobs, forget the waiting ones, and resolve once the running one is done. */
  close(): Promise<void> {
    this.closed = true;
    this.pending.clear();
    return this.idle();
  }

  private enqueue(key: string, job: IndexJob): void {
    if (this.closed) return;
    // An already waiting job of the same key reads the newest files when it runs: keep its place.
    if (!this.pending.has(key)) this.pending.set(key, job);
    if (!this.working) void this.work();
  }

  private async work(): Promise<void> {
    this.working = true;
    try {
      for (let next = this.pending.entries().next(); !next.done && !this.closed; ) {
        const [key, job] = next.value;
        this.pending.delete(key);
        try {
          await this.run(job);
        } catch (err) {
          this.logger.warn({ err, projectId: job.projectId }, "code index: indexing failed");
        }
        next = this.pending.entries().next();
      }
    } finally {
      this.working = false;
      for (const resolve of this.waiters.splice(0)) resolve();
    }
  }
}

/**
 * One operation per project at a time: a task runs after every earlier task of its project has
 * settled, so a full re-index and a file job never interleave.
 */
export class ProjectLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `task` after every earlier task of the project has settled. */
  run<T>(projectId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(projectId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(projectId, settled);
    void settled.then(() => {
      if (this.tails.get(projectId) === settled) this.tails.delete(projectId);
    });
    return run;
  }
}
