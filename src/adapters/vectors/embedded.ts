import { and, eq, getTableColumns, inArray, isNotNull, sql } from "drizzle-orm";
import { isUuid } from "../../db/queries/ids.ts";
import { type CodeChunk, codeChunks } from "../../db/schema/code-chunks.ts";
import { projectFiles } from "../../db/schema/project-files.ts";
import type { DatabaseHandle } from "../../db/types.ts";
import type {
  ChunkPayload,
  IndexedEntry,
  LineMove,
  VectorHit,
  VectorPoint,
  VectorStore,
} from "../../features/context/types.ts";
import type { Logger } from "../../logger.ts";
import { LocalCopies } from "../cache/local-copies.ts";
import type { Cache } from "../cache/types.ts";
import { checkDimensions } from "./ids.ts";
import { type ProjectMatrix, toMatrix, topK } from "./matrix.ts";

const VECTORS_CHANGED_CHANNEL = "vectors:changed";

/** Projects whose matrices stay in memory at once; the least recently searched goes first. */
const MAX_CACHED_PROJECTS = 64;
/**
 * A matrix is reloaded after this long even without an invalidation: one sent while this instance
 * could not hear it (Redis reconnecting) is lost, and this bounds how long a stale matrix serves.
 */
const MATRIX_MAX_AGE_MS = 60_000;
/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters at 12 per row. */
const INSERT_BATCH = 500;

/** On a repeated id, every column but the identity and creation time takes the new value. */
const EXCLUDED = {
  fileId: sql`excluded.file_id`,
  path: sql`excluded.path`,
  functionName: sql`excluded.function_name`,
  className: sql`excluded.class_name`,
  language: sql`excluded.language`,
  content: sql`excluded.content`,
  contentHash: sql`excluded.content_hash`,
  lineStart: sql`excluded.line_start`,
  lineEnd: sql`excluded.line_end`,
  embedding: sql`excluded.embedding`,
  embeddingModel: sql`excluded.embedding_model`,
};

export interface EmbeddedVectorOptions {
  db: DatabaseHandle;
  /** The embedder's size; vectors of any other size are refused. */
  dimensions: number;
  /** Written to embedding_model; search reads only this model's vectors so a model change never mixes. */
  model?: string | undefined;
  /** Shares invalidations between instances (Redis-backed in production). */
  cache?: Pick<Cache, "publish" | "subscribe"> | undefined;
  logger?: Logger | undefined;
}

/**
 * Vectors in the database (`code_chunks.embedding real[]`, no pgvector), searched by exact cosine
 * over a per-project Float32Array matrix in memory. A project's matrix is loaded on its first
 * search and dropped on every write to it. The memory is per process: other instances learn of
 * a write through a `vectors:changed` message on the cache and reload on their next search;
 * without a shared cache they keep serving their copy until it is evicted.
 *
 * A row needs its file (`file_id` is NOT NULL), so upsert looks files up by (project, path) and
 * skips points whose file no longer exists: the file's deletion already cascaded its chunks away.
 */
export class EmbeddedVectorStore implements VectorStore {
  readonly kind = "embedded" as const;
  /** Loaded matrices, the least recently searched evicted first, dropped on every instance by a write. */
  private readonly matrices: LocalCopies<ProjectMatrix>;

  constructor(private readonly options: EmbeddedVectorOptions) {
    this.matrices = new LocalCopies<ProjectMatrix>({
      channel: VECTORS_CHANGED_CHANNEL,
      cache: options.cache,
      logger: options.logger,
      what: "vector store",
      max: MAX_CACHED_PROJECTS,
      maxAgeMs: MATRIX_MAX_AGE_MS,
      load: (projectId) => this.load(projectId),
    });
  }

