/**
 * The worker thread that owns PGlite. PostgreSQL-in-WASM runs synchronously while it opens
 * (≈0.3 s, more to create a cluster) and while each query executes; here that blocks this
 * thread only, never the HTTP server. Speaks the small protocol of ./pglite-bridge.ts.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { PGlite, types } from "@electric-sql/pglite";
import initdbWasmPath from "@electric-sql/pglite/initdb.wasm" with { type: "file" };
import fsBundlePath from "@electric-sql/pglite/pglite.data" with { type: "file" };
import pgliteWasmPath from "@electric-sql/pglite/pglite.wasm" with { type: "file" };
import type { BridgeReply, BridgeRequest, OpenResult } from "./pglite-bridge.ts";
import clusterPath from "./pglite-cluster.tar.gz" with { type: "file" };

declare const self: Worker;

const keepText = (value: string) => value;
/** drizzle's own PGlite parsers: dates, times and intervals (and arrays of them) stay text. */
const PARSERS = Object.fromEntries(
  [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map(
    (oid) => [oid, keepText],
  ),
);

let pg: PGlite | undefined;

async function compileWasm(path: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await Bun.file(path).arrayBuffer());
}

/**
 * PostgreSQL's default 128 MB of shared buffers is touched at start and stays resident in the
 * WASM memory (≈190 MB idle). One embedded user needs far less; 16 MB keeps idle memory small.
 */
const START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"];

async function open(dir: string, template: string): Promise<OpenResult> {
  // PGlite's assets are passed explicitly because `bun build --compile` does not embed them
  // on its own; the file imports do, and development takes the same path.
  const fresh = !existsSync(join(dir, "PG_VERSION"));
  const [pgliteWasmModule, fsBundle] = await Promise.all([
    compileWasm(pgliteWasmPath),
    Bun.file(fsBundlePath).arrayBuffer(),
  ]);
  const options = { pgliteWasmModule, fsBundle: new Blob([fsBundle]), startParams: START_PARAMS };
  if (!fresh) {
    pg = await PGlite.create(dir, options);
    return { created: null };
  }
  // A new cluster is unpacked from the one scripts/db-cluster-template.ts made instead of
  // running initdb (≈2 s, and a ≈1 GB peak of memory). Should it not open, because it
  // belongs to another PGlite version, initdb runs after all. It is decompressed here:
  // PGlite waits forever on a gzip stream that is not valid.
  const empty = !existsSync(dir) || readdirSync(dir).length === 0;
  try {
    const tar = Bun.gunzipSync(await Bun.file(template).bytes());
    pg = await PGlite.create(dir, { ...options, loadDataDir: new Blob([tar]) });
    return { created: "template" };
  } catch (err) {
    // Only what this attempt unpacked is removed; anything that was there stays.
    if (!empty) throw err;
    rmSync(dir, { recursive: true, force: true });
    pg = await PGlite.create(dir, { ...options, initdbWasmModule: await compileWasm(initdbWasmPath) });
    return { created: "initdb", templateError: (err as Error).message ?? String(err) };
  }
}

async function handle(request: BridgeRequest): Promise<unknown> {
  if (request.op === "open") return open(request.dir, request.template ?? clusterPath);
  if (!pg) throw new Error("PGlite is not open");
  if (request.op === "close") return pg.close();
  const result = await pg.query(request.sql, request.params, { rowMode: request.rowMode, parsers: PARSERS });
  return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
}

// Tell the bridge the module loaded: a worker that fails to load reports no error event.
postMessage({ id: 0, ok: true, value: "loaded" } satisfies BridgeReply);

self.onmessage = async (event: MessageEvent<BridgeRequest>) => {
  const request = event.data;
  let reply: BridgeReply;
  try {
    reply = { id: request.id, ok: true, value: await handle(request) };
  } catch (err) {
    // Keep what callers inspect (SQLSTATE `code`, detail, constraint) across the thread boundary.
    const { message, ...fields } = Object.assign({}, err, { message: (err as Error).message ?? String(err) });
    reply = { id: request.id, ok: false, error: { message, fields: JSON.parse(JSON.stringify(fields)) } };
  }
  postMessage(reply);
};
