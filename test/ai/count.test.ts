import { describe, expect, test } from "bun:test";
import { countTokens as exactCount } from "gpt-tokenizer";
import { countTokens, PIECE_CHARS, pieces } from "../../src/features/ai/count.ts";

const PROSE =
  "The loader reads the **configuration** once and keeps it; see `loadConfig`.\n\n```js\nconst x = 1;\n```\n";

describe("local token counts", () => {
  test("long text is counted in pieces that join back to it, none longer than PIECE_CHARS", () => {
    for (const text of [PROSE.repeat(200), "a".repeat(5 * PIECE_CHARS + 7), `${"=".repeat(3_000)} tail`]) {
      const cut = pieces(text);
      expect(cut.join("")).toBe(text);
      expect(Math.max(...cut.map((p) => p.length))).toBeLessThanOrEqual(PIECE_CHARS);
    }
  });

  test("text with spaces is cut where a word starts, so ordinary text counts as it does whole", async () => {
    const text = PROSE.repeat(300);
    for (const piece of pieces(text).slice(1)) expect(piece.startsWith(" ")).toBe(true);
    expect((await countTokens([], text)).output).toBe(exactCount(text));
  });

  test("short text is one piece", () => {
    expect(pieces("hello world")).toEqual(["hello world"]);
    expect(pieces("")).toEqual([""]);
  });
});