  async upsert(projectId: string, points: VectorPoint[]): Promise<void> {
    checkDimensions(
      points.map((p) => p.vector),
      this.options.dimensions,
      "vector store upsert",
    );
    if (points.length === 0) return;
    const db = await this.options.db.get();
    const paths = [...new Set(points.map((p) => p.payload.filename))];
    const files = await db
      .select({ id: projectFiles.id, path: projectFiles.path })
      .from(projectFiles)
      .where(and(eq(projectFiles.projectId, projectId), inArray(projectFiles.path, paths)));
    const fileIds = new Map(files.map((f) => [f.path, f.id]));
    // The last point of an id wins, as a second upsert would; one INSERT cannot touch a row twice.
    const byId = new Map<string, VectorPoint>();
    for (const p of points) if (fileIds.has(p.payload.filename) && isUuid(p.id)) byId.set(p.id, p);
    const rows = [...byId.values()].map((p) => ({
      id: p.id,
      projectId,
      fileId: fileIds.get(p.payload.filename)!,
      path: p.payload.filename,
      functionName: p.payload.function_name,
      className: p.payload.class_name,
      language: p.payload.language,
      content: p.payload.code_snippet,
      contentHash: p.payload.content_hash,
      lineStart: p.payload.line_start,
      lineEnd: p.payload.line_end,
      embedding: p.vector,
      embeddingModel: this.options.model ?? null,
    }));
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await db
        .insert(codeChunks)
        .values(rows.slice(i, i + INSERT_BATCH))
        .onConflictDoUpdate({
          target: codeChunks.id,
          set: EXCLUDED,
          // Ids include the project, so this only guards against a caller's bad id moving a row.
          setWhere: sql`${codeChunks.projectId} = excluded.project_id`,
        });
    }
    await this.changed(projectId);
  }

  async relocate(projectId: string, moves: LineMove[]): Promise<void> {
    const valid = moves.filter((m) => isUuid(m.id));
    if (valid.length === 0) return;
    const db = await this.options.db.get();
    await db.transaction(async (tx) => {
      for (const m of valid)
        await tx
          .update(codeChunks)
          .set({ lineStart: m.lineStart, lineEnd: m.lineEnd })
          .where(and(eq(codeChunks.projectId, projectId), eq(codeChunks.id, m.id)));
    });
    await this.changed(projectId);
  }

  async remove(projectId: string, ids: string[]): Promise<void> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return;
    const db = await this.options.db.get();
    await db
      .delete(codeChunks)
      .where(and(eq(codeChunks.projectId, projectId), inArray(codeChunks.id, valid)));
    await this.changed(projectId);
  }

  async removeFile(projectId: string, path: string): Promise<void> {
    const db = await this.options.db.get();
    await db.delete(codeChunks).where(and(eq(codeChunks.projectId, projectId), eq(codeChunks.path, path)));
    await this.changed(projectId);
  }

  async dropProject(projectId: string): Promise<void> {
    const db = await this.options.db.get();
    await db.delete(codeChunks).where(eq(codeChunks.projectId, projectId));
    await this.changed(projectId);
  }

  async entries(projectId: string, path?: string): Promise<IndexedEntry[]> {
    if (!isUuid(projectId)) return [];
    const db = await this.options.db.get();
    const { embedding: _vector, ...columns } = getTableColumns(codeChunks);
    const rows = await db
      .select(columns)
      .from(codeChunks)
      .where(
        and(
          eq(codeChunks.projectId, projectId),
          path === undefined ? undefined : eq(codeChunks.path, path),
          isNotNull(codeChunks.embedding),
          this.options.model === undefined ? undefined : eq(codeChunks.embeddingModel, this.options.model),
        ),
      );
    return rows.map((r) => ({ id: r.id, payload: payloadOfRow(r) }));
  }

  async search(projectId: string, vector: number[], limit: number): Promise<VectorHit[]> {
    checkDimensions([vector], this.options.dimensions, "vector store search");
    if (limit <= 0 || !isUuid(projectId)) return [];
    return topK(await this.matrices.get(projectId), vector, limit);
  }

  ping(): Promise<void> {
    return this.options.db.ping();
  }

  /** Stop listening for other instances' invalidations. */
  async close(): Promise<void> {
    await this.matrices.close();
  }

  private async load(projectId: string): Promise<ProjectMatrix> {
    const db = await this.options.db.get();
    const model = this.options.model;
    const rows = await db
      .select()
      .from(codeChunks)
      .where(
        and(
          eq(codeChunks.projectId, projectId),
          isNotNull(codeChunks.embedding),
          model === undefined ? undefined : eq(codeChunks.embeddingModel, model),
        ),
      );
    const points = rows.map((r) => ({ id: r.id, vector: r.embedding ?? [], payload: payloadOfRow(r) }));
    return toMatrix(points, this.options.dimensions);
  }

  /** Forget the project here at once, then tell every instance. */
  private async changed(projectId: string): Promise<void> {
    await this.matrices.changed(projectId);
  }
}

function payloadOfRow(r: Omit<CodeChunk, "embedding">): ChunkPayload {
  return {
    project_id: r.projectId,
    filename: r.path,
    function_name: r.functionName,
    class_name: r.className,
    language: r.language ?? "",
    code_snippet: r.content,
    line_start: r.lineStart,
    line_end: r.lineEnd,
    content_hash: r.contentHash,
  };
}
