import { createParser } from "eventsource-parser";
import OpenAI from "openai";

/** One chat message as the upstream takes it. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A request to one model of the upstream. */
interface UpstreamRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  stop?: string[];
  /** Ask for a JSON object (`response_format: json_object`). */
  json?: boolean;
  /** Extra headers for this request (Helicone's user, property and cache headers). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * What an upstream stream yields: the text deltas that arrived together (one network read), in
 * order, one string per delta; and token usage when reported.
 */
export type UpstreamEvent =
  | { type: "deltas"; texts: string[] }
  | { type: "usage"; input: number; output: number };

/**
 * The upstream failed. `retryable` failures (5xx, 429, timeouts, connection errors) may be
 * retried on another model; the others (a bad key, a bad request) would fail there too.
 */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ModelError";
  }
}

/** The port: a streamed chat completion. */
export interface Upstream {
  stream(request: UpstreamRequest): AsyncIterable<UpstreamEvent>;
}

/**
 * The one upstream adapter: the `openai` SDK against any OpenAI-compatible endpoint (OpenAI,
 * Helicone, Ollama, vLLM, llama.cpp). No SDK retries — failover across models is the gateway's.
 */
export function createOpenAIUpstream(options: {
  baseUrl: string;
  apiKey: string | undefined;
  defaultHeaders?: Record<string, string>;
}): Upstream {
  const client = new OpenAI({
    baseURL: options.baseUrl,
    // Local servers (Ollama, vLLM) take any key; the SDK insists on one.
    apiKey: options.apiKey ?? "not-needed",
    maxRetries: 0,
    defaultHeaders: options.defaultHeaders,
  });
  return {
    async *stream(request) {
      let response: Response;
      try {
        // The SDK sends the request and turns a failed status into an APIError; the body is
        // read here, a network read at a time (see `deltasOf`).
        response = await client.chat.completions
          .create(
            {
              model: request.model,
              messages: request.messages,
              stream: true,
              stream_options: { include_usage: true },
              ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
              ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
              ...(request.stop ? { stop: request.stop } : {}),
              ...(request.json ? { response_format: { type: "json_object" as const } } : {}),
            },
            { signal: request.signal, headers: request.headers },
          )
          .asResponse();
      } catch (error) {
        throw toModelError(error, request.signal);
      }
      try {
        yield* deltasOf(response);
      } catch (error) {
        throw toModelError(error, request.signal);
      }
    },
  };
}

type Chunk = {
  choices?: { delta?: { content?: string | null } }[];
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  error?: { message?: string };
};

/**
 * The events of a chat completion stream, one batch per network read. An upstream faster than
 * this process (or an answer already buffered) arrives as reads of hundreds of deltas; passing
 * each delta on through every layer as its own awaited event costs more than the rest of the
 * answer's handling together, so the deltas of one read travel as one event.
 */
async function* deltasOf(response: Response): AsyncGenerator<UpstreamEvent> {
  if (!response.body) throw new ModelError("the model's answer had no body", true);
  let texts: string[] = [];
  let usage: UpstreamEvent | undefined;
  let finished = false;
  const parser = createParser({
    onEvent({ event, data }) {
      if (finished) return;
      if (data === "[DONE]") {
        finished = true;
        return;
      }
      const chunk = JSON.parse(data) as Chunk;
      if (event === "error" || chunk.error)
        throw new ModelError(`the model reported an error: ${chunk.error?.message ?? data}`, true);
      const text = chunk.choices?.[0]?.delta?.content;
      if (text) texts.push(text);
      if (chunk.usage)
        usage = { type: "usage", input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    while (!finished) {
      const read = await reader.read();
      if (read.done) break;
      parser.feed(read.value);
      if (texts.length > 0) {
        const batch = texts;
        texts = [];
        yield { type: "deltas", texts: batch };
      }
      if (usage) {
        yield usage;
        usage = undefined;
      }
    }
  } finally {
    // Stopped early (or failed): close the connection, so the upstream stops generating.
    await reader.cancel().catch(() => undefined);
  }
}

function toModelError(error: unknown, signal: AbortSignal | undefined): Error {
  if (signal?.aborted) return signal.reason instanceof Error ? signal.reason : new Error("aborted");
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new ModelError("the model timed out", true);
  if (error instanceof OpenAI.APIConnectionError) return new ModelError("could not reach the model", true);
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const retryable = error.status >= 500 || error.status === 429 || error.status === 408;
    const detail = (error.error as { message?: string } | undefined)?.message ?? error.message;
    return new ModelError(`the model answered ${error.status}: ${detail}`, retryable, error.status);
  }
  // A stream cut mid-answer surfaces as a plain error.
  return new ModelError(`the model's answer broke off: ${String((error as Error)?.message ?? error)}`, true);
}
