/**
 * The project code index: keeps every project's chunks in the vector store in step with its
 * files, and answers hybrid (BM25 + vector) searches over them.
 *
 * - Saves, deletes and renames enqueue a job per file on a background queue (one worker per
 *   process, so saves stay fast and two cores are not swamped). A job reads the file as it is
 *   when the job runs, so ten quick saves of one file index it once or twice, not ten times.
 * - A file is re-chunked whole (cheap), but only chunks whose content hash is new are embedded;
 *   chunks that merely moved keep their vectors and get new lines; vanished ones are removed.
 * - Every operation on a project runs under that project's lock, so a full re-index and a
 *   file job never interleave.
 * - The keyword index and chunk payloads of a searched project stay in memory, dropped on every
 *   change here and, through the cache's pub/sub, on every other instance.
 * - The queue lives in memory: a crash or a save handled by another instance can leave the index
 *   behind the files. So the first time a process loads a project it re-indexes it in the
 *   background (only changed chunks cost anything) — unless this process has already re-indexed
 *   it whole, as it does a project it created — and the first search of a project with no index
 *   at all indexes it before answering.
 */

import type { Cache, Unsubscribe } from "../../adapters/cache/types.ts";
import { pointId } from "../../adapters/vectors/ids.ts";
import * as files from "../../db/queries/files.ts";
import { indexingEnabledOf } from "../../db/queries/projects.ts";
import type { DatabaseHandle } from "../../db/types.ts";
import type { Logger } from "../../logger.ts";
import { chunkFile } from "../../search/chunker.ts";
import { fuzzyScore } from "../../search/fuzzy.ts";
import { embeddingText, HybridSearch } from "../../search/hybrid.ts";
import { createLexicalIndex, type LexicalIndex } from "../../search/lexical.ts";
import type { Chunk, Embedder } from "../../search/types.ts";
import type { ChunkPayload, LineMove, VectorStore } from "./types.ts";

export const CONTEXT_CHANGED_CHANNEL = "context:changed";

export interface IndexLimits {
  /** Files indexed per project, in path order; the rest are reported as skipped. */
  maxFiles: number;
  /** Bigger files are skipped: generated bundles and data files would drown real code. */
  maxFileBytes: number;
  /** Chunks per project. */
  maxChunks: number;
}

export const INDEX_LIMITS: IndexLimits = { maxFiles: 2_000, maxFileBytes: 256 * 1024, maxChunks: 25_000 };

/** Dependencies, build output, lock files and minified code: never worth indexing. */
const GENERATED =
  /(?:^|\/)(?:node_modules|dist|build|vendor|__pycache__|\.git|\.venv|venv)\/|\.min\.(?:js|css)$|\.map$|(?:^|\/)(?:package-lock\.json|bun\.lockb?|yarn\.lock|pnpm-lock\.yaml|poetry\.lock)$/;

export interface Skipped {
  path: string;
  reason: string;
}

/** Which files of a listing are indexed (in path order) and which are skipped, with why. */
export function indexPlan(
  listing: { path: string; sizeBytes: number }[],
  limits: IndexLimits = INDEX_LIMITS,
): { paths: string[]; skipped: Skipped[] } {
  const paths: string[] = [];
  const skipped: Skipped[] = [];
  for (const file of [...listing].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (GENERATED.test(file.path)) skipped.push({ path: file.path, reason: "generated or vendored" });
    else if (file.sizeBytes > limits.maxFileBytes)
      skipped.push({ path: file.path, reason: `larger than ${Math.round(limits.maxFileBytes / 1024)} KB` });
    else if (paths.length >= limits.maxFiles)
      skipped.push({
        path: file.path,
        reason: `over the ${limits.maxFiles.toLocaleString("en")}-file limit`,
      });
    else paths.push(file.path);
  }
  return { paths, skipped };
}

export interface IndexHit {
  id: string;
  /** Reciprocal-rank-fusion score over keyword and vector ranks: 1 = first in both. */
  score: number;
  payload: ChunkPayload;
}

