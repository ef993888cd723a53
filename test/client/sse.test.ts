import { describe, expect, test } from "bun:test";
import { readEvents } from "../../src/client/shell/sse.ts";

/** A response body that arrives in exactly these pieces (strings as UTF-8, or raw bytes). */
function body(...chunks: (string | Uint8Array<ArrayBuffer>)[]): ReadableStream<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function read(...chunks: (string | Uint8Array<ArrayBuffer>)[]) {
  const events: [string, Record<string, unknown>][] = [];
  await readEvents(body(...chunks), (event, data) => events.push([event, data]));
  return events;
}

describe("reading server-sent events", () => {
  test("LF, CRLF and CR line ends read alike", async () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      const stream = `event: stdout${eol}data: {"text":"a"}${eol}${eol}event: exit${eol}data: {"exitCode":0}${eol}${eol}`;
      expect(await read(stream)).toEqual([
        ["stdout", { text: "a" }],
        ["exit", { exitCode: 0 }],
      ]);
    }
  });

  test("an event split across reads, even inside a CRLF or a UTF-8 character, arrives whole", async () => {
    const bytes = new TextEncoder().encode('event: token\r\ndata: {"text":"é€"}\r\n\r\n');
    // Every way of cutting the stream in two gives the same single event.
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await read(bytes.slice(0, cut), bytes.slice(cut))).toEqual([["token", { text: "é€" }]]);
    }
    // One byte at a time.
    expect(await read(...[...bytes].map((b) => new Uint8Array([b])))).toEqual([["token", { text: "é€" }]]);
  });

  test("multi-line data is joined with newlines", async () => {
    expect(await read('event: done\ndata: {"html":\ndata: "<p>hi</p>"}\n\n')).toEqual([
      ["done", { html: "<p>hi</p>" }],
    ]);
  });

  test("id, retry and comments are understood, not taken for data", async () => {
    const stream =
      ': keep-alive\n\nretry: 3000\n\nid: 7\nevent: progress\ndata:{"done":1,"total":2}\nretry: 1000\n\n';
    expect(await read(stream)).toEqual([["progress", { done: 1, total: 2 }]]);
  });

  test("many events in one read come in order; unnamed events, empty data and an unfinished tail are skipped", async () => {
    const many = Array.from({ length: 300 }, (_, i) => `event: stdout\ndata: {"text":"${i}"}\n\n`).join("");
    const events = await read(`${many}data: {"unnamed":true}\n\nevent: empty\n\nevent: cut\ndata: {"text":`);
    expect(events.length).toBe(300);
    expect(events.map(([, d]) => d.text)).toEqual(Array.from({ length: 300 }, (_, i) => String(i)));
  });
});
