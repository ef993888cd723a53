import { describe, expect, test } from "bun:test";
import { embeddingText, fuse, fuseScores, HybridSearch } from "../../src/search/hybrid.ts";
import { createLexicalIndex } from "../../src/search/lexical.ts";
import type { Chunk, Scored } from "../../src/search/types.ts";
import { HashedFeatureEmbedder } from "../../src/search/vectors.ts";
import { chunk } from "./fixtures.ts";

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

describe("fuseScores", () => {
  test("weights each list's scores by its best, sums, and normalises to 0..1", () => {
    const lex = [
      { id: "x", score: 10 },
      { id: "y", score: 5 },
    ];
    const vec = [
      { id: "y", score: 0.8 },
      { id: "z", score: 0.4 },
      { id: "y", score: 0.1 }, // a duplicate must not count twice
    ];
    const fused = fuseScores([lex, vec], { weights: [1.5, 1], limit: 10 });
    expect(fused.map((h) => h.id)).toEqual(["y", "x", "z"]);
    expect(fused[0]!.score).toBeCloseTo((1.5 * 0.5 + 1) / 2.5, 10);
    expect(fused[1]!.score).toBeCloseTo(1.5 / 2.5, 10);
    expect(fused[2]!.score).toBeCloseTo(0.5 / 2.5, 10);
    expect(fuseScores([lex, lex], { limit: 1 })).toEqual([{ id: "x", score: 1 }]);
    expect(fuseScores([[], [{ id: "a", score: 0 }]], { limit: 5 })).toEqual([]);
    expect(fuseScores([], { limit: 5 })).toEqual([]);
  });
});

describe("HybridSearch", () => {
  const embedder = new HashedFeatureEmbedder();
  /** A keyword index of `chunks` (ids are their positions) and an exact cosine scan of their vectors. */
  const indexOf = (chunks: Chunk[]) => {
    const lexical = createLexicalIndex();
    chunks.forEach((c, i) => {
      lexical.add(String(i), c);
    });
    const vectors = chunks.map((c) => embedder.embedOne(embeddingText(c)));
    const scan = async (q: number[], k: number): Promise<Scored[]> =>
      vectors
        .map((v, i) => ({ id: String(i), score: v.reduce((s, x, d) => s + x * q[d]!, 0) }))
        .filter((hit) => hit.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
    return { lexical, scan };
  };
  const { lexical, scan: search } = indexOf([
    chunk("src/net/socket.ts", "getSocket", "getSocket() { return this.sock; }"),
    chunk("src/objects.ts", "getObject", "getObject() { return this.obj; }"),
    chunk("src/chart.ts", "drawLegend", "drawLegend(colors) { paint(colors); }"),
  ]);

  test("weights the query vector by the keyword index's IDF, and fuses both retrievers", async () => {
    const hybrid = new HybridSearch(lexical, embedder, search);
    const q = await hybrid.queryVector("return the socket");
    expect(q).toHaveLength(embedder.dimensions);
    const hits = await hybrid.search("return the socket", 2);
    expect(hits[0]!.id).toBe("0");
    expect(hits[0]!.score).toBeGreaterThan(0);
    expect(hits[0]!.score).toBeLessThanOrEqual(1);
    expect(hits.length).toBeLessThanOrEqual(2);
  });

  test("leaves out near-zero matches under the one that fits (a small project's noise)", async () => {
    const project = [
      chunk(
        "src/billing.js",
        "computeInvoiceTotal",
        "export function computeInvoiceTotal(items) {\n  return items.reduce((sum, item) => sum + item.price, 0);\n}",
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        chunk(`lib/module${i}.js`, `helper${i}`, `function helper${i}() {\n  return ${i};\n}`),
      ),
    ];
    const { lexical: index, scan } = indexOf(project);
    const hybrid = new HybridSearch(index, embedder, scan);
    // The helpers share a letter n-gram or two with the query, so the vector side finds them…
    const vector = await hybrid.queryVector("invoice total");
    expect((await scan(vector!, 10)).length).toBeGreaterThan(1);
    // …but far below the function that fits, and they are not offered.
    expect((await hybrid.search("invoice total", 10)).map((h) => h.id)).toEqual(["0"]);
  });

  test("embeds the query as is with an embedder that cannot weight words", async () => {
    const plain = { model: "m", dimensions: 3, embed: async (t: string[]) => t.map(() => [1, 0, 0]) };
    const hybrid = new HybridSearch(lexical, plain, async () => []);
    expect(await hybrid.queryVector("socket")).toEqual([1, 0, 0]);
    expect((await hybrid.search("socket", 5))[0]!.id).toBe("0");
  });

  test("HybridSearch re-ranks: a full name match goes first", async () => {
    const chunks = [
      chunk("src/options.ts", "removeOptionGroup", "removeOptionGroup(name) { this.groups.delete(name); }"),
      chunk("src/options.ts", "removeOption", "removeOption(option) { this.options.delete(option); }"),
    ];
    const lexical = createLexicalIndex();
    chunks.forEach((c, i) => {
      lexical.add(String(i), c);
    });
    const keyword = [
      { id: "0", score: 2 },
      { id: "1", score: 1.98 },
    ];
    const hybrid = new HybridSearch(lexical, new HashedFeatureEmbedder(), async () => []);
    expect(HybridSearch.combine(keyword, [], 2)[0]!.id).toBe("0");
    expect(hybrid.rank("Remove an option", keyword, [], 2)[0]!.id).toBe("1");
  });
});
