/** Streams: a POST answered with server-sent events (Run, the assistant, re-indexing). */
import { createParser } from "eventsource-parser";

export type OnEvent = (event: string, data: Record<string, unknown>) => void;

/**
 * Hand each named event of a server-sent event stream to `onEvent`, its data parsed as JSON, as
 * it arrives; resolves when the stream ends. The parser takes care of the format's corners —
 * CRLF or CR line ends, events split across reads, multi-line data, `id`, `retry` and comments.
 * Events without a name or without data are not Aura's and are skipped.
 */
export async function readEvents(
  body: ReadableStream<Uint8Array<ArrayBuffer>>,
  onEvent: OnEvent,
): Promise<void> {
  const parser = createParser({
    onEvent({ event, data }) {
      if (event && data) onEvent(event, JSON.parse(data));
    },
  });
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser.feed(value);
  }
}

/**
 * POST `body` and hand each server-sent event to `onEvent` as it arrives. An answer that is not
 * a stream (a 4xx/5xx, signed out) resolves with its error message; a stream resolves with
 * undefined when it ends. Throws when aborted or when the connection drops.
 */
export async function postStream(
  url: string,
  body: URLSearchParams,
  signal: AbortSignal,
  onEvent: OnEvent,
): Promise<string | undefined> {
  const token = /"X-CSRF-Token":"([^"]+)"/.exec(
    document.body.getAttribute("hx-headers:inherited") ?? "",
  )?.[1];
  const res = await fetch(url, {
    method: "POST",
    body,
    signal,
    redirect: "manual",
    headers: { accept: "text/event-stream, application/json", ...(token ? { "X-CSRF-Token": token } : {}) },
  });
  if (!res.ok || !res.body) {
    const answer = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    return answer?.error?.message ?? `The server answered ${res.status || "with a redirect (signed out?)"}`;
  }
  await readEvents(res.body, onEvent);
  return undefined;
}
