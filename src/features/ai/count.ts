import type { ChatMessage } from "../../adapters/ai/openai.ts";

type Counter = (text: string) => number;
let counter: Promise<Counter> | undefined;

/** gpt-tokenizer's o200k encoding, loaded on first use: its tables are large and most upstreams report usage. */
function load(): Promise<Counter> {
  counter ??= import("gpt-tokenizer").then((m) => (text: string) => m.countTokens(text));
  return counter;
}

/** Longest piece of text counted at once (see `pieces`). */
export const PIECE_CHARS = 1_000;

/**
 * `text` cut into pieces of at most PIECE_CHARS, before a space where the piece has one, else
 * after a line break. Byte-pair encoding takes time quadratic in the length of an unbroken run
 * (32 KB of letters without a space: ≈5 s), and a model's answer or a pasted selection can be
 * one. Text is split into words before encoding anyway, so a cut where a word starts changes a
 * count rarely and by a token at most; so does a hard cut in a long run.
 */
export function pieces(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (text.length - start > PIECE_CHARS) {
    const window = text.slice(start, start + PIECE_CHARS);
    // Before a space (a word's own), else after a line break, else anywhere.
    const space = window.lastIndexOf(" ");
    const end = start + (space > 0 ? space : window.lastIndexOf("\n") + 1 || PIECE_CHARS);
    out.push(text.slice(start, end));
    start = end;
  }
  out.push(text.slice(start));
  return out;
}

/**
 * Tokens of a call, counted locally when the upstream did not report usage: each message's
 * content plus the chat format's few tokens per message, and the answer.
 */
export async function countTokens(messages: ChatMessage[], answer: string) {
  const count = await load();
  const tokens = (text: string) => pieces(text).reduce((sum, piece) => sum + count(piece), 0);
  const input = messages.reduce((sum, m) => sum + tokens(m.content) + 4, 3);
  return { input, output: answer ? tokens(answer) : 0 };
}
