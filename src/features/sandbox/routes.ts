import { Elysia, sse } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../../plugins/auth.ts";
import { wantsStream } from "../../plugins/negotiate.ts";
import { requestContext } from "../auth/routes.ts";
import { ExecuteBody } from "./model.ts";
import * as service from "./service.ts";

/** The JSON (and SSE) face of the sandbox (API.md "Sandbox"). */
export function sandboxRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/sandbox" })
    .use(authPlugin(deps))
    .get("/status", () => service.sandboxStatus(deps), { auth: true })
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
      { auth: "editor", body: ExecuteBody },
    );
}
