import { describe, expect, test } from "bun:test";
import { rerank } from "../../src/search/rerank.ts";
import type { ChunkNames, Scored } from "../../src/search/types.ts";

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
});
