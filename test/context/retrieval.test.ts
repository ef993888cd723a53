import { describe, expect, test } from "bun:test";
import {
  embeddingText,
  fuse,
  fuseScores,
  HybridSearch,
  type Scored,
} from "../../src/features/context/hybrid.ts";
import { createLexicalIndex, lexicalTokens, signatureOf } from "../../src/features/context/lexical.ts";
import {
  codeTokens,
  HashedFeatureEmbedder,
  normalizeWord,
  porterStem,
  segmentWord,
  splitIdentifier,
} from "../../src/features/context/local-embedder.ts";
import { type ChunkNames, rerank } from "../../src/features/context/rerank.ts";
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

describe("tokenizer", () => {
  test("Porter stems", () => {
    const cases: Record<string, string> = {
      caresses: "caress",
      ponies: "poni",
      motoring: "motor",
      hopping: "hop",
      relational: "relat",
      conditional: "condit",
      generalizations: "gener",
      equality: "equal",
      assertion: "assert",
      adjustable: "adjust",
      controll: "control",
      sky: "sky",
    };
    for (const [word, stem] of Object.entries(cases)) expect(porterStem(word)).toBe(stem);
  });

  test("folds abbreviations and their full words into one form, both ways", () => {
    for (const [short, long] of [
      ["dir", "directories"],
      ["cfg", "configuration"],
      ["init", "initializes"],
      ["args", "argument"],
      ["str", "strings"],
      ["fn", "function"],
      ["pos", "position"],
      ["msg", "messages"],
    ])
      expect(normalizeWord(short!)).toBe(normalizeWord(long!));
    expect(normalizeWord("directory")).not.toBe(normalizeWord("document"));
    const code = new Set(codeTokens("function getCfgDir(envArgs) {}").parts);
    for (const word of codeTokens("the configuration directory from environment arguments").parts)
      expect(code.has(word)).toBe(true);
  });

  test("splits run-together lower-case names into known words", () => {
    expect(segmentWord("fromordinal")).toEqual(["from", "ordinal"]);
    expect(segmentWord("isdir")).toEqual(["is", "dir"]);
    expect(segmentWord("readmailcapfile")).toEqual(["read", "mail", "cap", "file"]);
    expect(segmentWord("parse")).toBeNull(); // a word itself
    expect(segmentWord("kappa")).toBeNull(); // no split into known words
    expect(segmentWord("getWelcome")).toBeNull(); // only lower-case runs
    // The pieces are indexed like camelCase parts, and the whole name too.
    expect(lexicalTokens("normcase")).toEqual(lexicalTokens("normCase"));
    expect(lexicalTokens("normcase")).toContain(normalizeWord("normalize"));
  });
});

describe("HashedFeatureEmbedder", () => {
  const e = new HashedFeatureEmbedder();

  test("names its version, so vectors of an older one are re-embedded", () => {
    expect(e.model).toBe("aura-hashed-features-v2-1024");
  });

  test("a weighted query leans towards the chunk with its heavier word", () => {
    const socket = e.embedOne("def get_socket(self): return self.sock");
    const obj = e.embedOne("def get_object(self): return self.obj");
    const plain = e.embedOne("socket object");
    const weighted = e.embedQuery("socket object", (w) => (w === normalizeWord("socket") ? 3 : 0.5));
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
    expect(dot(weighted, socket) - dot(weighted, obj)).toBeGreaterThan(dot(plain, socket) - dot(plain, obj));
  });

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
    expect(idx.has("a")).toBe(false);
    expect(idx.search("user by id", 10).map((h) => h.id)).not.toContain("a");
    expect(idx.size).toBe(2);
    idx.add("a", chunk("src/users.ts", "getUserById", "function getUserById(id) {}"));
    expect(idx.has("a")).toBe(true);
    expect(idx.search("user by id", 10)[0]!.id).toBe("a");
  });

  test("a new chunk after a removal is found under its own id, and the removed one stays gone", () => {
    const idx = createLexicalIndex();
    idx.add("old", chunk("a.ts", "parseInvoice", "function parseInvoice() {}"));
    idx.add("keep", chunk("b.ts", "drawChart", "function drawChart() {}"));
    idx.remove("old");
    idx.add("new", chunk("a.ts", "sendInvoice", "function sendInvoice() {}"));
    expect(idx.has("old")).toBe(false);
    expect(idx.has("new")).toBe(true);
    expect(idx.search("invoice", 5).map((h) => h.id)).toEqual(["new"]);
    expect(idx.search("chart", 5).map((h) => h.id)).toEqual(["keep"]);
    idx.remove("old"); // removing twice must not free the number "new" now holds
    idx.add("other", chunk("c.ts", "mailInvoice", "function mailInvoice() {}"));
    expect(
      idx
        .search("invoice", 5)
        .map((h) => h.id)
        .sort(),
    ).toEqual(["new", "other"]);
  });

  test("a re-added chunk replaces its old text", () => {
    const idx = createLexicalIndex();
    idx.add("a", chunk("a.ts", "parseInvoice", "function parseInvoice() {}"));
    idx.add("a", chunk("a.ts", "drawChart", "function drawChart() {}"));
    expect(idx.size).toBe(1);
    expect(idx.search("invoice", 5)).toEqual([]);
    expect(idx.search("chart", 5).map((h) => h.id)).toEqual(["a"]);
  });

  test("abbreviations and run-together names meet the words a question uses", () => {
    const idx = createLexicalIndex();
    idx.add("dir", chunk("fs.py", "isdir", "def isdir(s):\n    return stat.S_ISDIR(os.stat(s).st_mode)"));
    idx.add("cfg", chunk("app.ts", "loadCfg", "function loadCfg(p) { return read(p); }"));
    idx.add("other", chunk("x.ts", "renderList", "function renderList(items) {}"));
    expect(idx.search("Return true if the pathname refers to an existing directory", 3)[0]!.id).toBe("dir");
    expect(idx.search("load the configuration", 3)[0]!.id).toBe("cfg");
  });

  test("the declaration line is a field of its own", () => {
    const c = chunk("net.py", "connect", "@retry\ndef connect(host, port, timeout=None):\n    pass");
    expect(signatureOf(c)).toBe("def connect(host, port, timeout=None):");
    expect(signatureOf({ content: "x = 1", functionName: undefined, className: undefined })).toBe("");
    const idx = createLexicalIndex();
    idx.add("c", c);
    idx.add("d", chunk("net.py", "send", "def send(data):\n    timeout = 5\n    port = 1"));
    expect(idx.search("port timeout", 2)[0]!.id).toBe("c");
  });

  test("a common word adds to the chunks rarer words found, and finds none alone", () => {
    const idx = createLexicalIndex();
    // "value" is in every chunk's code: far above the common share (and the common minimum).
    for (let i = 0; i < 600; i++) idx.add(`v${i}`, chunk(`v${i}.ts`, `f${i}`, `const value = ${i};`));
    idx.add("close", chunk("t.ts", "close", "function close() { const socket = 2; }"));
    idx.add("both", chunk("s.ts", "open", "function open() { const socket = value; }"));
    idx.add("only", chunk("u.ts", "open", "function open() { const socket = 1; }"));
    const hits = idx.search("close the socket value", 10);
    expect(hits.map((h) => h.id)).toEqual(["close", "both", "only"]);
    expect(hits[1]!.score).toBeGreaterThan(hits[2]!.score); // "value" counted for a candidate
    expect(idx.search("value", 3)).toHaveLength(3); // alone, a common word still searches
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
});

