/**
 * Writing the project code index: keeps every project's chunks in the vector store in step with
 * its files.
 *
 * - A file is re-chunked whole (cheap), but only chunks whose content hash is new are embedded;
 *   chunks that merely moved keep their vectors and get new lines; vanished ones are removed.
 * - Every operation on a project runs under that project's lock, so a full re-index and a file
 *   job never interleave.
 * - Every write that changed something drops the project's in-memory state (states.ts), here and
 *   on every other instance.
 */

import { LRUCache } from "lru-cache";
import { pointId } from "../../adapters/vectors/ids.ts";
import * as files from "../../db/queries/files.ts";
import { indexingEnabledOf } from "../../db/queries/projects.ts";
import type { DatabaseHandle } from "../../db/types.ts";
import type { Logger } from "../../logger.ts";
import { chunkFile } from "../../search/chunker.ts";
import { embeddingText } from "../../search/hybrid.ts";
import type { Chunk, Embedder } from "../../search/types.ts";
import { ProjectLocks } from "./queue.ts";
import type { ProjectStates } from "./states.ts";
import type { ChunkPayload, LineMove, VectorStore } from "./types.ts";

export interface IndexLimits {
  /** Files indexed per project, in path order; the rest are reported as skipped. */
  maxFiles: number;
  /** Bigger files are skipped: generated bundles and data files would drown real code. */
  maxFileBytes: number;
  /** Chunks per project. */
  maxChunks: number;
}

const INDEX_LIMITS: IndexLimits = { maxFiles: 2_000, maxFileBytes: 256 * 1024, maxChunks: 25_000 };

/** Dependencies, build output, lock files and minified code: never worth indexing. */
const GENERATED =
  /(?:^|\/)(?:node_modules|dist|build|vendor|__pycache__|\.git|\.venv|venv)\/|\.min\.(?:js|css)$|\.map$|(?:^|\/)(?:package-lock\.json|bun\.lockb?|yarn\.lock|pnpm-lock\.yaml|poetry\.lock)$/;

export interface Skipped {
  path: string;
  reason: string;
}

/** Which files of a listing are indexed (in path order) and which are skipped, with why. */
export function indexPlan(
  listing: { path: string; sizeBytes: number; encoding?: string }[],
  limits: IndexLimits = INDEX_LIMITS,
): { paths: string[]; skipped: Skipped[] } {
  const paths: string[] = [];
  const skipped: Skipped[] = [];
  for (const file of [...listing].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (GENERATED.test(file.path)) skipped.push({ path: file.path, reason: "generated or vendored" });
    else if (file.encoding === "base64") skipped.push({ path: file.path, reason: "binary" });
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

export interface ReindexOptions {
  /** Aborting stops between files, keeping what is done. */
  signal?: AbortSignal;
  onProgress?: (p: ReindexProgress) => void;
  /** No log line for the result (background re-indexes). */
  quiet?: boolean;
}

/** Projects whose per-file chunk counts are kept (for a file job's chunk limit). */
const MAX_COUNTED = 64;

export interface ProjectIndexerOptions {
  db: DatabaseHandle;
  store: VectorStore;
  embedder: Embedder;
  states: ProjectStates;
  logger: Logger;
  limits?: Partial<IndexLimits> | undefined;
}

export class ProjectIndexer {
  readonly limits: IndexLimits;
  private readonly locks = new ProjectLocks();
  private readonly counts = new LRUCache<string, Map<string, number>>({ max: MAX_COUNTED });

  constructor(private readonly options: ProjectIndexerOptions) {
    this.limits = { ...INDEX_LIMITS, ...options.limits };
  }

  private get store(): VectorStore {
    return this.options.store;
  }

  /** Bring one file's chunks in step with the file as stored now (gone or skipped: none). */
  indexFile(projectId: string, path: string): Promise<void> {
    return this.locks.run(projectId, async () => {
      const db = await this.options.db.get();
      const enabled = await indexingEnabledOf(db, projectId);
      if (!enabled) return; // gone (its chunks went with it) or switched off (already dropped)
      const file = await files.getFile(db, projectId, path);
      const plan = file ? indexPlan(await files.listFiles(db, projectId), this.limits) : undefined;
      if (!file || !plan?.paths.includes(path)) {
        this.counts.get(projectId)?.delete(path);
        if ((await this.store.entries(projectId, path)).length > 0) {
          await this.store.removeFile(projectId, path);
          await this.options.states.changed(projectId);
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
  reindex(projectId: string, options: ReindexOptions = {}): Promise<ReindexResult> {
    return this.locks.run(projectId, async () => {
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
        this.options.states.inStep(projectId);
        this.counts.delete(projectId); // recounted from the store on next use
        const gone = (await this.store.entries(projectId))
          .filter((e) => !kept.has(e.payload.filename))
          .map((e) => e.id);
        if (gone.length > 0) {
          await this.store.remove(projectId, gone);
          await this.options.states.changed(projectId);
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
    return this.locks.run(projectId, async () => {
      await this.store.dropProject(projectId);
      this.counts.delete(projectId);
      await this.options.states.changed(projectId);
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
    if (fresh.length + moves.length + stale.length > 0) await this.options.states.changed(projectId);
    return fresh.length;
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
