import { Elysia, sse, t } from "elysia";
import { PreviewPanel } from "../../../views/editor/_preview.tsx";
import { projectPart, projectUrl } from "../../../views/editor/urls.ts";
import type { Deps } from "../../deps.ts";
import { html, isHtmx } from "../../plugins/htmx.ts";
import { sessionActive } from "../auth/service.ts";
import { sessionPlugin } from "../auth/session-guard.ts";
import { ProjectParams } from "../projects/model.ts";
import { watchChanges } from "./changes.ts";
import { issuePreview, pageFor, pageUrl, previewBase } from "./service.ts";
import { PREVIEW_TTL_SECONDS } from "./tokens.ts";

const PanelQuery = t.Object({ file: t.Optional(t.String({ maxLength: 8000 })) });

/** A fresh token well before the last one expires, so a reload never meets an expired link. */
const TOKEN_EVERY_MS = (PREVIEW_TTL_SECONDS * 1000) / 3;

/** Events for one preview: what arrives (changes, token renewals) waits here until sent. */
function inbox(signal: AbortSignal) {
  const waiting: { event: string; data: unknown }[] = [];
  let wake: (() => void) | undefined;
  signal.addEventListener("abort", () => wake?.(), { once: true });
  return {
    push(event: string, data: unknown) {
      waiting.push({ event, data });
      wake?.();
    },
    /** Everything waiting, once there is something (or the request ends: then nothing). */
    async take() {
      while (waiting.length === 0 && !signal.aborted)
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      wake = undefined;
      return waiting.splice(0);
    },
  };
}

/**
 * The preview on the project page: the panel (`GET /projects/:id/preview`, a fragment) and its
 * server-sent events (`GET /projects/:id/preview/events`): `token` first and every five minutes
 * (`{token, expiresIn}`), then `change` (`{path}`, null for many files) after each stored change
 * to the project's files, by anyone, on any instance; `gone` ends it (access lost, or the
 * session signed out).
 */
export function previewPages(deps: Deps) {
  return new Elysia({ name: "preview-pages" })
    .use(sessionPlugin(deps))
    .get(
      "/projects/:id/preview",
      async ({ viewer, params, query, request, redirect }) => {
        if (!isHtmx(request)) return redirect(projectUrl(params.id, query.file), 303);
        const page = pageFor(query.file);
        const grant = await issuePreview(deps, viewer.user.id, params.id, page);
        return html(
          <PreviewPanel
            projectId={params.id}
            page={page}
            src={pageUrl(deps.config, params.id, page, grant.token)}
            base={previewBase(deps.config, params.id)}
            eventsUrl={projectPart(params.id, "preview/events")}
          />,
        );
      },
      { session: true, params: ProjectParams, query: PanelQuery },
    )
    .get(
      "/projects/:id/preview/events",
      async function* ({ viewer, params, request }) {
        const userId = viewer.user.id;
        // Refused (404) before the stream starts; later tokens check membership again.
        const first = await issuePreview(deps, userId, params.id);
        const box = inbox(request.signal);
        const unsubscribe = await watchChanges(deps.cache, params.id, (path) => box.push("change", { path }));
        const renew = setInterval(() => {
          issuePreview(deps, userId, params.id).then(
            ({ token, expiresIn }) => box.push("token", { token, expiresIn }),
            () => box.push("gone", {}),
          );
        }, TOKEN_EVERY_MS);
        try {
          yield sse({ event: "token", data: { token: first.token, expiresIn: first.expiresIn } });
          for (;;) {
            const events = await box.take();
            if (request.signal.aborted) return;
            // A stream outlives its page's session unless checked: signed out, it says "gone"
            // instead of passing on a change or a fresh token, and ends.
            if (!(await sessionActive(deps, viewer.principal.sessionId, userId))) {
              yield sse({ event: "gone", data: {} });
              return;
            }
            for (const event of events) {
              yield sse(event);
              if (event.event === "gone") return;
            }
          }
        } finally {
          clearInterval(renew);
          await unsubscribe();
        }
      },
      { session: true, params: ProjectParams },
    );
}
