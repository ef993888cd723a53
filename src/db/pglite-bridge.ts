import type { PGlite, QueryOptions, Results, Transaction } from "@electric-sql/pglite";

export type BridgeRequest =
  | { id: number; op: "open"; dir: string; template?: string }
  | { id: number; op: "query"; sql: string; params: unknown[]; rowMode: "array" | "object" }
  | { id: number; op: "close" };

/** How `open` found the cluster: existing (null), unpacked from the template, or made by initdb. */
export interface OpenResult {
  created: "template" | "initdb" | null;
  /** Why the template was not used, when initdb ran instead. */
  templateError?: string;
}

type Body<T> = T extends unknown ? Omit<T, "id"> : never;

export type BridgeReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { message: string; fields: Record<string, unknown> } };

/** Bun's Worker can be unref'd so an idle one never keeps the process alive; the DOM types omit it. */
type RefWorker = Worker & { ref(): void; unref(): void };

/**
 * Where the worker module is: beside this file when run from source; at the root of the
 * binary's embedded file system when compiled (scripts/build.ts makes it an entrypoint named
 * pglite-worker.js). A compiled binary is recognized by its embedded files, because with
 * bytecode `import.meta.url` names the build machine's source path.
 */
const WORKER_URL =
  Bun.embeddedFiles.length > 0
    ? "/$bunfs/root/pglite-worker.js"
    : new URL("./pglite-worker.ts", import.meta.url).href;

/** A worker that has not loaded by then never will (a missing or broken module). */
const WORKER_START_MS = 10_000;

type Query = (sql: string, params?: unknown[], options?: QueryOptions) => Promise<Results>;

/**
 * A PGlite client whose database lives in a worker thread. It offers what drizzle's
 * PGlite driver calls — `query` and `transaction` — and serializes callers with a lock,
 * because the worker holds one connection and a transaction must not interleave with others.
 */
export class PgliteBridge {
  readonly #worker: RefWorker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #next = 0;
  #lock: Promise<void> = Promise.resolve();
  #loaded = Promise.withResolvers<void>();
  #opened = false;

  /** `workerUrl` is for tests; the server always runs ./pglite-worker.ts. */
  constructor(workerUrl: string = WORKER_URL) {
    this.#worker = new Worker(workerUrl) as RefWorker;
    // open() reports a failure to load; until it is called, that must not be unhandled.
    this.#loaded.promise.catch(() => undefined);
    this.#worker.unref();
    this.#worker.onmessage = (event: MessageEvent<BridgeReply>) => this.#settle(event.data);
    this.#worker.onerror = (event) => this.#failAll(new Error(`PGlite worker failed: ${event.message}`));
  }

  /**
   * Open the database directory inside the worker; a new one is created from `template`
   * (a cluster tarball; by default the one shipped in src/db), else by initdb.
   */
  async open(dir: string, options: { template?: string } = {}): Promise<OpenResult> {
    const timer = setTimeout(
      () => this.#loaded.reject(new Error(`PGlite worker did not start within ${WORKER_START_MS} ms`)),
      WORKER_START_MS,
    );
    try {
      await this.#loaded.promise;
    } finally {
      clearTimeout(timer);
    }
    const opened = (await this.#call({ op: "open", dir, ...options })) as OpenResult;
    this.#opened = true;
    return opened;
  }

  readonly query: Query = (sql, params = [], options) =>
    this.#exclusive(() => this.#query(sql, params, options));

  /** Run `fn` inside BEGIN/COMMIT, rolling back if it throws; other callers wait meanwhile. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#exclusive(async () => {
      await this.#query("begin");
      let closed = false;
      const tx = {
        query: (sql: string, params?: unknown[], options?: QueryOptions) => this.#query(sql, params, options),
        rollback: async () => {
          closed = true;
          await this.#query("rollback");
        },
        get closed() {
          return closed;
        },
      } as unknown as Transaction;
      try {
        const result = await fn(tx);
        if (!closed) await this.#query("commit");
        return result;
      } catch (err) {
        if (!closed) await this.#query("rollback");
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    try {
      // A worker that never loaded or opened has no database to close, and one that never
      // loaded would never answer.
      if (this.#opened) await this.#exclusive(() => this.#call({ op: "close" }));
    } finally {
      this.#worker.terminate();
    }
  }

  /** The bridge typed as the PGlite client drizzle expects. */
  asClient(): PGlite {
    return this as unknown as PGlite;
  }

  #query(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results> {
    const rowMode = options?.rowMode ?? "object";
    return this.#call({ op: "query", sql, params, rowMode }) as Promise<Results>;
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn);
    this.#lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #call(body: Body<BridgeRequest>): Promise<unknown> {
    const id = ++this.#next;
    if (this.#pending.size === 0) this.#worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...body, id });
    });
  }

  #settle(reply: BridgeReply): void {
    if (reply.id === 0) {
      this.#loaded.resolve();
      return;
    }
    const waiter = this.#pending.get(reply.id);
    if (!waiter) return;
    this.#pending.delete(reply.id);
    // An idle worker must not keep the process alive.
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(Object.assign(new Error(reply.error.message), reply.error.fields));
  }

  #failAll(error: Error): void {
    this.#loaded.reject(error);
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
    this.#worker.unref();
  }
}
