import { describe, expect, test } from "bun:test";
import { MarkdownBlocks } from "../../src/features/ai/blocks.ts";

/** Feed `text` in pieces of `size` characters; collect the blocks handed out. */
function feed(text: string, size: number): string[] {
  const blocks = new MarkdownBlocks();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) {
    const done = blocks.push(text.slice(i, i + size));
    if (done) out.push(done);
  }
  return out;
}

describe("MarkdownBlocks", () => {
  const answer = "Here is a fix:\n\n```js index.js\nconst a = 1;\n\nconst b = 2;\n```\nIt keeps `a`.\n\nDone";

  test("hands out paragraphs at blank lines and code blocks at their closing fence, never the tail", () => {
    for (const size of [1, 3, 7, 1000]) {
      const out = feed(answer, size);
      expect(out.join("")).toBe(answer.slice(0, answer.length - "Done".length));
      expect(out.join("")).toContain("```\n");
      // The blank line inside the fence does not cut the code block.
      expect(out.some((b) => b.includes("const a = 1;\n\nconst b = 2;"))).toBe(true);
    }
  });

  test("a fence of tildes is closed only by tildes, and a longer fence only by one as long", () => {
    const text = "~~~~\n```\nstill code\n\n~~~\n~~~~\nafter\n\n";
    const out = feed(text, 2);
    expect(out.join("")).toBe(text);
    expect(out[0]).toBe("~~~~\n```\nstill code\n\n~~~\n~~~~\n");
  });

  test("an open fence holds everything back until it closes", () => {
    const blocks = new MarkdownBlocks();
    expect(blocks.push("```py\nprint(1)\n\n\nprint(2)\n")).toBe("");
    expect(blocks.push("```\n")).toBe("```py\nprint(1)\n\n\nprint(2)\n```\n");
  });
});
