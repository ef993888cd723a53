import { describe, expect, test } from "bun:test";
import { keepEventStreamOpen } from "../../src/plugins/event-streams.ts";

const encoder = new TextEncoder();

/** A stream whose chunks the test pushes by hand. */
function manual() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    stream,
    push: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

describe("keeping event streams open", () => {
  test("an event stream's idle timeout is lifted, and a comment goes out after each quiet spell", async () => {
    const source = manual();
    const request = new Request("http://localhost/events");
    const lifted: [Request, number][] = [];
    const server = { timeout: (r: Request, seconds: number) => void lifted.push([r, seconds]) };
    const response = keepEventStreamOpen(
      request,
      new Response(source.stream, { headers: { "content-type": "text/event-stream" } }),
      server,
      40,
    );
    expect(lifted).toEqual([[request, 0]]);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    const next = async () => new TextDecoder().decode((await reader.read()).value);
    source.push("event: token\ndata: {}\n\n");
    expect(await next()).toBe("event: token\ndata: {}\n\n");
    // Nothing to say for a while: a comment, which EventSource ignores.
    expect(await next()).toBe(": keep-alive\n\n");
    source.push("event: change\ndata: {}\n\n");
    const rest: string[] = [];
    for (;;) {
      const text = await next();
      rest.push(text);
      if (text.startsWith("event:")) break;
    }
    // Whole events only: a comment may come before, never inside one.
    expect(rest.at(-1)).toBe("event: change\ndata: {}\n\n");
    source.end();
    const { done } = await reader.read();
    expect(done).toBe(true);
  });

  test("cancelling the answer (the browser left) cancels the source", async () => {
    let cancelled: unknown;
    const stream = new ReadableStream<Uint8Array>({
      cancel(reason) {
        cancelled = reason;
      },
    });
    const response = keepEventStreamOpen(
      new Request("http://localhost/events"),
      new Response(stream, { headers: { "content-type": "text/event-stream" } }),
      undefined,
      40,
    );
    await response.body!.cancel("gone");
    expect(cancelled).toBe("gone");
  });

  test("any other answer passes through untouched, its timeout too", () => {
    const lifted: number[] = [];
    const server = { timeout: (_: Request, seconds: number) => void lifted.push(seconds) };
    for (const response of [
      new Response("<p>hi</p>", { headers: { "content-type": "text/html" } }),
      new Response(null, { status: 204 }),
      new Response("x", { headers: { "content-type": "text/event-stream", "content-encoding": "gzip" } }),
    ])
      expect(keepEventStreamOpen(new Request("http://localhost/"), response, server)).toBe(response);
    expect(lifted).toEqual([]);
  });
});
