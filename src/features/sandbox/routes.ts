import { Elysia, sse, t } from "elysia";
import { requestContext } from "../../common/http.ts";
import type { Deps } from "../../deps.ts";
import { wantsStream } from "../../plugins/negotiate.ts";
import { authPlugin } from "../auth/auth-guard.ts";
import { apiModels, bearer, errors, oneOf } from "../docs/api-schema.ts";
import { ExecuteBody, RUN_LANGUAGES } from "./model.ts";
import * as service from "./service.ts";

/** What the routes answer, as reference models (`components.schemas` of the document). */
const models = {
  SandboxStatus: t.Object(
    {
      runner: oneOf(["local", "e2b"]),
      available: t.Boolean(),
      reason: t.Optional(t.String({ description: "Why runs are unavailable" })),
      languages: t.Array(oneOf(RUN_LANGUAGES)),
      running: t.Integer({ minimum: 0 }),
      queued: t.Integer({ minimum: 0 }),
      limits: t.Object({
        timeoutSeconds: t.Object({ default: t.Number(), max: t.Number() }),
        memoryBytes: t.Integer(),
        processes: t.Integer(),
        fileSizeBytes: t.Integer(),
        outputBytes: t.Integer(),
        codeBytes: t.Integer(),
      }),
    },
    { description: "The sandbox's state." },
  ),
  RunResult: t.Object(
    {
      success: t.Boolean({ description: "True only for exit code 0 within the limits" }),
      stdout: t.String(),
      stderr: t.String(),
      exitCode: t.Nullable(t.Integer({ description: "Null when the process was killed" })),
      executionTime: t.Number({ description: "Milliseconds" }),
      error: t.Optional(oneOf(["timeout", "memory", "cancelled", "error"])),
      truncated: t.Boolean({ description: "True when output past the limit was dropped" }),
    },
    { description: "How the run ended and what it printed." },
  ),
};

/** The events of a run streamed with `Accept: text/event-stream`. */
const RUN_EVENTS =
  "Server-sent events: `queued` (`{position}`) while waiting for a slot, `stdout` and `stderr` " +
  "(`{text}`) as output arrives, then `exit` (the JSON result). Closing the stream kills the run.";

/** The JSON (and SSE) face of the sandbox (docs/api.md, "Sandbox"). */
export function sandboxRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/sandbox", tags: ["Sandbox"] })
    .use(apiModels)
    .model(models)
    .use(authPlugin(deps))
    .get("/status", () => service.sandboxStatus(deps), {
      auth: true,
      response: { 200: "SandboxStatus", ...errors(401, 429) },
      detail: {
        operationId: "sandboxStatus",
        summary: "Sandbox status",
        description: "Which runner is in use, whether it can run now, its queue and its limits.",
        ...bearer("api"),
      },
    })
    .post(
      "/execute",
      async function* ({ principal, body, request }) {
        // Everything that can fail with a status happens before the first yield, so it is
        // answered as a plain JSON error rather than inside a started stream.
        const run = await service.prepareRun(deps, principal.userId, body);
        service.assertAvailable(deps);
        const meta = requestContext(request, deps.config.trustProxyHops);
        // Closing the connection aborts request.signal, which kills the run's process group.
        const events = service.execute(deps, principal.userId, run, request.signal, meta);
        const stream = wantsStream(request);
        for await (const message of service.messagesOf(events)) {
          if (stream) yield sse(message);
          else if (message.event === "exit") return message.data;
        }
      },
      {
        auth: "editor",
        body: ExecuteBody,
        // A generator's yields are typed as its 200 response, so the JSON answer is documented in `detail`.
        response: errors(400, 401, 403, 404, 409, 413, 429),
        detail: {
          operationId: "executeCode",
          summary: "Run code",
          description:
            "Runs `code` (at most 10 KiB of UTF-8, else 413), or the project file `entry` with the project's " +
            "files in the working directory. `success` is true only for exit code 0 within the time limit; a " +
            "run stopped by its limits has `error: timeout` or `memory`. With `projectId`, editors and the " +
            "owner of the project only (a viewer is answered 403); a project stored with one path as both a " +
            "file and a folder is a 409. Everything that can fail with a status fails before the stream " +
            "starts, as a plain JSON error.",
          responses: {
            200: {
              description: `How the run ended and what it printed. With \`Accept: text/event-stream\`: ${RUN_EVENTS}`,
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/RunResult" } },
                "text/event-stream": { schema: { type: "string", description: RUN_EVENTS } },
              },
            },
          },
          ...bearer("editor"),
        },
      },
    );
}
