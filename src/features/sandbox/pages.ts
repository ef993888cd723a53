import { Elysia, sse, t } from "elysia";
import type { Deps } from "../../deps.ts";
import { ValidationError } from "../../errors.ts";
import { clientIp } from "../../plugins/client-ip.ts";
import { sessionPlugin } from "../../plugins/session.ts";
import { MAX_FILE_BYTES } from "../files/service.ts";
import type { ExecuteInput } from "./model.ts";
import * as service from "./service.ts";

const RUNNABLE: Record<string, ExecuteInput["language"]> = {
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  jsx: "javascript",
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "typescript",
  py: "python",
};

/** The language a project file runs as, from its extension; undefined when it cannot run. */
export function runLanguageOf(path: string): ExecuteInput["language"] | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? RUNNABLE[name.slice(dot + 1).toLowerCase()] : undefined;
}

const Params = t.Object({ id: t.String({ maxLength: 64 }) });
const RunForm = t.Object({
  _csrf: t.Optional(t.String({ maxLength: 200 })),
  path: t.String({ minLength: 1, maxLength: 512 }),
  // The editor's current text, saved or not; checked against the file size limit.
  content: t.Optional(t.String()),
});

/**
 * The project page's Run: runs a file of the project (its unsaved text standing in for the
 * stored one) with the project's files beside it, and streams the output as server-sent
 * events — `queued`, `stdout`, `stderr`, then `exit` with the exit code, time and failure.
 * Closing the request (the Stop button) kills the run.
 */
export function sandboxPages(deps: Deps) {
  return new Elysia({ name: "sandbox-pages" }).use(sessionPlugin(deps)).post(
    "/projects/:id/run",
    async function* ({ viewer, params, body, request }) {
      const language = runLanguageOf(body.path);
      if (!language) {
        throw new ValidationError(
          "path: only JavaScript, TypeScript and Python files can be run (.js, .ts, .py and their variants)",
          "path",
        );
      }
      const input = {
        language,
        projectId: params.id,
        entry: body.path,
        ...(body.content !== undefined ? { code: body.content } : {}),
      };
      // Failures before the first message (404, 413, 503) are answered with their status.
      const run = await service.prepareRun(deps, viewer.user.id, input, { maxCodeBytes: MAX_FILE_BYTES });
      service.assertAvailable(deps);
      const meta = {
        ip: clientIp(request, deps.config.trustProxyHops),
        userAgent: request.headers.get("user-agent") ?? undefined,
      };
      const events = service.execute(deps, viewer.user.id, run, request.signal, meta);
      for await (const message of service.messagesOf(events)) {
        // The page has already shown the output as it streamed; the exit needs only the outcome.
        if (message.event === "exit") {
          const { stdout: _out, stderr: _err, ...outcome } = message.data;
          yield sse({ event: "exit", data: outcome });
        } else yield sse(message);
      }
    },
    { session: true, params: Params, body: RunForm },
  );
}
