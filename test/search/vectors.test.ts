import { describe, expect, test } from "bun:test";
import { normalizeWord } from "../../src/search/tokens.ts";
import { HashedFeatureEmbedder } from "../../src/search/vectors.ts";

const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

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
