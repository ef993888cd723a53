import { csrfToken } from "./api.ts";

/** One suggestion from `POST /projects/:id/ai/complete`. */
export interface AiSuggestion {
  text: string;
  confidence?: number;
  type?: string;
}

/** The answer of an AI endpoint: the parsed body, or why there is none. */
export type AiResult<T> = { ok: true; body: T } | { ok: false; status: number; message: string };

/** Where completion and analysis requests go, and whether the server still offers them. */
export interface AiClient {
  project: string;
  /** The server's message once it answered 503 (AI switched off): no more requests for this page. */
  off?: string;
  /** Completions wait until this time (ms since the epoch) after a 429. */
  pausedUntil?: number;
}

/**
 * POST JSON to one of the project's AI endpoints (`complete` or `analyze`) with the CSRF token.
 * Never throws for HTTP errors: a non-2xx answer comes back with its status and message. A 503
 * turns the client `off`. Rejects with the AbortError when `signal` aborts.
 */
export async function postAi<T>(
  client: AiClient,
  endpoint: "complete" | "analyze",
  body: unknown,
  signal?: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<AiResult<T>> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  const token = csrfToken();
  if (token) headers["X-CSRF-Token"] = token;
  let response: Response;
  try {
    response = await fetchImpl(`/projects/${encodeURIComponent(client.project)}/ai/${endpoint}`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, status: 0, message: "The AI service could not be reached" };
  }
  const parsed = (await response.json().catch(() => undefined)) as
    | (T & { error?: { message?: string } })
    | undefined;
  if (response.ok && parsed) return { ok: true, body: parsed };
  const message =
    parsed?.error?.message ??
    (response.status === 503 ? "AI is not available" : `AI request failed (${response.status})`);
  if (response.status === 503) client.off = message;
  return { ok: false, status: response.status, message };
}
