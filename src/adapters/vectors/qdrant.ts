import { QdrantClient } from "@qdrant/js-client-rest";
import { isUuid } from "../../db/queries/ids.ts";
import { AppError, UnavailableError, UpstreamError } from "../../errors.ts";
import type {
  ChunkPayload,
  IndexedEntry,
  LineMove,
  VectorHit,
  VectorPoint,
  VectorStore,
} from "../../features/context/types.ts";
import { checkDimensions, VectorDimensionError } from "./ids.ts";

const QDRANT_COLLECTION = "code_embeddings";
/** Points per upsert request: keeps bodies to a few MB at 1,536 dimensions. */
const UPSERT_BATCH = 256;
/** Points per scroll page when listing a project's entries (payloads only). */
const SCROLL_PAGE = 1_000;

export interface QdrantVectorOptions {
  url: string;
  apiKey?: string | undefined;
  /** The embedder's size: the collection is created with it and every vector is checked against it. */
  dimensions: number;
  collection?: string | undefined;
  /** Per request; the client's own default is five minutes. */
  timeoutMs?: number | undefined;
}

type Condition = { key: string; match: { value: string } } | { has_id: string[] };

/**
 * Vectors in Qdrant: one collection for every project (cosine), each point's payload the
 * ChunkPayload, and every search and delete filtered by `project_id` so one project never sees
 * or removes another's points. The collection is created on first use.
 */
export class QdrantVectorStore implements VectorStore {
  readonly kind = "qdrant" as const;
  private readonly client: QdrantClient;
  private readonly collection: string;
  private ready: Promise<void> | undefined;

  constructor(private readonly options: QdrantVectorOptions) {
    this.collection = options.collection ?? QDRANT_COLLECTION;
    this.client = new QdrantClient({
      url: options.url,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      timeout: options.timeoutMs ?? 10_000,
      // The check runs unawaited at construction and only warns on the console; ping() reports instead.
      checkCompatibility: false,
    });
  }

  async upsert(projectId: string, points: VectorPoint[]): Promise<void> {
    checkDimensions(
      points.map((p) => p.vector),
      this.options.dimensions,
      "vector store upsert",
    );
    if (points.length === 0) return;
    await this.ensureCollection();
    for (let i = 0; i < points.length; i += UPSERT_BATCH) {
      const batch = points.slice(i, i + UPSERT_BATCH).map((p) => ({
        id: p.id,
        vector: p.vector,
        payload: { ...payloadOf(p.payload), project_id: projectId },
      }));
      await this.call("upsert", () => this.client.upsert(this.collection, { wait: true, points: batch }));
    }
  }

  async relocate(projectId: string, moves: LineMove[]): Promise<void> {
    const valid = moves.filter((m) => isUuid(m.id));
    if (valid.length === 0) return;
    await this.ensureCollection();
    for (let i = 0; i < valid.length; i += UPSERT_BATCH) {
      const operations = valid.slice(i, i + UPSERT_BATCH).map((m) => ({
        set_payload: {
          payload: { line_start: m.lineStart, line_end: m.lineEnd },
          // By filter, not `points`: only this project's point of that id is touched.
          filter: { must: [projectIs(projectId), { has_id: [m.id] }] },
        },
      }));
      await this.call("relocate", () => this.client.batchUpdate(this.collection, { wait: true, operations }));
    }
  }

  async remove(projectId: string, ids: string[]): Promise<void> {
    // Qdrant refuses ids that are neither integers nor UUIDs; such an id cannot be stored anyway.
    const valid = ids.filter(isUuid);
    if (valid.length > 0) await this.deleteWhere([projectIs(projectId), { has_id: valid }]);
  }

  removeFile(projectId: string, path: string): Promise<void> {
    return this.deleteWhere([projectIs(projectId), { key: "filename", match: { value: path } }]);
  }

  dropProject(projectId: string): Promise<void> {
    return this.deleteWhere([projectIs(projectId)]);
  }

  async entries(projectId: string, path?: string): Promise<IndexedEntry[]> {
    await this.ensureCollection();
    const must: Condition[] = [projectIs(projectId)];
    if (path !== undefined) must.push({ key: "filename", match: { value: path } });
    const out: IndexedEntry[] = [];
    let offset: string | number | undefined;
    do {
      const page = await this.call("scroll", () =>
        this.client.scroll(this.collection, {
          filter: { must },
          limit: SCROLL_PAGE,
          with_payload: true,
          with_vector: false,
          ...(offset === undefined ? {} : { offset }),
        }),
      );
      if (!Array.isArray(page?.points)) throw new UpstreamError("Qdrant answered a scroll without points");
      for (const p of page.points)
        out.push({ id: String(p.id), payload: payloadOf(p.payload as unknown as ChunkPayload) });
      const next = page.next_page_offset;
      offset = typeof next === "string" || typeof next === "number" ? next : undefined;
    } while (offset !== undefined);
    return out;
  }

