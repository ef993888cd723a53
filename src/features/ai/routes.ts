import { Elysia, sse } from "elysia";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { authPlugin } from "../../plugins/auth.ts";
import { wantsStream } from "../../plugins/negotiate.ts";
import { AnalyzeBody, ChatBody, CompleteBody } from "./model.ts";
import * as service from "./service.ts";
import { tokenEvents } from "./sse.ts";

/** The JSON (and SSE) face of the AI (API.md "AI"). Every route draws from the editor allowance. */
export function aiRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/ai" })
    .use(authPlugin(deps))
    .post(
      "/complete",
      ({ principal, body, request }) => service.complete(deps, principal.userId, body, request.signal),
      {
        auth: "editor",
        body: CompleteBody,
      },
    )
    .post(
      "/analyze",
      ({ principal, body, request }) => service.analyze(deps, principal.userId, body, request.signal),
      {
        auth: "editor",
        body: AnalyzeBody,
      },
    )
    .post(
      "/chat",
      async function* ({ principal, body, request }) {
        const events = service.chat(deps, principal.userId, body, request.signal)[Symbol.asyncIterator]();
        // Anything that fails before the first event (404, 429, 502, 503) is a plain JSON error.
        let next = await events.next();
        const stream = wantsStream(request);
        let response = "";
        let suggestions: service.Suggestion[] = [];
        let references: service.Reference[] = [];
        try {
          for (; !next.done; next = await events.next()) {
            const event = next.value;
            if (event.type === "references") {
              references = event.references;
              if (stream) yield sse({ event: "references", data: { references } });
            } else if (event.type === "tokens") {
              for (const text of event.texts) response += text;
              if (stream) yield tokenEvents(event.texts);
            } else if (event.type === "answer") {
              suggestions = event.suggestions;
            } else if (event.type === "done") {
              const { cost, latency, model, tokens, cacheHit } = event.result;
              const done = {
                response,
                suggestions,
                references,
                cost,
                latency: Math.round(latency),
                model,
                tokens,
                cacheHit,
              };
              if (!stream) return done;
              yield sse({ event: "done", data: done });
            }
          }
        } catch (error) {
          if (!stream) throw error;
          // Once the stream has started, a failure is its last event.
          const code = error instanceof AppError ? error.code : "internal_error";
          const message = error instanceof AppError ? error.message : "The answer broke off";
          yield sse({ event: "error", data: { code, message } });
        } finally {
          // A client that goes away stops this generator; pass that on so the upstream call
          // is aborted and the cancelled call is still accounted for.
          await events.return?.(undefined);
        }
      },
      { auth: "editor", body: ChatBody },
    );
}
