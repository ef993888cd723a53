import OpenAI from "openai";

/** One chat message as the upstream takes it. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A request to one model of the upstream. */
export interface UpstreamRequest {
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

/** What an upstream stream yields: text deltas as they arrive, and token usage when reported. */
export type UpstreamEvent =
  | { type: "delta"; text: string }
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
      let stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>;
      try {
        stream = await client.chat.completions.create(
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
        );
      } catch (error) {
        throw toModelError(error, request.signal);
      }
      try {
        for await (const chunk of stream) {
          const text = chunk.choices[0]?.delta?.content;
          if (text) yield { type: "delta", text };
          if (chunk.usage) {
            yield { type: "usage", input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
          }
        }
      } catch (error) {
        throw toModelError(error, request.signal);
      }
    },
  };
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
