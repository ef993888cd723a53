import { Elysia } from "elysia";
import type { Deps } from "../../deps.ts";
import { createProbes } from "./probes.ts";

/** `/healthz`: the process is up. `/readyz`: each dependency, 503 when a required one is down. */
export function healthRoutes(deps: Deps) {
  const readiness = createProbes(deps);
  return new Elysia({ name: "health" })
    .get(
      "/healthz",
      () =>
        new Response("ok", {
          headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
        }),
    )
    .get("/readyz", async () => {
      const checks = await readiness();
      const ready = Object.values(checks).every((c) => c.ok || !c.required);
      return Response.json(
        {
          status: ready ? "ready" : "unavailable",
          uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
          checks,
        },
        { status: ready ? 200 : 503, headers: { "cache-control": "no-store" } },
      );
    });
}
