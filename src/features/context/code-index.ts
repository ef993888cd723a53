/**
 * The project code index (`deps.context`): every project's chunks kept in the vector store in
 * step with its files, and hybrid (BM25 + vector) searches over them. It wires four parts:
 *
 * - the queue (queue.ts): saves, deletes and renames become background jobs, one worker per process;
 * - the indexer (indexer.ts): a job's writes to the store, under the project's lock;
 * - the state cache (states.ts): the searched projects' chunks and keyword index in memory, kept
 *   coherent across instances through the cache's pub/sub;
 * - the search facade (search.ts): search, a file's chunks, symbols, identifiers and status.
 *
 * The first time a process loads a project it re-indexes it in the background (only changed
 * chunks cost anything), unless this process has already re-indexed it whole, as it does a project
 * it created; and the first search of a project with no index at all indexes it before answering.
 */

import type { Cache } from "../../adapters/cache/types.ts";
import type { DatabaseHandle } from "../../db/types.ts";
import type { Logger } from "../../logger.ts";
import type { Embedder } from "../../search/types.ts";
import { type IndexLimits, ProjectIndexer, type ReindexOptions, type ReindexResult } from "./indexer.ts";
import { IndexQueue } from "./queue.ts";
import { type IndexHit, type IndexSymbol, ProjectSearch } from "./search.ts";
import { ProjectStates } from "./states.ts";
import type { ChunkPayload, VectorStore } from "./types.ts";

export interface CodeIndexOptions {
  db: DatabaseHandle;
  store: VectorStore;
  embedder: Embedder;
  cache?: Pick<Cache, "publish" | "subscribe"> | undefined;
  logger: Logger;
  limits?: Partial<IndexLimits> | undefined;
  /** Told of every change the index hears of, after it is stored (the web previews reload on it). */
  onChange?: ((projectId: string, path?: string) => void) | undefined;
}

export class CodeIndex {
  readonly limits: IndexLimits;
  private readonly queue: IndexQueue;
  private readonly states: ProjectStates;
  private readonly indexer: ProjectIndexer;
  private readonly searcher: ProjectSearch;

  constructor(private readonly options: CodeIndexOptions) {
    // Jobs and first-load re-indexes go through this object's methods, so a wrapper sees them all.
    this.queue = new IndexQueue(
      (job) =>
        job.kind === "file"
          ? this.indexFile(job.projectId, job.path)
          : this.reindex(job.projectId, { quiet: true }),
      options.logger,
    );
    this.states = new ProjectStates({
      store: options.store,
      cache: options.cache,
      logger: options.logger,
      // Catching up with the store is no change to the files: the previews are not told.
      reconcile: (projectId) => this.queue.projectChanged(projectId),
    });
    this.indexer = new ProjectIndexer({ ...options, states: this.states });
    this.limits = this.indexer.limits;
    this.searcher = new ProjectSearch({
      store: options.store,
      embedder: options.embedder,
      states: this.states,
      reindex: (projectId) => this.reindex(projectId, { quiet: true }),
    });
  }

  get store(): VectorStore {
    return this.options.store;
  }

  // --- The queue -------------------------------------------------------------------------------

  /** A file was saved, created, deleted or moved here: index it soon. */
  fileChanged(projectId: string, path: string): void {
    this.queue.fileChanged(projectId, path);
    this.options.onChange?.(projectId, path);
  }

  /** Many files changed (a project from a template, indexing switched on): index the project soon. */
  projectChanged(projectId: string): void {
    this.queue.projectChanged(projectId);
    this.options.onChange?.(projectId);
  }

  /** Jobs waiting or running. */
  get queueDepth(): number {
    return this.queue.depth;
  }

  /** Resolves when the queue is empty (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  // --- Writing ---------------------------------------------------------------------------------

  /** Bring one file's chunks in step with the file as stored now (gone or skipped: none). */
  indexFile(projectId: string, path: string): Promise<void> {
    return this.indexer.indexFile(projectId, path);
  }

  /** Re-index a whole project now, reporting progress per file; an abort keeps what is done. */
  reindex(projectId: string, options: ReindexOptions = {}): Promise<ReindexResult> {
    return this.indexer.reindex(projectId, options);
  }

  /** Indexing was switched off or the project deleted: forget its chunks. */
  drop(projectId: string): Promise<void> {
    return this.indexer.drop(projectId);
  }

  // --- Reading ---------------------------------------------------------------------------------

  /** The `limit` best chunks for a query, keyword and vector ranks fused and re-ranked. */
  search(projectId: string, query: string, limit: number, signal?: AbortSignal): Promise<IndexHit[]> {
    return this.searcher.search(projectId, query, limit, signal);
  }

  /** Every indexed chunk of one file, in line order. */
  fileChunks(projectId: string, path: string): Promise<ChunkPayload[]> {
    return this.searcher.fileChunks(projectId, path);
  }

  /** Classes, functions and methods whose name matches `query` (fuzzy: letters in order), best first. */
  symbols(projectId: string, query: string, limit: number): Promise<IndexSymbol[]> {
    return this.searcher.symbols(projectId, query, limit);
  }

  /** The project's identifiers, most frequent first, for instant local completion. */
  words(projectId: string): Promise<string[]> {
    return this.searcher.words(projectId);
  }

  /** How much of the project is indexed. */
  status(projectId: string): Promise<{ chunks: number; files: number }> {
    return this.searcher.status(projectId);
  }

  /** Stop taking jobs, let the running one finish, and stop listening for other instances. */
  async close(): Promise<void> {
    await this.queue.close();
    await this.states.close();
  }
}
