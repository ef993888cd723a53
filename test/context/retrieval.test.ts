import { describe, expect, test } from "bun:test";
import { fuse } from "../../src/features/context/hybrid.ts";
import { createLexicalIndex } from "../../src/features/context/lexical.ts";
import { HashedFeatureEmbedder, splitIdentifier } from "../../src/features/context/local-embedder.ts";
import type { Chunk } from "../../src/features/context/types.ts";

const chunk = (path: string, functionName: string, content: string): Chunk => ({
  path,
  language: "typescript",
  functionName,
  lineStart: 1,
  lineEnd: 1,
  content,
  contentHash: path,
});

const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe("HashedFeatureEmbedder", () => {
  const e = new HashedFeatureEmbedder();

  test("splits identifiers", () => {
    expect(splitIdentifier("getHTTPResponse_2xx")).toEqual(["get", "http", "response", "2", "xx"]);
  });

  test("is deterministic and unit length, even for an empty text", async () => {
    const [a, b, empty] = await e.embed(["def parse_config(path): ...", "def parse_config(path): ...", ""]);
    expect(a).toEqual(b!);
    expect(a!.length).toBe(e.dimensions);
    for (const v of [a!, empty!]) expect(Math.abs(cosine(v, v) - 1)).toBeLessThan(1e-5);
  });

  test("similar identifiers are closer than unrelated ones", async () => {
    const [q, near, far] = await e.embed([
      "getUserById",
      "fetch_user_by_id(user_id)",
      "renderChartLegend(colors)",
    ]);
    expect(cosine(q!, near!)).toBeGreaterThan(cosine(q!, far!) + 0.2);
  });

  test("honours an aborted signal", async () => {
    expect(e.embed(["x"], AbortSignal.abort())).rejects.toThrow();
  });
});

describe("lexical index", () => {
  test("finds getUserById for 'user by id', and forgets removed chunks", () => {
    const idx = createLexicalIndex();
    idx.add("a", chunk("src/users.ts", "getUserById", "function getUserById(id) { return db.get(id); }"));
    idx.add("b", chunk("src/chart.ts", "renderChart", "function renderChart(data) { draw(data); }"));
    idx.add("c", chunk("src/order.ts", "listOrders", "function listOrders(user) { return q(user.orders); }"));
    const hits = idx.search("user by id", 10);
    expect(hits[0]!.id).toBe("a");
    expect(hits.some((h) => h.id === "b")).toBe(false);
    expect(idx.search("getUserById", 1)[0]!.id).toBe("a");
    idx.remove("a");
    expect(idx.search("user by id", 10).map((h) => h.id)).not.toContain("a");
    expect(idx.size).toBe(2);
  });
});

describe("fuse", () => {
  test("orders by reciprocal rank and normalises to 0..1", () => {
    const lex = [
      { id: "x", score: 9 },
      { id: "y", score: 5 },
    ];
    const vec = [
      { id: "y", score: 0.9 },
      { id: "z", score: 0.8 },
      { id: "x", score: 0.1 },
    ];
    const fused = fuse([lex, vec], { limit: 10 });
    expect(fused.map((h) => h.id)).toEqual(["y", "x", "z"]);
    const k = 60;
    expect(fused[0]!.score).toBeCloseTo((1 / (k + 2) + 1 / (k + 1)) / (2 / (k + 1)), 10);
    expect(fuse([lex, lex], { limit: 1 })).toEqual([{ id: "x", score: 1 }]);
    for (const h of fused) expect(h.score).toBeGreaterThan(0);
    expect(fuse([], { limit: 5 })).toEqual([]);
  });
});
