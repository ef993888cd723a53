import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { MemoryCache } from "../../src/adapters/cache/memory.ts";
import { EmbeddedVectorStore } from "../../src/adapters/vectors/embedded.ts";
import { pointId } from "../../src/adapters/vectors/ids.ts";
import { QdrantVectorStore } from "../../src/adapters/vectors/qdrant.ts";
import { deletePath, putFile } from "../../src/db/queries/files.ts";
import { insertProject } from "../../src/db/queries/projects.ts";
import { createUser } from "../../src/db/queries/users.ts";
import type { Database } from "../../src/db/types.ts";
import { UnavailableError } from "../../src/errors.ts";
import type { ChunkPayload, VectorPoint, VectorStore } from "../../src/features/context/types.ts";
import { measureContent } from "../../src/features/files/service.ts";
import { databaseImplementations, openTestPglite, type TestDatabase } from "../helpers/db.ts";
import { silentLogger } from "../helpers/logs.ts";
import { startQdrantStandIn } from "../helpers/qdrant.ts";

const DIMENSIONS = 32;
const PATHS = ["src/app.ts", "src/util.ts", ...Array.from({ length: 10 }, (_, i) => `src/gen/part${i}.ts`)];

interface Subject {
  store: VectorStore;
  /** Two projects of one user, each holding every file of PATHS. */
  projects: [string, string];
  cleanup(): Promise<void>;
}

/** A user with two projects, each holding the files of PATHS, as the app would create them. */
async function seedProjects(db: Database): Promise<[string, string]> {
  const user = await createUser(db, { email: `${crypto.randomUUID()}@example.com`, passwordHash: null });
  const ids: string[] = [];
  for (const name of ["Alpha", "Beta"]) {
    const project = await insertProject(db, {
      userId: user.id,
      name,
      description: null,
      language: "typescript",
      template: "blank",
    });
    for (const path of PATHS) {
      const data = measureContent(path, `// ${path}\n`);
      await db.transaction((tx) =>
        putFile(tx, project.id, path, data, { current: undefined, userId: user.id }),
      );
    }
    ids.push(project.id);
  }
  return ids as [string, string];
}

/** A deterministic pseudo-random vector (mulberry32), so runs are reproducible. */
function vector(seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: DIMENSIONS }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32 - 0.5;
  });
}

function cosine(a: number[], b: number[]): number {
  const dot = a.reduce((s, x, i) => s + x * b[i]!, 0);
  return dot / Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
}

/** `base` moved by `amount` toward another random vector: smaller amounts stay closer. */
function near(base: number[], amount: number, seed: number): number[] {
  const other = vector(seed);
  return base.map((x, i) => x + amount * other[i]!);
}

function point(projectId: string, path: string, v: number[], snippet: string): VectorPoint {
  const content_hash = Bun.hash(`${path}:${snippet}`).toString(16);
  const payload: ChunkPayload = {
    project_id: projectId,
    filename: path,
    function_name: /^function (\w+)/.exec(snippet)?.[1] ?? null,
    class_name: null,
    language: "typescript",
    code_snippet: snippet,
    line_start: 1,
    line_end: 3,
    content_hash,
  };
  return { id: pointId(projectId, path, content_hash), vector: v, payload };
}