export interface IndexSymbol {
  name: string;
  kind: "class" | "function" | "method";
  path: string;
  line: number;
}

export interface ReindexProgress {
  done: number;
  total: number;
  path: string;
  chunks: number;
  skipped: number;
}

export interface ReindexResult {
  files: number;
  chunks: number;
  /** Chunks that needed a new vector (the rest were unchanged or only moved). */
  embedded: number;
  skipped: Skipped[];
  cancelled: boolean;
}

interface ProjectState {
  entries: Map<string, ChunkPayload>;
  lexical: LexicalIndex;
  words?: string[];
}

type Job = { kind: "file"; projectId: string; path: string } | { kind: "project"; projectId: string };

/** Projects whose keyword index stays in memory; the least recently used goes first. */
const MAX_STATES = 64;
/** A project's in-memory state is reloaded after this long even if no change was announced. */
const STATE_MAX_AGE_MS = 60_000;
/** Identifiers offered for local completion per project. */
const MAX_WORDS = 3_000;

export interface CodeIndexOptions {
  db: DatabaseHandle;
  store: VectorStore;
  embedder: Embedder;
  cache?: Pick<Cache, "publish" | "subscribe"> | undefined;
  logger: Logger;
  limits?: Partial<IndexLimits> | undefined;
}

export class CodeIndex {
  readonly limits: IndexLimits;
  private readonly states = new Map<string, Promise<ProjectState>>();
  private readonly loadedAt = new Map<string, number>();
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly pending = new Map<string, Job>();
  private readonly reconciled = new Set<string>();
  private working = false;
  private closed = false;
  private waiters: (() => void)[] = [];
  private readonly subscription: Promise<Unsubscribe | undefined>;

  constructor(private readonly options: CodeIndexOptions) {
    this.limits = { ...INDEX_LIMITS, ...options.limits };
    const cache = options.cache;
    this.subscription = cache
      ? cache
          .subscribe(CONTEXT_CHANGED_CHANNEL, (projectId) => this.states.delete(projectId))
          .catch((err) => {
            options.logger.warn({ err }, "code index: cannot subscribe to invalidations");
            return undefined;
          })
      : Promise.resolve(undefined);
  }

  get store(): VectorStore {
    return this.options.store;
  }

  // --- The queue -------------------------------------------------------------------------------

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
  get queueDepth(): number {
    return this.pending.size + (this.working ? 1 : 0);
  }