  async search(projectId: string, vector: number[], limit: number): Promise<VectorHit[]> {
    checkDimensions([vector], this.options.dimensions, "vector store search");
    if (limit <= 0) return [];
    await this.ensureCollection();
    const found = await this.call("search", () =>
      this.client.query(this.collection, {
        query: vector,
        filter: { must: [projectIs(projectId)] },
        limit,
        with_payload: true,
      }),
    );
    if (!Array.isArray(found?.points)) throw new UpstreamError("Qdrant answered a search without points");
    return found.points.map((p) => ({
      id: String(p.id),
      score: p.score,
      payload: payloadOf(p.payload as unknown as ChunkPayload),
    }));
  }

  async ping(): Promise<void> {
    await this.call("ping", () => this.client.versionInfo());
  }

  /** The REST client keeps no connection of its own open. */
  async close(): Promise<void> {}

  private async deleteWhere(must: Condition[]): Promise<void> {
    await this.ensureCollection();
    await this.call("delete", () => this.client.delete(this.collection, { wait: true, filter: { must } }));
  }

  /** Create the collection once per process; a failure is not remembered so the next call retries. */
  private ensureCollection(): Promise<void> {
    this.ready ??= this.createCollection().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async createCollection(): Promise<void> {
    const { exists } = await this.call("collection check", () =>
      this.client.collectionExists(this.collection),
    );
    if (exists) return this.checkSize();
    try {
      await this.client.createCollection(this.collection, {
        vectors: { size: this.options.dimensions, distance: "Cosine" },
      });
    } catch (err) {
      // Another instance created it between our check and our create (409 since Qdrant 1.8, 400 before).
      const status = statusOf(err);
      if (status !== 409 && status !== 400) throw mapError("create collection", err);
      return this.checkSize();
    }
    // Every request filters on project_id: index it as the tenant key so filtering stays cheap.
    await this.call("create index", () =>
      this.client.createPayloadIndex(this.collection, {
        wait: true,
        field_name: "project_id",
        field_schema: { type: "keyword", is_tenant: true },
      }),
    );
  }

  /** An existing collection of another size means the embedder changed: say so instead of failing each upsert. */
  private async checkSize(): Promise<void> {
    const info = await this.call("collection info", () => this.client.getCollection(this.collection));
    const vectors = info.config?.params?.vectors as { size?: unknown } | undefined;
    const size = vectors?.size;
    if (typeof size === "number" && size !== this.options.dimensions)
      throw new VectorDimensionError(this.options.dimensions, size, `Qdrant collection "${this.collection}"`);
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw mapError(what, err);
    }
  }
}

function projectIs(projectId: string): Condition {
  return { key: "project_id", match: { value: projectId } };
}

/** Exactly the ChunkPayload fields, whatever else a caller's object or a stored point carries. */
function payloadOf(p: ChunkPayload): ChunkPayload {
  return {
    project_id: p.project_id,
    filename: p.filename,
    function_name: p.function_name ?? null,
    class_name: p.class_name ?? null,
    language: p.language,
    code_snippet: p.code_snippet,
    line_start: p.line_start,
    line_end: p.line_end,
    content_hash: p.content_hash,
  };
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * An answer with an error status is Qdrant's fault or ours (502), except 503/504 and timeouts,
 * which say it is not there right now (503); a failure to connect is 503 too.
 */
function mapError(what: string, err: unknown): Error {
  if (err instanceof AppError || err instanceof VectorDimensionError) return err;
  const status = statusOf(err);
  if (status !== undefined) {
    const detail = (err as { data?: { status?: { error?: unknown } } }).data?.status?.error;
    const message = `Qdrant ${what} failed with ${status}${typeof detail === "string" ? `: ${detail}` : ""}`;
    return status === 503 || status === 504
      ? new UnavailableError(message, err)
      : new UpstreamError(message, err);
  }
  const name = (err as Error | null)?.name ?? "";
  if (name === "QdrantClientTimeoutError" || name === "QdrantClientResourceExhaustedError")
    return new UnavailableError(`Qdrant ${what} timed out or is overloaded`, err);
  if (name === "QdrantClientUnexpectedResponseError" || err instanceof SyntaxError || isNoResult(err))
    return new UpstreamError(`Qdrant ${what} got an unexpected answer`, err);
  return new UnavailableError(`Qdrant is unreachable (${what})`, err);
}

function isNoResult(err: unknown): boolean {
  return err instanceof Error && err.message === "Result came uninitialized";
}
