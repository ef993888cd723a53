import { sqlState } from "./errors.ts";

/**
 * Whether a failed multi-row write may have failed for one row only: a data exception (class
 * 22: a value out of range) or an integrity violation (class 23: a foreign key that vanished).
 * Anything else (the database unreachable, closing) would fail each row alike.
 */
export const isRowError = (error: unknown): boolean => /^2[23]/.test(sqlState(error) ?? "");

interface Waiting<Row> {
  row: Row;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit for rows that many requests write at once. With no write in flight a row is
 * written at once, so an idle server adds no delay; a row offered while a write is in flight
 * waits for it and then goes into the next write with every row that arrived meanwhile. So a
 * burst of N rows costs a few multi-row INSERTs instead of N statements, N commits and N WAL
 * flushes. Each caller's promise settles when its own row is committed or refused: an
 * acknowledged row is as durable as one written alone.
 *
 * A batch refused for what may be one row's fault (`isRowError`) is written again row by row,
 * so that only that row's caller fails; any other failure fails the batch's callers at once.
 */
export class BatchWriter<Row> {
  readonly #queue: Waiting<Row>[] = [];
  #writing = false;

  /** `write` inserts the given rows in one statement; `maxBatch` bounds a statement's size. */
  constructor(
    private readonly write: (rows: Row[]) => Promise<void>,
    private readonly maxBatch = 200,
  ) {}

  /** Resolves once `row` is committed; rejects with the database's error for it. */
  add(row: Row): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ row, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, this.maxBatch));
    } finally {
      this.#writing = false;
    }
  }

  async #commit(batch: Waiting<Row>[]): Promise<void> {
    try {
      await this.write(batch.map((waiting) => waiting.row));
      for (const waiting of batch) waiting.resolve();
    } catch (error) {
      if (batch.length === 1 || !isRowError(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      for (const waiting of batch) await this.#commit([waiting]);
    }
  }
}
