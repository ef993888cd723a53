import { Elysia, sse, t } from "elysia";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { wantsStream } from "../../plugins/negotiate.ts";
import { authPlugin } from "../auth/auth-guard.ts";
import { apiModels, bearer, errors, oneOf } from "../docs/api-schema.ts";
import { AnalyzeBody, ChatBody, CompleteBody, Finding } from "./model.ts";
import * as service from "./service.ts";
import { tokenEvents } from "./sse.ts";

const cents = t.Number({ description: "US cents" });
const milliseconds = t.Integer({ description: "Milliseconds" });

/** What the routes answer, as reference models (`components.schemas` of the document). */
const models = {
  Completion: t.Object(
    {
      suggestions: t.Array(
        t.Object({
          text: t.String({ description: "Text to insert at the cursor" }),
          confidence: t.Number({ minimum: 0, maximum: 1 }),
          type: oneOf(["completion", "suggestion", "fix"]),
        }),
      ),
      contextUsed: t.Array(
        t.Object({
          kind: t.String({ description: "`current-file`, `neighbour` or `retrieved`" }),
          path: t.Optional(t.String()),
          lineStart: t.Optional(t.Integer()),
          lineEnd: t.Optional(t.Integer()),
          tokens: t.Optional(t.Integer()),
          chars: t.Optional(t.Integer()),
          from: t.Optional(t.Integer()),
        }),
        { description: "What was sent to the model besides the code at the cursor" },
      ),
      latency: milliseconds,
      cost: cents,
      model: t.String(),
      cacheHit: t.Boolean(),
    },
    { description: "Suggestions to insert at the cursor." },
  ),
  ChatAnswer: t.Object(
    {
      response: t.String({ description: "Markdown" }),
      suggestions: t.Array(
        t.Object({
          action: t.Literal("apply"),
          code: t.String(),
          description: t.String(),
          language: t.Optional(t.String()),
          path: t.Optional(t.String()),
        }),
        { description: "Code blocks of the answer, offered for Apply" },
      ),
      references: t.Array(
        t.Object(
          {
            path: t.String(),
            line: t.Optional(t.Integer({ minimum: 1 })),
            lineEnd: t.Optional(t.Integer({ minimum: 1 })),
            kind: oneOf(["current-file", "selection", "mention", "neighbour", "retrieved"]),
          },
          { description: "A place in the project the answer drew on" },
        ),
      ),
      cost: cents,
      latency: milliseconds,
      model: t.String(),
      tokens: t.Object({ input: t.Integer(), output: t.Integer() }),
      cacheHit: t.Boolean(),
    },
    { description: "The answer." },
  ),
  Analysis: t.Object(
    {
      summary: t.String(),
      // The model's findings pass through as it wrote them, keys beyond these included.
      findings: t.Array(t.Object(Finding.properties, { additionalProperties: true })),
      latency: milliseconds,
      cost: cents,
      model: t.String(),
    },
    { description: "The findings." },
  ),
};

/** The events of a chat answer streamed with `Accept: text/event-stream`. */
const CHAT_EVENTS =
  "Server-sent events: `references` (`{references}`), one `token` (`{text}`) per piece of the answer as " +
  "it arrives, then `done` (the JSON answer) or `error` (`{code, message}`). Closing the stream cancels " +
  "the upstream request.";

/** The JSON (and SSE) face of the AI (docs/api.md, "AI"). Every route draws from the editor allowance. */
export function aiRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/ai", tags: ["AI"] })
    .use(apiModels)
    .model(models)
    .use(authPlugin(deps))
    .post(
      "/complete",
      ({ principal, body, request }) => service.complete(deps, principal.userId, body, request.signal),
      {
        auth: "editor",
        body: CompleteBody,
        response: { 200: "Completion", ...errors(400, 401, 403, 404, 413, 429, 502) },
        detail: {
          operationId: "completeCode",
          summary: "Complete code at the cursor",
          description:
            "An identical request is answered from Aura's cache without an upstream call. A spent daily AI " +
            "budget answers 429. Editors and the owner of the project; a viewer is answered 403.",
          ...bearer("editor"),
        },
      },
    )
    .post(
      "/analyze",
      ({ principal, body, request }) => service.analyze(deps, principal.userId, body, request.signal),
      {
        auth: "editor",
        body: AnalyzeBody,
        response: { 200: "Analysis", ...errors(400, 401, 403, 404, 413, 429, 502) },
        detail: {
          operationId: "analyzeCode",
          summary: "Explain, review or find bugs",
          description:
            "Analyses `code`, or the project file at `path` when no code is given. `kind` defaults to " +
            "`review`. Editors and the owner of the project; a viewer is answered 403.",
          ...bearer("editor"),
        },
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
      {
        auth: "editor",
        body: ChatBody,
        // A generator's yields are typed as its 200 response, so the JSON answer is documented in `detail`.
        response: errors(400, 401, 403, 404, 413, 429, 502),
        detail: {
          operationId: "chat",
          summary: "Ask the assistant",
          description:
            "Answers a question about the project, with the open file, the selection and code the project " +
            "search finds as context. A failure before the answer starts is a plain JSON error. Editors and " +
            "the owner of the project; a viewer is answered 403.",
          responses: {
            200: {
              description: `The answer. With \`Accept: text/event-stream\`: ${CHAT_EVENTS}`,
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/ChatAnswer" } },
                "text/event-stream": { schema: { type: "string", description: CHAT_EVENTS } },
              },
            },
          },
          ...bearer("editor"),
        },
      },
    );
}
