import { Elysia, sse, t } from "elysia";
import { requestContext } from "../../common/http.ts";
import type { Deps } from "../../deps.ts";
import { sessionPlugin } from "../auth/session-guard.ts";
import { MAX_FILE_BYTES } from "../files/service.ts";
import { ProjectParams } from "../projects/model.ts";
import * as service from "./service.ts";

const RunForm = t.Object({
  _csrf: t.Optional(t.String({ maxLength: 200 })),
  // The open file; when it cannot run (or none is open) the project's entry file runs instead.
  path: t.Optional(t.String({ maxLength: 512 })),
  // The editor's current text of `path`, saved or not; checked against the file size limit.
  content: t.Optional(t.String()),
});

/**
 * The project page's Run: runs the open file of the project (its unsaved text standing in for
 * the stored one) — or the project's entry file when the open one cannot run — with the
 * project's files beside it, and streams the output as server-sent events: `start` (the path
 * that runs), `queued`, `stdout`, `stderr`, then `exit` with the exit code, time and failure.
 * Closing the request (the Stop button) kills the run.
 */
export function sandboxPages(deps: Deps) {
  return new Elysia({ name: "sandbox-pages" }).use(sessionPlugin(deps)).post(
    "/projects/:id/run",
    async function* ({ viewer, params, body, request }) {
      const userId = viewer.user.id;
      const input = await service.projectRunInput(deps, userId, params.id, body);
      // Failures before the first message (404, 413, 503) are answered with their status.
      const run = await service.prepareRun(deps, userId, input, { maxCodeBytes: MAX_FILE_BYTES });
      service.assertAvailable(deps);
      const meta = requestContext(request, deps.config.trustProxyHops);
      const events = service.execute(deps, userId, run, request.signal, meta);
      yield sse({ event: "start", data: { path: input.entry } });
      for await (const message of service.messagesOf(events)) {
        // The page has already shown the output as it streamed; the exit needs only the outcome.
        if (message.event === "exit") {
          const { stdout: _out, stderr: _err, ...outcome } = message.data;
          yield sse({ event: "exit", data: outcome });
        } else yield sse(message);
      }
    },
    { session: true, params: ProjectParams, body: RunForm },
  );
}
