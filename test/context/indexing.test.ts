import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CodeIndex } from "../../src/features/context/code-index.ts";
import { indexPlan } from "../../src/features/context/indexer.ts";
import { HashedFeatureEmbedder } from "../../src/search/vectors.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";
import { startQdrantStandIn } from "../helpers/qdrant.ts";

type Result = {
  filename: string;
  function_name?: string;
  class_name?: string;
  language: string;
  code_snippet: string;
  line_start: number;
  line_end: number;
  score: number;
};

const BILLING = `export function computeInvoiceTotal(items) {
  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

export class ShoppingCart {
  addItem(item) {
    this.items.push(item);
  }
}
`;

/** The same behaviour with the embedded vector store and with Qdrant (its REST stand-in). */
for (const store of ["embedded", "qdrant"] as const) {
  describe(`code index (${store} vectors)`, () => {
    let t: TestApp;
    let qdrant: ReturnType<typeof startQdrantStandIn> | undefined;
    let alice: Awaited<ReturnType<typeof registerUser>>;
    let as: ReturnType<typeof api>;
    let project: { id: string };

    const search = async (q: string, limit = 10) => {
      const res = await as.get(
        `/api/v1/projects/${project.id}/context?q=${encodeURIComponent(q)}&limit=${limit}`,
      );
      expect(res.status).toBe(200);
      return ((await res.json()) as { results: Result[] }).results;
    };
    const save = async (path: string, content: string) => {
      const res = await as.put(`/api/v1/projects/${project.id}/files/${path}`, { content });
      expect(res.status).toBe(200);
    };
    const settled = () => t.deps.context.idle();

    beforeAll(async () => {
      qdrant = store === "qdrant" ? startQdrantStandIn() : undefined;
      t = await createTestApp(qdrant ? { QDRANT_URL: qdrant.url } : {});
      expect(t.deps.context.store.kind).toBe(store);
      alice = await registerUser(t);
      as = api(t, alice.auth);
      project = await as.project({ name: "Shop" });
      await settled();
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      await qdrant?.close();
    });

    test("a new project's template files are indexed and found, with names and lines", async () => {
      const [top] = await search("greet name");
      expect(top).toMatchObject({
        filename: "index.js",
        function_name: "greet",
        language: "javascript",
        line_start: 1,
        line_end: 3,
      });
      expect(top!.code_snippet).toContain("Hello");
      expect(top!.score).toBeGreaterThan(0);
      expect(top!.score).toBeLessThanOrEqual(1);
    });

    test("a save is indexed in the background and found by what the code does", async () => {
      await save("src/billing.js", BILLING);
      await settled();
      const results = await search("invoice total");
      expect(results[0]).toMatchObject({ filename: "src/billing.js", function_name: "computeInvoiceTotal" });
      const cart = await search("ShoppingCart addItem");
      // The class header and its method both match; the method is one of the two, at its line.
      const method = cart.slice(0, 2).find((r) => r.function_name === "addItem");
      expect(method).toMatchObject({ class_name: "ShoppingCart", line_start: 6, line_end: 8 });
      expect(results.map((r) => r.score)).toEqual(results.map((r) => r.score).toSorted((a, b) => b - a));
    });

    test("a save re-embeds only changed chunks; moved ones keep their ids and get new lines", async () => {
      const before = await t.deps.context.store.entries(project.id, "src/billing.js");
      await save(
        "src/billing.js",
        `// Prices are in cents.\n\n${BILLING.replace("this.items.push(item);", "this.items.unshift(item);")}`,
      );
      await settled();
      const after = await t.deps.context.store.entries(project.id, "src/billing.js");
      const byName = (list: typeof before, name: string) =>
        list.find((e) => e.payload.function_name === name)!;
      // Unchanged code: same point, two lines further down.
      expect(byName(after, "computeInvoiceTotal").id).toBe(byName(before, "computeInvoiceTotal").id);
      expect(byName(after, "computeInvoiceTotal").payload.line_start).toBe(3);
      // Changed code: a new point, the old one gone.
      expect(byName(after, "addItem").id).not.toBe(byName(before, "addItem").id);
      expect(after.some((e) => e.id === byName(before, "addItem").id)).toBe(false);
      // Nothing changed since: a full re-index embeds nothing.
      const again = await t.deps.context.reindex(project.id);
      expect(again).toMatchObject({ embedded: 0, cancelled: false });
      expect(again.files).toBe(3);
    });

    test("deleting and renaming files take their chunks along", async () => {
      await save("src/old-name.js", "function renameMe() { return 1; }\n");
      await save("src/gone.js", "function deleteMe() { return 2; }\n");
      await settled();
      expect((await search("renameMe"))[0]?.filename).toBe("src/old-name.js");
      const moved = await as.post(`/api/v1/projects/${project.id}/files/rename`, {
        from: "src/old-name.js",
        to: "lib/new-name.js",
      });
      expect(moved.status).toBeLessThan(300);
      expect((await as.delete(`/api/v1/projects/${project.id}/files/src/gone.js`)).status).toBe(204);
      await settled();
      const files = new Set((await t.deps.context.store.entries(project.id)).map((e) => e.payload.filename));
      expect(files.has("src/old-name.js")).toBe(false);
      expect(files.has("src/gone.js")).toBe(false);
      expect((await search("renameMe"))[0]?.filename).toBe("lib/new-name.js");
      expect((await search("deleteMe")).some((r) => r.filename === "src/gone.js")).toBe(false);
    });

    test("someone else's project is a 404, and the query is checked", async () => {
      const bob = api(t, (await registerUser(t)).auth);
      expect((await bob.get(`/api/v1/projects/${project.id}/context?q=greet`)).status).toBe(404);
      expect((await bob.get(`/api/v1/projects/${crypto.randomUUID()}/context?q=greet`)).status).toBe(404);
      const missing = await as.get(`/api/v1/projects/${project.id}/context`);
      expect(missing.status).toBe(400);
      expect(await missing.text()).toContain("q");
      expect((await as.get(`/api/v1/projects/${project.id}/context?q=x&limit=0`)).status).toBe(400);
      expect((await as.get(`/api/v1/projects/${project.id}/context?q=x&limit=51`)).status).toBe(400);
      expect((await as.get(`/api/v1/projects/${project.id}/context?q=greet`)).status).toBe(200);
    });

    test("limit bounds the results", async () => {
      expect((await search("function", 2)).length).toBeLessThanOrEqual(2);
    });

    test("a re-index reports progress per file and stops when cancelled, keeping what it did", async () => {
      for (let i = 0; i < 6; i++)
        await save(`gen/part${i}.js`, `function part${i}Handler() { return ${i}; }\n`);
      await settled();
      await t.deps.context.drop(project.id);
      const controller = new AbortController();
      const seen: number[] = [];
      const cancelled = await t.deps.context.reindex(project.id, {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.done);
          expect(p.total).toBe(10);
          if (p.done === 2) controller.abort();
        },
      });
      expect(cancelled.cancelled).toBe(true);
      expect(seen).toEqual([1, 2]);
      expect((await t.deps.context.status(project.id)).files).toBe(2);
      const done = await t.deps.context.reindex(project.id);
      expect(done).toMatchObject({ cancelled: false, files: 10 });
      expect((await t.deps.context.status(project.id)).files).toBe(10);
    });

    test("indexing switched off drops the chunks and searches find nothing; on again rebuilds", async () => {
      const { setIndexing } = await import("../../src/features/context/service.ts");
      await setIndexing(t.deps, alice.user.id, project.id, false);
      expect(await t.deps.context.store.entries(project.id)).toEqual([]);
      expect(await search("greet")).toEqual([]);
      await save("late.js", "function afterSwitchOff() {}\n");
      await settled();
      expect(await t.deps.context.store.entries(project.id)).toEqual([]);
      await setIndexing(t.deps, alice.user.id, project.id, true);
      await settled();
      expect((await search("afterSwitchOff"))[0]?.filename).toBe("late.js");
    });

    test("deleting the project removes its index entries", async () => {
      const doomed = await as.project({ name: "Doomed" });
      await settled();
      expect((await t.deps.context.store.entries(doomed.id)).length).toBeGreaterThan(0);
      expect((await as.delete(`/api/v1/projects/${doomed.id}`)).status).toBe(204);
      expect(await t.deps.context.store.entries(doomed.id)).toEqual([]);
    });

    test("a first search reconciles a project once, unless this process already re-indexed it whole", async () => {
      /** Records the projects an index re-indexes (the background reconcile is a re-index). */
      const watch = (index: CodeIndex) => {
        const seen: string[] = [];
        const reindex = index.reindex.bind(index);
        index.reindex = (projectId, options) => {
          seen.push(projectId);
          return reindex(projectId, options);
        };
        return seen;
      };
      const fresh = await as.project({ name: "Reconcile" });
      await settled();
      // This process made the project and indexed it whole: its first search here re-indexes nothing.
      const here = watch(t.deps.context);
      expect((await t.deps.context.search(fresh.id, "greet", 5)).length).toBeGreaterThan(0);
      await settled();
      expect(here).toEqual([]);
      // A process that did not (a restart, another instance) may have missed saves: it
      // reconciles the project in the background on its first load, and only then.
      const other = new CodeIndex({
        db: t.deps.db,
        store: t.deps.context.store,
        embedder: new HashedFeatureEmbedder(),
        logger: t.deps.logger,
      });
      try {
        const there = watch(other);
        expect((await other.search(fresh.id, "greet", 5)).length).toBeGreaterThan(0);
        await other.idle();
        expect(there).toEqual([fresh.id]);
        await other.search(fresh.id, "greet", 5);
        await other.idle();
        expect(there).toEqual([fresh.id]);
      } finally {
        await other.close();
      }
    });
  });
}

