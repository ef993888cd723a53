/**
 * A fixed set of slot numbers handed out FIFO. Each slot maps to its own host uid, so a
 * slot is held for the whole run.
 */
export class SlotPool {
  private readonly free: number[];
  private readonly waiters: ((slot: number) => void)[] = [];

  constructor(size: number) {
    this.free = Array.from({ length: size }, (_, i) => i);
  }

  /** Wait for a free slot; resolves undefined if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<number | undefined> {
    const slot = this.free.shift();
    if (slot !== undefined) return Promise.resolve(slot);
    if (signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter = (s: number): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve(s);
      };
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(undefined);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(slot: number): void {
    const next = this.waiters.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }
}
