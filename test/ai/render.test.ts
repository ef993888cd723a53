import { describe, expect, test } from "bun:test";
import { mayBeSetextHeading, renderAnswer } from "../../src/features/ai/render.ts";

describe("rendering an answer's Markdown", () => {
  test("setext headings still render, underlined with = or -, over one line or several", () => {
    const html = renderAnswer("Title\n===\n\nSub title\n---\n\nFirst line\nsecond line\n=====\n\ntext");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<h2>Sub title</h2>");
    expect(html).toContain("<h1>First line\nsecond line</h1>");
    expect(html).toContain("<p>text</p>");
  });

  test("the setext rule is tried only where an underline can follow before the text ends", () => {
    expect(mayBeSetextHeading("a\nb\n===\n")).toBe(true);
    expect(mayBeSetextHeading("a\n  ---")).toBe(true);
    expect(mayBeSetextHeading(`${"word ".repeat(10_000)}\n\nnext`)).toBe(false);
    expect(mayBeSetextHeading("no underline at all")).toBe(false);
    // The text ends first: a blank line, a heading, a quote, a fence or a *** rule.
    for (const end of ["", "   ", "# h", "> q", "```js", "~~~", "***", "_ _ _"])
      expect(mayBeSetextHeading(`a\n${end}\nb\n===`)).toBe(false);
  });

  test("a paragraph that is one long line renders as a paragraph", () => {
    const long = "word ".repeat(20_000).trim();
    expect(renderAnswer(long)).toBe(`<p>${long}</p>\n`);
  });
});
