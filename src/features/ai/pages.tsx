import { Elysia, sse, t } from "elysia";
import { AiAnswer, AiPanel, type AiTurn } from "../../../views/editor/_ai-panel.tsx";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { html } from "../../plugins/htmx.ts";
import { sessionPlugin } from "../auth/session-guard.ts";
import { ProjectParams } from "../projects/model.ts";
import { MarkdownBlocks } from "./blocks.ts";
import { ANALYSIS_KINDS, MAX_CODE_CHARS, MAX_MESSAGE_CHARS } from "./model.ts";
import { renderAnswer } from "./render.ts";
import * as service from "./service.ts";

const PANEL_TURNS = 20;

/**
 * The AI on the HTML face, for the project page: the assistant panel and its streamed chat,
 * and the editor island's inline completion and analysis (JSON, like the API, but signed in
 * by the session cookie and CSRF-checked).
 */
export function aiPages(deps: Deps) {
  return new Elysia({ name: "ai-pages" })
    .use(sessionPlugin(deps))
    .get(
      "/projects/:id/ai",
      async ({ viewer, params }) => {
        // Viewers have no AI actions: the panel is for those who may spend AI on the project.
        const past = await service.conversation(deps, viewer.user.id, params.id, PANEL_TURNS);
        const turns: AiTurn[] = past.turns.map(({ message, text, suggestions, stopped, ...meta }) => ({
          message,
          safeAnswerHtml: renderAnswer(text),
          stopped,
          references: [],
          suggestions,
          meta,
        }));
        return html(<AiPanel projectId={past.projectId} enabled={deps.ai.enabled} turns={turns} />);
      },
      { session: true, params: ProjectParams },
    )
    .post(
      "/projects/:id/ai/chat",
      async function* ({ viewer, params, body, request }) {
        const input = {
          projectId: params.id,
          message: body.message,
          context: {
            ...(body.currentFile ? { currentFile: body.currentFile } : {}),
            ...(body.selectedCode ? { selectedCode: body.selectedCode } : {}),
            ...(body.cursorLine ? { cursorLine: body.cursorLine } : {}),
          },
        };
        const events = service.chat(deps, viewer.user.id, input, request.signal)[Symbol.asyncIterator]();
        // Failures before the first event (404, 429, 502, 503) answer with their status and message.
        let next = await events.next();
        let references: service.Reference[] = [];
        let suggestions: service.Suggestion[] = [];
        // Blocks of the answer that are complete go out rendered, once each; the panel shows
        // only the text after them as it arrives (cheap at any length), then the whole answer.
        const blocks = new MarkdownBlocks();
        try {
          for (; !next.done; next = await events.next()) {
            const event = next.value;
            if (event.type === "references") references = event.references;
            else if (event.type === "answer") suggestions = event.suggestions;
            // The panel only appends the text: the deltas that arrived together go as one event.
            else if (event.type === "tokens") {
              const text = event.texts.join("");
              yield sse({ event: "token", data: { text } });
              // `length` is how much of the streamed text the rendered block stands for.
              const done = blocks.push(text);
              if (done)
                yield sse({ event: "block", data: { html: renderAnswer(done), length: done.length } });
            } else if (event.type === "done") {
              const { text, model, tokens, cost, cacheHit } = event.result;
              const turn: AiTurn = {
                message: body.message,
                safeAnswerHtml: renderAnswer(text),
                references,
                suggestions,
                meta: { model, tokensIn: tokens.input, tokensOut: tokens.output, cost, cacheHit },
              };
              const answer = (await (<AiAnswer projectId={params.id} turn={turn} />)) as string;
              yield sse({ event: "done", data: { html: answer } });
            }
          }
        } catch (error) {
          const message = error instanceof AppError ? error.message : "The answer broke off";
          yield sse({ event: "error", data: { message } });
        } finally {
          await events.return?.(undefined);
        }
      },
      {
        session: true,
        params: ProjectParams,
        body: t.Object({
          _csrf: t.Optional(t.String({ maxLength: 200 })),
          message: t.String({ minLength: 1, maxLength: MAX_MESSAGE_CHARS }),
          currentFile: t.Optional(t.String({ maxLength: 500 })),
          selectedCode: t.Optional(t.String({ maxLength: 100_000 })),
          cursorLine: t.Optional(t.Integer({ minimum: 1 })),
        }),
      },
    )
    .post(
      "/projects/:id/ai/complete",
      ({ viewer, params, body, request }) =>
        service.complete(deps, viewer.user.id, { ...body, projectId: params.id }, request.signal),
      {
        session: true,
        params: ProjectParams,
        body: t.Object({
          code: t.String({ maxLength: MAX_CODE_CHARS }),
          language: t.String({ minLength: 1, maxLength: 40 }),
          cursorPosition: t.Integer({ minimum: 0 }),
          contextWindow: t.Optional(t.Integer({ minimum: 100, maximum: 16_000 })),
        }),
      },
    )
    .post(
      "/projects/:id/ai/analyze",
      ({ viewer, params, body, request }) =>
        service.analyze(deps, viewer.user.id, { ...body, projectId: params.id }, request.signal),
      {
        session: true,
        params: ProjectParams,
        body: t.Object({
          path: t.Optional(t.String({ minLength: 1, maxLength: 500 })),
          code: t.Optional(t.String({ maxLength: MAX_CODE_CHARS })),
          kind: t.Optional(t.Union(ANALYSIS_KINDS.map((k) => t.Literal(k)))),
        }),
      },
    );
}