describe("index plan", () => {
  const file = (path: string, sizeBytes = 100) => ({ path, sizeBytes });

  test("skips generated and vendored files, too-large files, and files over the limit — each with a reason", () => {
    const plan = indexPlan(
      [
        file("src/b.ts"),
        file("node_modules/x/index.js"),
        file("dist/app.js"),
        file("public/app.min.js"),
        file("package-lock.json"),
        file("data/huge.json", 300 * 1024),
        file("src/a.ts"),
        file("src/c.ts"),
      ],
      { maxFiles: 2, maxFileBytes: 256 * 1024, maxChunks: 100 },
    );
    expect(plan.paths).toEqual(["src/a.ts", "src/b.ts"]);
    expect(Object.fromEntries(plan.skipped.map((s) => [s.path, s.reason]))).toEqual({
      "data/huge.json": "larger than 256 KB",
      "dist/app.js": "generated or vendored",
      "node_modules/x/index.js": "generated or vendored",
      "package-lock.json": "generated or vendored",
      "public/app.min.js": "generated or vendored",
      "src/c.ts": "over the 2-file limit",
    });
  });
});

describe("code index across instances", () => {
  test.skipIf(!process.env.DATABASE_URL || !process.env.REDIS_URL)(
    "a save indexed by one instance is found by the other's warm search",
    async () => {
      const t = await createTestApp();
      const other = t.secondInstance();
      try {
        const alice = await registerUser(t);
        const project = await api(t, alice.auth).project();
        await t.deps.context.idle();
        const find = async (q: string) => {
          const res = await api(other, alice.auth).get(`/api/v1/projects/${project.id}/context?q=${q}`);
          return ((await res.json()) as { results: Result[] }).results;
        };
        expect((await find("greet"))[0]?.function_name).toBe("greet"); // the other instance's state is warm
        await other.deps.context.idle();
        await api(t, alice.auth).put(`/api/v1/projects/${project.id}/files/tax.js`, {
          content: "function applySalesTax(amount) { return amount * 1.2; }\n",
        });
        await t.deps.context.idle();
        await Bun.sleep(100); // the invalidation travels through Redis pub/sub
        expect((await find("applySalesTax"))[0]?.filename).toBe("tax.js");
      } finally {
        await other.close();
        await t.close();
      }
    },
    60_000,
  );
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL)
    console.warn("code index across instances skipped: it needs DATABASE_URL and REDIS_URL");
});
