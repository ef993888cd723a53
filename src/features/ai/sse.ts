import { sse } from "elysia";

/**
 * One `token` event per delta, written as one chunk. Elysia writes each yielded `sse()` as a
 * chunk of its own (framed by its `toSSE`), and a fast upstream delivers hundreds of deltas in
 * one read: written one by one, their framing and writes cost more than the rest of the answer.
 */
export function tokenEvents(texts: readonly string[]) {
  let frames = "";
  for (const text of texts) frames += `event: token\ndata: ${JSON.stringify({ text })}\n\n`;
  return Object.assign(sse({ event: "token", data: "" }), { toSSE: () => frames });
}
