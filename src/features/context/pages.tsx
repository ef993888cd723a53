import { Elysia, sse, t } from "elysia";
import { GotoResults, IndexStatus, SearchPanel, SearchResults } from "../../../views/editor/_search.tsx";
import { AsyncQueue } from "../../async-queue.ts";
import type { Deps } from "../../deps.ts";
import { html } from "../../plugins/htmx.ts";
import { fuzzyScore } from "../../search/fuzzy.ts";
import { sessionPlugin } from "../auth/session-guard.ts";
import { listProjectFiles } from "../files/service.ts";
import { ProjectParams } from "../projects/model.ts";
import type { ReindexProgress } from "./indexer.ts";
import {
  indexStatus,
  projectSymbols,
  projectWords,
  reindexProject,
  searchContext,
  setIndexing,
} from "./service.ts";

const Query = t.Object({ q: t.Optional(t.String({ maxLength: 500 })) });
const SwitchForm = t.Object({
  _csrf: t.Optional(t.String({ maxLength: 200 })),
  enabled: t.Union([t.Literal("on"), t.Literal("off")]),
});
const GOTO_SYMBOLS = 30;
const GOTO_FILES = 20;

/**
 * Code search on the project page: the search panel (Ctrl/Cmd-Shift-F) and its results, the
 * "Go to" dialog's matches (Ctrl/Cmd-P), the re-index with its progress as server-sent events
 * (`progress` per file, then `done`; closing the request cancels it), the indexing switch, and
 * the project's identifiers for the editor's instant completion.
 */
export function contextPages(deps: Deps) {
  const status = async (userId: string, projectId: string, csrfToken: string) => ({
    projectId,
    csrfToken,
    ...(await indexStatus(deps, userId, projectId)),
  });
  return new Elysia({ name: "context-pages" })
    .use(sessionPlugin(deps))
    .get(
      "/projects/:id/search",
      async ({ viewer, params }) =>
        html(<SearchPanel {...(await status(viewer.user.id, params.id, viewer.csrfToken))} />),
      { session: true, params: ProjectParams },
    )
    .get(
      "/projects/:id/search/results",
      async ({ viewer, params, query, request }) => {
        const q = (query.q ?? "").trim();
        const results = q ? await searchContext(deps, viewer.user.id, params.id, q, 20, request.signal) : [];
        return html(<SearchResults projectId={params.id} query={q} results={results} />);
      },
      { session: true, params: ProjectParams, query: Query },
    )
    .get(
      "/projects/:id/goto",
      async ({ viewer, params, query }) => {
        const q = (query.q ?? "").trim();
        const [symbols, listing] = await Promise.all([
          projectSymbols(deps, viewer.user.id, params.id, q, GOTO_SYMBOLS),
          listProjectFiles(deps, viewer.user.id, params.id),
        ]);
        const files = listing
          .map((f) => ({
            path: f.path,
            score: fuzzyScore(q, f.path.slice(f.path.lastIndexOf("/") + 1), f.path),
          }))
          .filter((f): f is { path: string; score: number } => f.score !== undefined)
          .sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1))
          .slice(0, GOTO_FILES)
          .map((f) => f.path);
        return html(<GotoResults projectId={params.id} symbols={symbols} files={files} />);
      },
      { session: true, params: ProjectParams, query: Query },
    )
    .get(
      "/projects/:id/words",
      async ({ viewer, params }) => ({ words: await projectWords(deps, viewer.user.id, params.id) }),
      { session: true, params: ProjectParams },
    )
    .post(
      "/projects/:id/index",
      async function* ({ viewer, params, request }) {
        const progress = new AsyncQueue<ReindexProgress>();
        const finished = reindexProject(deps, viewer.user.id, params.id, {
          signal: request.signal,
          onProgress: (p) => progress.push(p),
        });
        // Failures before the first event (404, 409 when indexing is off) answer with their status.
        const result = finished.finally(() => progress.end());
        void result.catch(() => {}); // awaited below; this only keeps a dropped stream's failure handled
        for await (const p of progress) yield sse({ event: "progress", data: p });
        const r = await result;
        yield sse({
          event: "done",
          data: {
            files: r.files,
            chunks: r.chunks,
            embedded: r.embedded,
            skipped: r.skipped.length,
            cancelled: r.cancelled,
          },
        });
      },
      {
        session: true,
        params: ProjectParams,
        body: t.Optional(t.Object({ _csrf: t.Optional(t.String({ maxLength: 200 })) })),
      },
    )
    .post(
      "/projects/:id/index/switch",
      async ({ viewer, params, body }) => {
        await setIndexing(deps, viewer.user.id, params.id, body.enabled === "on");
        return html(<IndexStatus {...(await status(viewer.user.id, params.id, viewer.csrfToken))} />);
      },
      { session: true, params: ProjectParams, body: SwitchForm },
    );
}
