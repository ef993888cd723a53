import { describe, expect, test } from "bun:test";
import { createLexicalIndex, signatureOf } from "../../src/search/lexical.ts";
import { chunk } from "./fixtures.ts";

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
});
