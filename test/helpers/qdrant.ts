/**
 * A stand-in for Qdrant's REST API over real HTTP, implementing just what the vector store's
 * client calls, with Qdrant's JSON shapes (`{result, status: "ok", time}`, errors as
 * `{status: {error}, time}`), so the real adapter runs against it unchanged.
 */

type Payload = Record<string, unknown>;
interface StoredPoint {
  id: string | number;
  vector: number[];
  payload: Payload;
}
interface Collection {
  size: number;
  distance: string;
  points: Map<string, StoredPoint>;
  indexes: Record<string, unknown>;
}
interface Condition {
  key?: string;
  match?: { value?: unknown; any?: unknown[] };
  has_id?: (string | number)[];
  must?: Condition[];
  should?: Condition[];
  must_not?: Condition[];
}

/** The request fields this stand-in reads, across every route. */
interface SetPayload {
  payload: Record<string, unknown>;
  points?: (string | number)[];
  filter?: Condition;
}

interface Body {
  operations?: unknown[];
  vectors?: { size?: number; distance?: string };
  field_name?: string;
  field_schema?: unknown;
  points?: StoredPoint[] | (string | number)[];
  filter?: Condition;
  query?: number[];
  vector?: number[];
  limit?: number;
  with_payload?: boolean;
  with_vector?: boolean;
  offset?: string | number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  body: unknown;
}

export interface QdrantStandIn {
  url: string;
  requests: LoggedRequest[];
  collections: Map<string, Collection>;
  /** Answer the next `count` requests with this status (an error body), as a failing server would. */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

export function startQdrantStandIn(options: { apiKey?: string } = {}): QdrantStandIn {
  const collections = new Map<string, Collection>();
  const requests: LoggedRequest[] = [];
  let failing = { status: 0, count: 0 };

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      const text = await req.text();
      const body = text ? JSON.parse(text) : undefined;
      requests.push({ method: req.method, path: url.pathname, query: url.search, body });
      if (options.apiKey && req.headers.get("api-key") !== options.apiKey)
        return new Response("Must provide an API key or an Authorization bearer token", { status: 401 });
      if (failing.count > 0) {
        failing.count--;
        return error(failing.status, "Service internal error: the stand-in was told to fail");
      }
      return route(collections, req.method, url.pathname, body);
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    collections,
    failNext(status, count = 1) {
      failing = { status, count };
    },
    close: () => server.stop(true),
  };
}

const started = performance.now();
function ok(result: unknown): Response {
  return Response.json({ result, status: "ok", time: (performance.now() - started) / 1e6 });
}
function error(status: number, message: string): Response {
  return Response.json({ status: { error: message }, time: 0 }, { status });
}
const completed = () => ok({ operation_id: 0, status: "completed" });