  /** Resolves when the queue is empty (tests, shutdown). */
  idle(): Promise<void> {
    if (!this.working && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private enqueue(key: string, job: Job): void {
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
          if (job.kind === "file") await this.indexFile(job.projectId, job.path);
          else await this.reindex(job.projectId, { quiet: true });
        } catch (err) {
          this.options.logger.warn({ err, projectId: job.projectId }, "code index: indexing failed");
        }
        next = this.pending.entries().next();
      }
    } finally {
      this.working = false;
      for (const resolve of this.waiters.splice(0)) resolve();
    }
  }

  // --- Writing ---------------------------------------------------------------------------------

  /** Bring one file's chunks in step with the file as stored now (gone or skipped: none). */
  indexFile(projectId: string, path: string): Promise<void> {
    return this.locked(projectId, async () => {
      const db = await this.options.db.get();
      const enabled = await indexingEnabledOf(db, projectId);
      if (!enabled) return; // gone (its chunks went with it) or switched off (already dropped)
      const file = await files.getFile(db, projectId, path);
      const plan = file ? indexPlan(await files.listFiles(db, projectId), this.limits) : undefined;
      if (!file || !plan?.paths.includes(path)) {
        this.counts.get(projectId)?.delete(path);
        if ((await this.store.entries(projectId, path)).length > 0) {
          await this.store.removeFile(projectId, path);
          await this.changed(projectId);
        }
        return;
      }
      const chunks = chunkFile(path, file.content);
      const counts = await this.chunkCounts(projectId);
      let others = 0;
      for (const [p, n] of counts) if (p !== path) others += n;
      if (others + chunks.length > this.limits.maxChunks) {
        this.options.logger.info({ projectId, path }, "code index: chunk limit reached, file left out");
        return;
      }
      await this.syncFile(projectId, path, chunks);
    });
  }

  /**
   * Re-index a whole project: every planned file synced, chunks of files no longer indexed
   * removed. Progress is reported per file; an abort stops between files, keeping what is done.
   */
  reindex(
    projectId: string,
    options: { signal?: AbortSignal; onProgress?: (p: ReindexProgress) => void; quiet?: boolean } = {},
  ): Promise<ReindexResult> {
    return this.locked(projectId, async () => {
      const db = await this.options.db.get();
      const result: ReindexResult = { files: 0, chunks: 0, embedded: 0, skipped: [], cancelled: false };
      if (!(await indexingEnabledOf(db, projectId))) return result;
      const plan = indexPlan(await files.listFiles(db, projectId), this.limits);
      result.skipped = plan.skipped;
      const kept = new Set<string>();
      for (const [i, path] of plan.paths.entries()) {
        if (options.signal?.aborted) {
          result.cancelled = true;
          break;
        }
        const file = await files.getFile(db, projectId, path);
        if (file) {
          const chunks = chunkFile(path, file.content);
          if (result.chunks + chunks.length > this.limits.maxChunks) {
            result.skipped.push({
              path,
              reason: `over the ${this.limits.maxChunks.toLocaleString("en")}-chunk limit`,
            });
          } else {
            result.embedded += await this.syncFile(projectId, path, chunks, options.signal);
            result.chunks += chunks.length;
            result.files++;
            kept.add(path);
          }
        }
        options.onProgress?.({
          done: i + 1,
          total: plan.paths.length,
          path,
          chunks: result.chunks,
          skipped: result.skipped.length,
        });
      }
      if (!result.cancelled) {
        // In step with the files as of now: nothing for a first load here to reconcile.
        this.reconciled.add(projectId);
        this.counts.delete(projectId); // recounted from the store on next use
        const gone = (await this.store.entries(projectId))
          .filter((e) => !kept.has(e.payload.filename))
          .map((e) => e.id);
        if (gone.length > 0) {
          await this.store.remove(projectId, gone);
          await this.changed(projectId);
        }
      }
      if (!options.quiet)
        this.options.logger.info(
          { projectId, ...result, skipped: result.skipped.length },
          "code index: re-indexed",
        );
      return result;
    });
  }

  /** Indexing was switched off: forget the project's chunks (switching on re-indexes it). */
  drop(projectId: string): Promise<void> {
    return this.locked(projectId, async () => {
      await this.store.dropProject(projectId);
      this.counts.delete(projectId);
      await this.changed(projectId);
    });
  }

  /**
   * Chunks per file of the project, for the chunk limit of a single file's job: counted from
   * the store once (ids and payloads, no keyword index) and kept up to date by this instance's
   * own writes. Another instance's writes are not seen until a re-index here, so near the limit
   * the check is approximate; a full re-index enforces it exactly.
   */
  private async chunkCounts(projectId: string): Promise<Map<string, number>> {
    let counts = this.counts.get(projectId);
    if (!counts) {
      counts = new Map();
      for (const { payload } of await this.store.entries(projectId))
        counts.set(payload.filename, (counts.get(payload.filename) ?? 0) + 1);
      this.counts.set(projectId, counts);
      while (this.counts.size > MAX_STATES) this.counts.delete(this.counts.keys().next().value!);
    }
    return counts;
  }

  /** Upsert new chunks, move shifted ones, then remove vanished ones; returns how many were embedded. */
  private async syncFile(projectId: string, path: string, chunks: Chunk[], signal?: AbortSignal) {
    const wanted = new Map<string, Chunk>();
    for (const chunk of chunks) wanted.set(pointId(projectId, path, chunk.contentHash), chunk);
    const existing = new Map((await this.store.entries(projectId, path)).map((e) => [e.id, e.payload]));
    const fresh: [string, Chunk][] = [];
    const moves: LineMove[] = [];
    for (const [id, chunk] of wanted) {
      const old = existing.get(id);
      if (!old) fresh.push([id, chunk]);
      else if (old.line_start !== chunk.lineStart || old.line_end !== chunk.lineEnd)
        moves.push({ id, lineStart: chunk.lineStart, lineEnd: chunk.lineEnd });
    }
    const stale = [...existing.keys()].filter((id) => !wanted.has(id));
    if (fresh.length > 0) {
      const vectors = await this.options.embedder.embed(
        fresh.map(([, chunk]) => embeddingText(chunk)),
        signal,
      );
      await this.store.upsert(
        projectId,
        fresh.map(([id, chunk], i) => ({ id, vector: vectors[i]!, payload: payloadOf(projectId, chunk) })),
      );
    }
    if (moves.length > 0) await this.store.relocate(projectId, moves);
    if (stale.length > 0) await this.store.remove(projectId, stale);
    this.counts.get(projectId)?.set(path, wanted.size);
    if (fresh.length + moves.length + stale.length > 0) await this.changed(projectId);
    return fresh.length;
  }

  // --- Reading ---------------------------------------------------------------------------------

  /** The `limit` best chunks for a query, keyword and vector ranks fused. */
  async search(projectId: string, query: string, limit: number, signal?: AbortSignal): Promise<IndexHit[]> {
    const state = await this.ready(projectId);
    if (state.entries.size === 0 || !query.trim()) return [];
    const seen = new Map<string, ChunkPayload>();
    const hybrid = new HybridSearch(state.lexical, this.options.embedder, async (vector, k) =>
      (await this.store.search(projectId, vector, k)).map((hit) => {
        seen.set(hit.id, hit.payload);
        return { id: hit.id, score: hit.score };
      }),
    );
    const fused = await hybrid.search(query, limit, signal);
    const hits: IndexHit[] = [];
    for (const { id, score } of fused) {
      const payload = state.entries.get(id) ?? seen.get(id);
      if (payload) hits.push({ id, score, payload });
    }
    return hits;
  }

  /** Every indexed chunk of one file, in line order. */
  async fileChunks(projectId: string, path: string): Promise<ChunkPayload[]> {
    const state = await this.ready(projectId);
    return [...state.entries.values()]
      .filter((p) => p.filename === path)
      .sort((a, b) => a.line_start - b.line_start);
  }

  /** Classes, functions and methods whose name matches `query` (fuzzy: letters in order), best first. */
  async symbols(projectId: string, query: string, limit: number): Promise<IndexSymbol[]> {
    const state = await this.ready(projectId);
    const found = new Map<string, IndexSymbol & { score: number }>();
    for (const p of state.entries.values()) {
      const kind = p.function_name
        ? p.class_name
          ? "method"
          : "function"
        : p.class_name
          ? "class"
          : undefined;
      if (!kind) continue;
      const name =
        p.function_name && p.class_name
          ? `${p.class_name}.${p.function_name}`
          : (p.function_name ?? p.class_name)!;
      const score = fuzzyScore(query, p.function_name ?? p.class_name ?? "", name);
      if (score === undefined) continue;
      const key = `${p.filename}\0${name}`;
      const known = found.get(key);
      // A long function is cut into windows: point at its first.
      if (!known || p.line_start < known.line)
        found.set(key, { name, kind, path: p.filename, line: p.line_start, score });
    }
    return [...found.values()]
      .sort((a, b) => b.score - a.score || a.name.length - b.name.length || (a.name < b.name ? -1 : 1))
      .slice(0, limit)
      .map(({ score: _score, ...symbol }) => symbol);
  }

  /** The project's identifiers, most frequent first, for instant local completion. */
  async words(projectId: string): Promise<string[]> {
    const state = await this.ready(projectId);
    if (!state.words) {
      const counts = new Map<string, number>();
      for (const p of state.entries.values())
        for (const m of p.code_snippet.matchAll(/[A-Za-z_$][\w$]{2,}/g))
          counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
      state.words = [...counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, MAX_WORDS)
        .map(([word]) => word);
    }
    return state.words;
  }

  /** How much of the project is indexed. */
  async status(projectId: string): Promise<{ chunks: number; files: number }> {
    const state = await this.state(projectId, true);
    return {
      chunks: state.entries.size,
      files: new Set([...state.entries.values()].map((p) => p.filename)).size,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending.clear();
    await this.idle();
    await (await this.subscription)?.();
  }

  /**
   * The project's state for a search: a project with nothing indexed yet (new since the index
   * existed, or whose index was lost) is indexed first.
   */
  private async ready(projectId: string): Promise<ProjectState> {
    const state = await this.state(projectId, true);
    if (state.entries.size > 0) return state;
    const result = await this.reindex(projectId, { quiet: true });
    return result.chunks > 0 ? this.state(projectId, false) : state;
  }

  private state(projectId: string, reconcile: boolean): Promise<ProjectState> {
    let loading = this.states.get(projectId);
    if (loading) this.states.delete(projectId);
    // A change announced while this instance could not hear it (Redis reconnecting) is lost; the
    // age limit bounds how long such a stale copy can serve.
    if (loading && Date.now() - (this.loadedAt.get(projectId) ?? 0) > STATE_MAX_AGE_MS) loading = undefined;
    if (!loading) {
      this.loadedAt.set(projectId, Date.now());
      loading = this.load(projectId);
      loading.catch(() => {
        if (this.states.get(projectId) === loading) this.states.delete(projectId);
      });
      if (reconcile && !this.reconciled.has(projectId)) {
        this.reconciled.add(projectId);
        void loading.then((s) => s.entries.size > 0 && this.projectChanged(projectId)).catch(() => {});
      }
    }
    this.states.set(projectId, loading);
    while (this.states.size > MAX_STATES) {
      const oldest = this.states.keys().next().value!;
      this.states.delete(oldest);
      this.loadedAt.delete(oldest);
    }
    return loading;
  }

  private async load(projectId: string): Promise<ProjectState> {
    const entries = new Map<string, ChunkPayload>();
    const lexical = createLexicalIndex();
    for (const { id, payload } of await this.store.entries(projectId)) {
      entries.set(id, payload);
      lexical.add(id, chunkOf(payload));
    }
    return { entries, lexical };
  }

  private async changed(projectId: string): Promise<void> {
    this.states.delete(projectId);
    try {
      await this.options.cache?.publish(CONTEXT_CHANGED_CHANNEL, projectId);
    } catch (err) {
      this.options.logger.warn({ err }, "code index: cannot publish an invalidation");
    }
  }

  /** Run `task` after every earlier task of the project has settled. */
  private locked<T>(projectId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(projectId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(projectId, settled);
    void settled.then(() => {
      if (this.locks.get(projectId) === settled) this.locks.delete(projectId);
    });
    return run;
  }
}

function payloadOf(projectId: string, chunk: Chunk): ChunkPayload {
  return {
    project_id: projectId,
    filename: chunk.path,
    function_name: chunk.functionName ?? null,
    class_name: chunk.className ?? null,
    language: chunk.language,
    code_snippet: chunk.content,
    line_start: chunk.lineStart,
    line_end: chunk.lineEnd,
    content_hash: chunk.contentHash,
  };
}

function chunkOf(p: ChunkPayload): Chunk {
  return {
    path: p.filename,
    language: p.language,
    functionName: p.function_name ?? undefined,
    className: p.class_name ?? undefined,
    lineStart: p.line_start,
    lineEnd: p.line_end,
    content: p.code_snippet,
    contentHash: p.content_hash,
  };
}
