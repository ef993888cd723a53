/**
 * A budget of synchronous work per event-loop turn, for a loop over data that may already be
 * there. A stream whose source has buffered a long answer runs as one unbroken chain of promise
 * reactions: every `await` resolves at once, the chain never returns to the event loop, and no
 * other request is read — not even `/healthz` — until the whole answer has been processed. Call
 * `pause()` between items: past `ms` of work since the last turn it waits for the next one
 * (`setImmediate`, after pending I/O); otherwise it returns at once and costs a clock read.
 */
export function turnBudget(ms = 4) {
  let since = performance.now();
  return {
    /** Undefined while within the budget; a promise of the next turn once it is spent. */
    pause(): Promise<void> | undefined {
      if (performance.now() - since < ms) return undefined;
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          since = performance.now();
          resolve();
        }),
      );
    },
  };
}