function route(collections: Map<string, Collection>, method: string, path: string, body: Body): Response {
  if (method === "GET" && path === "/")
    return Response.json({ title: "qdrant - vector search engine", version: "1.19.0" });
  const match = /^\/collections\/([^/]+)(\/.*)?$/.exec(path);
  if (!match) return error(404, `Not found: ${path}`);
  const name = decodeURIComponent(match[1]!);
  const rest = match[2] ?? "";
  const collection = collections.get(name);
  if (method === "GET" && rest === "/exists") return ok({ exists: collection !== undefined });
  if (method === "PUT" && rest === "") {
    if (collection) return error(409, `Wrong input: Collection \`${name}\` already exists!`);
    const vectors = body?.vectors;
    if (typeof vectors?.size !== "number") return error(400, "Wrong input: vectors.size is required");
    const distance = vectors.distance ?? "Cosine";
    collections.set(name, { size: vectors.size, distance, points: new Map(), indexes: {} });
    return ok(true);
  }
  if (!collection) return error(404, `Not found: Collection \`${name}\` doesn't exist!`);
  if (method === "GET" && rest === "") return ok(collectionInfo(collection));
  if (method === "PUT" && rest === "/index") {
    collection.indexes[body.field_name ?? ""] = body.field_schema;
    return completed();
  }
  if (method === "PUT" && rest === "/points") {
    const points = (body.points ?? []) as StoredPoint[];
    for (const p of points) {
      if (p.vector.length !== collection.size)
        return error(
          400,
          `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${p.vector.length}`,
        );
    }
    for (const p of points)
      collection.points.set(String(p.id), { id: p.id, vector: unit(p.vector), payload: p.payload ?? {} });
    return completed();
  }
  if (method === "POST" && rest === "/points/delete") {
    for (const [key, p] of collection.points) {
      const byId = Array.isArray(body.points) && body.points.map(String).includes(key);
      if (byId || (body.filter && matches(p, body.filter))) collection.points.delete(key);
    }
    return completed();
  }
  if (method === "POST" && rest === "/points/batch") {
    for (const op of (body.operations ?? []) as { set_payload?: SetPayload }[]) {
      const set = op.set_payload;
      if (!set) return error(400, "Wrong input: only set_payload operations are supported by the stand-in");
      if (!set.points && !set.filter) return error(400, "Wrong input: points or filter is required");
      const ids = set.points?.map(String);
      for (const [key, p] of collection.points)
        if ((!ids || ids.includes(key)) && (!set.filter || matches(p, set.filter)))
          p.payload = { ...p.payload, ...set.payload };
    }
    return ok((body.operations ?? []).map(() => ({ operation_id: 0, status: "completed" })));
  }
  if (method === "POST" && rest === "/points/scroll") {
    // Ordered by id as Qdrant does; `offset` is the first id of the page, `next_page_offset` the next one.
    const all = [...collection.points.values()]
      .filter((p) => !body.filter || matches(p, body.filter))
      .sort((a, b) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));
    const from = body.offset === undefined ? 0 : all.findIndex((p) => String(p.id) >= String(body.offset));
    const limit = body.limit ?? 10;
    const page = from < 0 ? [] : all.slice(from, from + limit);
    const next = from < 0 ? undefined : all[from + limit];
    return ok({
      points: page.map((p) => ({
        id: p.id,
        ...(body.with_payload ? { payload: p.payload } : {}),
        ...(body.with_vector ? { vector: p.vector } : {}),
      })),
      next_page_offset: next ? next.id : null,
    });
  }
  if (method === "POST" && (rest === "/points/query" || rest === "/points/search")) {
    const query = rest === "/points/query" ? body.query : body.vector;
    if (!Array.isArray(query) || query.length !== collection.size)
      return error(400, `Wrong input: Vector dimension error: expected dim: ${collection.size}`);
    const q = unit(query);
    const scored = [...collection.points.values()]
      .filter((p) => !body.filter || matches(p, body.filter))
      .map((p) => ({
        id: p.id,
        version: 0,
        score: p.vector.reduce((sum, x, i) => sum + x * q[i]!, 0),
        ...(body.with_payload ? { payload: p.payload } : {}),
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, body.limit ?? 10);
    return ok(rest === "/points/query" ? { points: scored } : scored);
  }
  return error(404, `Not found: ${method} ${path}`);
}

function collectionInfo(c: Collection) {
  return {
    status: "green",
    optimizer_status: "ok",
    indexed_vectors_count: 0,
    points_count: c.points.size,
    segments_count: 1,
    config: {
      params: {
        vectors: { size: c.size, distance: c.distance },
        shard_number: 1,
        replication_factor: 1,
        write_consistency_factor: 1,
        on_disk_payload: true,
      },
      hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000 },
      optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, flush_interval_sec: 5 },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
    },
    payload_schema: Object.fromEntries(Object.entries(c.indexes).map(([k, v]) => [k, { data_type: v }])),
  };
}

/** Cosine collections store unit vectors, so a score is a dot product, as in Qdrant. */
function unit(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / n);
}

function matches(p: StoredPoint, f: Condition): boolean {
  if (f.must && !f.must.every((c) => matches(p, c))) return false;
  if (f.should && !f.should.some((c) => matches(p, c))) return false;
  if (f.must_not?.some((c) => matches(p, c))) return false;
  if (f.has_id && !f.has_id.map(String).includes(String(p.id))) return false;
  if (f.key !== undefined) {
    const value = p.payload[f.key];
    if (f.match && "value" in f.match && value !== f.match.value) return false;
    if (f.match?.any && !f.match.any.includes(value)) return false;
  }
  return true;
}