describe("rerank", () => {
  const names: Record<string, ChunkNames> = {
    long: { functionName: "remove_option_group", signature: "def remove_option_group(self, name):" },
    short: { functionName: "remove_option", signature: "def remove_option(self, option):" },
    dunder: { functionName: "__dir__", signature: "def __dir__():" },
    isDir: { functionName: "is_dir", className: "Traversable", signature: "def is_dir(self):" },
    body: { className: "Decoder", signature: "class Decoder(codecs.Decoder):" },
    init: {
      functionName: "__init__",
      className: "Decoder",
      signature: "def __init__(self, errors='strict'):",
    },
  };
  const describe_ = (id: string) => names[id];
  const idf = () => 1;
  const fused = (...ids: string[]): Scored[] => ids.map((id) => ({ id, score: 0.9 }));

  test("a name the query says in full goes before one it names in part", () => {
    const hits = rerank("Remove an option", fused("long", "short"), describe_, idf, 2);
    expect(hits.map((h) => h.id)).toEqual(["short", "long"]);
  });

  test("a question of truth prefers an is_/has_ name", () => {
    const hits = rerank("Return True if self is a directory", fused("dunder", "isDir"), describe_, idf, 2);
    expect(hits[0]!.id).toBe("isDir");
  });

  test("a question of making prefers the class's constructor", () => {
    const hits = rerank("Create a Decoder instance", fused("body", "init"), describe_, idf, 2);
    expect(hits[0]!.id).toBe("init");
  });

  test("counts parameter names in the declaration line, keeps 0..1, and keeps unknown ids", () => {
    const both = [
      { functionName: "parse", signature: "def parse(self, text):" },
      { functionName: "parse", signature: "def parse(self, source, strict=False):" },
    ];
    const byArgs = rerank("Parse the source", fused("0", "1"), (id) => both[Number(id)], idf, 2);
    expect(byArgs[0]!.id).toBe("1");
    const hits = rerank("Remove an option", fused("long", "short", "gone"), describe_, idf, 3);
    expect(hits.map((h) => h.id)).toContain("gone");
    for (const h of hits) {
      expect(h.score).toBeGreaterThan(0);
      expect(h.score).toBeLessThanOrEqual(1);
    }
    expect(rerank("remove", fused("long", "short"), describe_, idf, 1)).toHaveLength(1);
  });

  test("the lexical index names its chunks, and forgets removed ones", () => {
    const index = createLexicalIndex();
    index.add("a", chunk("src/a.ts", "loadConfig", "export function loadConfig(path: string) {}"));
    expect(index.names?.("a")).toEqual({
      functionName: "loadConfig",
      className: undefined,
      signature: "export function loadConfig(path: string) {}",
    });
    index.remove("a");
    expect(index.names?.("a")).toBeUndefined();
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
