/**
 * A scripted OpenAI-compatible upstream over real HTTP — the stand-in for the paid AI gateway
 * (Helicone, OpenAI, …) that tests cannot reach. It speaks the wire protocol of
 * `POST /v1/chat/completions` (JSON and `stream: true` SSE with `stream_options.include_usage`)
 * and logs every request with its headers. Each model has a queue of scripted steps: a reply
 * streamed as deltas with controllable timing, an HTTP error, a hang, or a dropped connection.
 */

export type Step =
  /** Answer with these deltas; `usage: false` leaves the usage chunk out even when asked for. */
  | {
      kind: "reply";
      chunks: string[];
      delayMs?: number;
      firstDelayMs?: number;
      usage?: { prompt_tokens: number; completion_tokens: number } | false;
    }
  /** Answer this status with an OpenAI-style error body. */
  | { kind: "status"; status: number; message?: string; headers?: Record<string, string> }
  /** Accept the request and never answer (until the client goes away). */
  | { kind: "hang" }
  /** Stream these deltas, then cut the connection without finishing. */
  | { kind: "drop"; chunks: string[] };

export interface LoggedRequest {
  path: string;
  model: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  at: number;
  /** Set when the client closed the request before the answer ended. */
  aborted: boolean;
  /** Set when the answer was sent to the end. */
  finished: boolean;
}

export interface ScriptedUpstream {
  /** Base URL to give as AI_BASE_URL (ends in /v1). */
  url: string;
  /** Queue steps for a model; an empty queue answers `defaultReply`. */
  script(model: string, ...steps: Step[]): void;
  /** What an unscripted request is answered with (`body` is the request's JSON). */
  defaultReply: (model: string, body: Record<string, unknown>) => string[];
  requests: LoggedRequest[];
  /** Requests for one model (chat completions only). */
  requestsFor(model: string): LoggedRequest[];
  reset(): void;
  stop(): Promise<void>;
}

const encoder = new TextEncoder();

export function startScriptedUpstream(): ScriptedUpstream {
  const queues = new Map<string, Step[]>();
  const requests: LoggedRequest[] = [];
  let counter = 0;

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url);
      if (request.method !== "POST" || url.pathname !== "/v1/chat/completions") {
        return Response.json({ error: { message: `no route ${url.pathname}` } }, { status: 404 });
      }
      const body = (await request.json()) as Record<string, unknown>;
      const model = String(body.model);
      const logged: LoggedRequest = {
        path: url.pathname,
        model,
        headers: Object.fromEntries(request.headers),
        body,
        at: performance.now(),
        aborted: false,
        finished: false,
      };
      requests.push(logged);
      request.signal.addEventListener("abort", () => {
        if (!logged.finished) logged.aborted = true;
      });
      const step = queues.get(model)?.shift() ?? {
        kind: "reply",
        chunks: upstream.defaultReply(model, body),
      };
      const id = `chatcmpl-${++counter}`;
      const created = Math.floor(Date.now() / 1000);

      if (step.kind === "status") {
        logged.finished = true;
        return Response.json(
          { error: { message: step.message ?? `scripted ${step.status}`, type: "scripted_error" } },
          { status: step.status, headers: step.headers },
        );
      }
      if (step.kind === "hang") {
        return new Response(
          new ReadableStream({
            start() {
              // Never enqueue: the client times out or aborts.
            },
          }),
          { headers: { "content-type": "text/event-stream" } },
        );
      }
      const chunks = step.chunks;
      const usage =
        step.kind === "reply" && step.usage !== undefined
          ? step.usage
          : {
              prompt_tokens: 10 + JSON.stringify(body.messages ?? "").length / 10,
              completion_tokens: chunks.length,
            };
      const usageBlock = usage
        ? {
            prompt_tokens: Math.round(usage.prompt_tokens),
            completion_tokens: usage.completion_tokens,
            total_tokens: Math.round(usage.prompt_tokens) + usage.completion_tokens,
          }
        : undefined;

      if (!body.stream) {
        if (step.kind === "reply" && step.firstDelayMs) await Bun.sleep(step.firstDelayMs);
        logged.finished = true;
        return Response.json({
          id,
          object: "chat.completion",
          created,
          model,
          choices: [
            { index: 0, message: { role: "assistant", content: chunks.join("") }, finish_reason: "stop" },
          ],
          ...(usageBlock ? { usage: usageBlock } : {}),
        });
      }

      const wantsUsage = Boolean(
        (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage,
      );
      const frame = (data: unknown) => encoder.encode(`data: ${JSON.stringify(data)}\n\n`);
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
        frame({
          id,
          object: "chat.completion.chunk",
          created,
          model,
          choices: [{ index: 0, delta, finish_reason: finish }],
        });
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          try {
            if (step.kind === "reply" && step.firstDelayMs) await Bun.sleep(step.firstDelayMs);
            controller.enqueue(chunk({ role: "assistant", content: "" }));
            // Let the response (headers and first chunk) go out before the rest is made: a long
            // reply enqueued in one go would otherwise hold back even the headers, which on a busy
            // machine can take longer than a short AI_TIMEOUT_MS.
            await Bun.sleep(0);
            for (const [i, text] of chunks.entries()) {
              if (logged.aborted) return;
              if (i > 0 && step.kind === "reply" && step.delayMs) await Bun.sleep(step.delayMs);
              controller.enqueue(chunk({ content: text }));
            }
            if (step.kind === "drop") {
              controller.error(new Error("scripted drop"));
              return;
            }
            controller.enqueue(chunk({}, "stop"));
            if (wantsUsage && usageBlock)
              controller.enqueue(
                frame({
                  id,
                  object: "chat.completion.chunk",
                  created,
                  model,
                  choices: [],
                  usage: usageBlock,
                }),
              );
            controller.enqueue(encoder.encode("data: [DONE]\n\n"));
            logged.finished = true;
            controller.close();
          } catch {
            // The client went away mid-answer.
          }
        },
      });
      return new Response(stream, {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      });
    },
  });

  const upstream: ScriptedUpstream = {
    url: `http://127.0.0.1:${server.port}/v1`,
    script(model, ...steps) {
      queues.set(model, [...(queues.get(model) ?? []), ...steps]);
    },
    defaultReply: (model) => ["Hello", " from ", model],
    requests,
    requestsFor: (model) => requests.filter((r) => r.model === model),
    reset() {
      queues.clear();
      requests.length = 0;
    },
    stop: async () => {
      await server.stop(true);
    },
  };
  return upstream;
}
