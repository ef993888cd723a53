import type { Server } from "bun";

/** How long an event stream may stay silent before a comment line is sent to keep it open. */
const HEARTBEAT_MS = 20_000;
const COMMENT = new TextEncoder().encode(": keep-alive\n\n");

/**
 * Keep a server-sent event stream open while it has nothing to say. Bun closes a connection
 * silent for its idle timeout (10 s by default), an answer still streaming included, and proxies
 * have their own (nginx's is 60 s): a preview waiting for the next change, a run whose program
 * thinks quietly, or a model slow to its first token would be cut, and EventSource would
 * reconnect (reloading the preview). So the request's idle timeout is lifted, and a comment line
 * (which clients ignore) goes out after each `heartbeatMs` of silence. Events are written whole,
 * one per chunk, so a comment never lands inside one. Any other answer passes through untouched.
 */
export function keepEventStreamOpen(
  request: Request,
  response: Response,
  server: Pick<Server<unknown>, "timeout"> | undefined,
  heartbeatMs = HEARTBEAT_MS,
): Response {
  const source = response.body;
  const type = response.headers.get("content-type") ?? "";
  if (!source || !type.startsWith("text/event-stream") || response.headers.has("content-encoding"))
    return response;
  server?.timeout?.(request, 0);
  const reader = source.getReader();
  let timer: ReturnType<typeof setInterval> | undefined;
  let last = Date.now();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      timer = setInterval(() => {
        if (Date.now() - last < heartbeatMs) return;
        last = Date.now();
        try {
          controller.enqueue(COMMENT);
        } catch {
          clearInterval(timer); // closed meanwhile
        }
      }, heartbeatMs / 2);
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          clearInterval(timer);
          controller.close();
          return;
        }
        last = Date.now();
        controller.enqueue(value);
      } catch (error) {
        clearInterval(timer);
        controller.error(error);
      }
    },
    cancel(reason) {
      clearInterval(timer);
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