/** The behaviour every VectorStore must share; `make` builds a fresh one with seeded projects. */
function vectorStoreContract(name: string, make: () => Promise<Subject>) {
  describe(`${name} vector store`, () => {
    let subject: Subject;
    let store: VectorStore;
    let alpha: string;
    let beta: string;

    beforeAll(async () => {
      subject = await make();
      store = subject.store;
      [alpha, beta] = subject.projects;
    }, 60_000); // a PGlite template is built on first use: seconds on a busy machine
    // Each test starts from empty projects, even after another failed halfway.
    afterEach(() => Promise.all([store.dropProject(alpha), store.dropProject(beta)]));
    afterAll(() => subject?.cleanup());

    test("an empty project searches to nothing", async () => {
      expect(await store.search(alpha, vector(1), 5)).toEqual([]);
    });

    test("search finds the nearest by cosine, best first, with their payloads", async () => {
      const query = vector(10);
      const points = [
        point(alpha, "src/app.ts", near(query, 0.8, 11), "function far() {}"),
        point(alpha, "src/app.ts", near(query, 0.1, 12), "function closest() {}"),
        point(alpha, "src/util.ts", near(query, 0.4, 13), "function middle() {}"),
        point(alpha, "src/util.ts", vector(14), "function unrelated() {}"),
      ];
      await store.upsert(alpha, points);
      const hits = await store.search(alpha, query, 3);
      expect(hits.map((h) => h.payload.function_name)).toEqual(["closest", "middle", "far"]);
      for (const [i, hit] of hits.entries()) {
        const source = points.find((p) => p.id === hit.id)!;
        expect(hit.payload).toEqual(source.payload);
        expect(hit.score).toBeCloseTo(cosine(query, source.vector), 4);
        if (i > 0) expect(hit.score).toBeLessThanOrEqual(hits[i - 1]!.score);
      }
    });

    test("search never returns another project's points", async () => {
      const query = vector(20);
      await store.upsert(alpha, [point(alpha, "src/app.ts", near(query, 0.5, 21), "alpha's")]);
      await store.upsert(beta, [point(beta, "src/app.ts", query, "beta's exact match")]);
      const hits = await store.search(alpha, query, 10);
      expect(hits.map((h) => h.payload.code_snippet)).toEqual(["alpha's"]);
      expect(hits[0]!.payload.project_id).toBe(alpha);
    });

    test("upserting an id again replaces its vector and payload", async () => {
      const first = point(alpha, "src/app.ts", vector(30), "function before() {}");
      await store.upsert(alpha, [first]);
      const replaced = { ...first, vector: vector(31), payload: { ...first.payload, line_end: 9 } };
      await store.upsert(alpha, [replaced]);
      const hits = await store.search(alpha, vector(31), 10);
      expect(hits).toHaveLength(1);
      expect(hits[0]!.id).toBe(first.id);
      expect(hits[0]!.payload.line_end).toBe(9);
      expect(hits[0]!.score).toBeCloseTo(1, 4);
    });

    test("remove takes out the named ids, ignoring unknown and foreign ones", async () => {
      const [a, b, c] = [40, 41, 42].map((s) => point(alpha, "src/app.ts", vector(s), `chunk ${s}`));
      const theirs = point(beta, "src/app.ts", vector(43), "beta's");
      await store.upsert(alpha, [a!, b!, c!]);
      await store.upsert(beta, [theirs]);
      await store.remove(alpha, [a!.id, c!.id, crypto.randomUUID(), "not-a-uuid", theirs.id]);
      expect((await store.search(alpha, vector(40), 10)).map((h) => h.id)).toEqual([b!.id]);
      expect((await store.search(beta, vector(43), 10)).map((h) => h.id)).toEqual([theirs.id]);
    });

    test("removeFile takes out one file's points of that project only", async () => {
      await store.upsert(alpha, [
        point(alpha, "src/app.ts", vector(50), "app one"),
        point(alpha, "src/app.ts", vector(51), "app two"),
        point(alpha, "src/util.ts", vector(52), "util"),
      ]);
      await store.upsert(beta, [point(beta, "src/app.ts", vector(53), "beta app")]);
      await store.removeFile(alpha, "src/app.ts");
      expect((await store.search(alpha, vector(50), 10)).map((h) => h.payload.code_snippet)).toEqual([
        "util",
      ]);
      expect(await store.search(beta, vector(53), 10)).toHaveLength(1);
    });

    test("dropProject empties that project and leaves the other", async () => {
      await store.upsert(alpha, [point(alpha, "src/app.ts", vector(60), "alpha")]);
      await store.upsert(beta, [point(beta, "src/app.ts", vector(61), "beta")]);
      await store.dropProject(alpha);
      expect(await store.search(alpha, vector(60), 10)).toEqual([]);
      expect(await store.search(beta, vector(61), 10)).toHaveLength(1);
    });

    test("a vector of the wrong size is a clear error", async () => {
      const short = point(alpha, "src/app.ts", vector(70).slice(0, 5), "short");
      await expect(store.upsert(alpha, [short])).rejects.toThrow(/5 dimensions .* expects 32/);
      await expect(store.search(alpha, [1, 0, 0], 5)).rejects.toThrow(/3 dimensions .* expects 32/);
    });

    test("1,000 points upsert and search", async () => {
      const points = Array.from({ length: 1000 }, (_, i) =>
        point(alpha, PATHS[2 + (i % 10)]!, vector(1000 + i), `chunk ${i}`),
      );
      await store.upsert(alpha, points);
      const hits = await store.search(alpha, vector(1500), 10);
      expect(hits).toHaveLength(10);
      expect(hits[0]!.payload.code_snippet).toBe("chunk 500");
      expect(hits[0]!.score).toBeCloseTo(1, 4);
      expect(hits.map((h) => h.score)).toEqual(hits.map((h) => h.score).toSorted((x, y) => y - x));
    });

    test("entries list a project's points (or one file's) with payloads, across pages", async () => {
      const points = Array.from({ length: 1_203 }, (_, i) =>
        point(alpha, PATHS[2 + (i % 3)]!, vector(2000 + i), `entry ${i}`),
      );
      await store.upsert(alpha, points);
      await store.upsert(beta, [point(beta, PATHS[2]!, vector(9), "beta's")]);
      const all = await store.entries(alpha);
      expect(all.map((e) => e.id).toSorted()).toEqual(points.map((p) => p.id).toSorted());
      const byId = new Map(points.map((p) => [p.id, p.payload]));
      for (const e of all) expect(e.payload).toEqual(byId.get(e.id)!);
      const one = await store.entries(alpha, PATHS[3]!);
      expect(one).toHaveLength(401);
      expect(new Set(one.map((e) => e.payload.filename))).toEqual(new Set([PATHS[3]!]));
      expect(await store.entries(alpha, "no/such/file.ts")).toEqual([]);
    });

    test("relocate moves points to new lines and keeps their vectors; another project's id is untouched", async () => {
      const mine = point(alpha, "src/app.ts", vector(80), "function moved() {}");
      const theirs = point(beta, "src/app.ts", vector(81), "function theirs() {}");
      await store.upsert(alpha, [mine]);
      await store.upsert(beta, [theirs]);
      await store.relocate(alpha, [
        { id: mine.id, lineStart: 11, lineEnd: 13 },
        { id: theirs.id, lineStart: 50, lineEnd: 60 },
        { id: "not-a-uuid", lineStart: 1, lineEnd: 1 },
      ]);
      const [hit] = await store.search(alpha, vector(80), 1);
      expect(hit!.id).toBe(mine.id);
      expect(hit!.score).toBeCloseTo(1, 4);
      expect([hit!.payload.line_start, hit!.payload.line_end]).toEqual([11, 13]);
      expect(hit!.payload.code_snippet).toBe("function moved() {}");
      const [other] = await store.entries(beta);
      expect([other!.payload.line_start, other!.payload.line_end]).toEqual([1, 3]);
    });

    test("ping resolves while the backing service is reachable", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

async function embeddedSubject(open: () => Promise<TestDatabase>): Promise<Subject> {
  const database = await open();
  const cache = new MemoryCache(silentLogger());
  const store = new EmbeddedVectorStore({
    db: database.handle,
    dimensions: DIMENSIONS,
    model: "test",
    cache,
  });
  return {
    store,
    projects: await seedProjects(database.db),
    async cleanup() {
      await store.close();
      await cache.close();
      await database.cleanup();
    },
  };
}

for (const implementation of databaseImplementations())
  vectorStoreContract(`embedded (${implementation.name})`, () => embeddedSubject(implementation.open));
if (!process.env.DATABASE_URL)
  console.warn("embedded vector store on PostgreSQL skipped: DATABASE_URL is not set");

vectorStoreContract("qdrant (stand-in)", async () => {
  const qdrant = startQdrantStandIn();
  const store = new QdrantVectorStore({ url: qdrant.url, dimensions: DIMENSIONS });
  // Qdrant keeps no relational data, but real project ids keep the fixtures the same shape.
  const database = await openTestPglite();
  return {
    store,
    projects: await seedProjects(database.db),
    async cleanup() {
      await qdrant.close();
      await database.cleanup();
    },
  };
});

describe("point ids", () => {
  test("are UUID v5, the same for the same chunk and different for any other", () => {
    const id = pointId("p1", "src/a.ts", "h1");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pointId("p1", "src/a.ts", "h1")).toBe(id);
    const others = [
      pointId("p2", "src/a.ts", "h1"),
      pointId("p1", "src/b.ts", "h1"),
      pointId("p1", "src/a.ts", "h2"),
    ];
    expect(new Set([id, ...others]).size).toBe(4);
  });
});

describe("embedded vector store specifics", () => {
  let database: TestDatabase;
  let alpha: string;
  const cache = new MemoryCache(silentLogger());
  const stores: EmbeddedVectorStore[] = [];
  const open = (model = "test") => {
    const store = new EmbeddedVectorStore({ db: database.handle, dimensions: DIMENSIONS, model, cache });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    database = await openTestPglite();
    [alpha] = await seedProjects(database.db);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await cache.close();
    await database.cleanup();
  });

  test("skips points whose file does not exist, and a deleted file takes its vectors along", async () => {
    const store = open();
    await store.upsert(alpha, [
      point(alpha, "src/app.ts", vector(80), "kept"),
      point(alpha, "src/deleted-meanwhile.ts", vector(81), "skipped"),
    ]);
    expect((await store.search(alpha, vector(81), 10)).map((h) => h.payload.code_snippet)).toEqual(["kept"]);
    await deletePath(database.db, alpha, "src/app.ts");
    await store.removeFile(alpha, "src/app.ts"); // what the indexer does on a delete; also invalidates
    expect(await store.search(alpha, vector(80), 10)).toEqual([]);
  });

  test("a write on one instance reaches another instance's cached matrix through the cache", async () => {
    const [writer, reader] = [open(), open()];
    expect(await reader.search(alpha, vector(90), 5)).toEqual([]); // loads and caches an empty matrix
    await writer.upsert(alpha, [point(alpha, "src/util.ts", vector(90), "fresh")]);
    await Bun.sleep(10);
    expect((await reader.search(alpha, vector(90), 5)).map((h) => h.payload.code_snippet)).toEqual(["fresh"]);
    await writer.dropProject(alpha);
  });

  test("search reads only vectors of the store's model", async () => {
    await open("old-model").upsert(alpha, [point(alpha, "src/util.ts", vector(95), "old model")]);
    expect(await open("new-model").search(alpha, vector(95), 5)).toEqual([]);
    await open().dropProject(alpha);
  });
});

describe("qdrant vector store specifics", () => {
  const projectId = crypto.randomUUID();

  test("creates the collection once, cosine with the embedder's size, and indexes project_id", async () => {
    const qdrant = startQdrantStandIn({ apiKey: "secret-key" });
    const [one, two] = [0, 1].map(
      () => new QdrantVectorStore({ url: qdrant.url, apiKey: "secret-key", dimensions: DIMENSIONS }),
    );
    // Two instances racing to create it: the loser's 409 is not an error.
    await Promise.all([one!.search(projectId, vector(1), 3), two!.search(projectId, vector(1), 3)]);
    expect(qdrant.collections.get("code_embeddings")).toMatchObject({ size: DIMENSIONS, distance: "Cosine" });
    expect(qdrant.collections.get("code_embeddings")!.indexes).toHaveProperty("project_id");
    await one!.removeFile(projectId, "src/app.ts");
    for (const r of qdrant.requests.filter((r) => /points\/(query|delete)$/.test(r.path)))
      expect(JSON.stringify(r.body)).toContain(`{"key":"project_id","match":{"value":"${projectId}"}}`);
    await qdrant.close();
  });

  test("an existing collection of another size is a clear error", async () => {
    const qdrant = startQdrantStandIn();
    await new QdrantVectorStore({ url: qdrant.url, dimensions: 8 }).ping();
    await new QdrantVectorStore({ url: qdrant.url, dimensions: 8 }).search(
      projectId,
      vector(1).slice(0, 8),
      1,
    );
    const store = new QdrantVectorStore({ url: qdrant.url, dimensions: DIMENSIONS });
    await expect(store.search(projectId, vector(1), 1)).rejects.toThrow(/32 dimensions .* expects 8/);
    await qdrant.close();
  });

  test("a bad answer is a 502 UpstreamError, an unreachable server a 503 UnavailableError", async () => {
    const qdrant = startQdrantStandIn();
    const store = new QdrantVectorStore({ url: qdrant.url, dimensions: DIMENSIONS });
    await store.search(projectId, vector(1), 1);
    qdrant.failNext(500);
    await expect(store.search(projectId, vector(1), 1)).rejects.toMatchObject({ status: 502 });
    await qdrant.close();
    await expect(store.ping()).rejects.toBeInstanceOf(UnavailableError);
    await expect(store.upsert(projectId, [point(projectId, "a.ts", vector(1), "x")])).rejects.toMatchObject({
      status: 503,
    });
  });
});
