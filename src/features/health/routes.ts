import { Elysia } from "elysia";
import { StatusPage } from "../../../views/pages/status.tsx";
import type { Deps } from "../../deps.ts";
import { sameSecret } from "../../timing-safe.ts";
import { createProbes } from "./probes.ts";

/** Whether the request presents the configured bearer token. */
function tokenMatches(header: string | null, token: string): boolean {
  return sameSecret(/^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "", token);
}

/**
 * `/healthz`: the process is up. `/readyz`: each dependency, 503 when a required one is down;
 * `/status` says the same to a person (the landing page links it).
 * `/metrics`: Prometheus text, open unless METRICS_TOKEN is set (then a matching bearer token).
 */
export function healthRoutes(deps: Deps) {
  const probes = createProbes(deps);
  const readiness = async () => {
    const checks = await probes();
    const ready = Object.values(checks).every((c) => c.ok || !c.required);
    return { ready, uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000), checks };
  };
  return new Elysia({ name: "health" })
    .get(
      "/healthz",
      () =>
        new Response("ok", {
          headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
        }),
    )
    .get("/readyz", async () => {
      const { ready, uptimeSeconds, checks } = await readiness();
      return Response.json(
        { status: ready ? "ready" : "unavailable", uptimeSeconds, checks },
        { status: ready ? 200 : 503, headers: { "cache-control": "no-store" } },
      );
    })
    .get("/status", async () => {
      // A page that renders is a 200 whatever it says; machines read /readyz's status code.
      return new Response(StatusPage(await readiness()) as string, {
        headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
      });
    })
    .get("/metrics", async ({ request }) => {
      const token = deps.config.metricsToken;
      if (token && !tokenMatches(request.headers.get("authorization"), token))
        return new Response("A bearer token is required (METRICS_TOKEN)", {
          status: 401,
          headers: { "www-authenticate": 'Bearer realm="metrics"', "cache-control": "no-store" },
        });
      return new Response(await deps.metrics.registry.metrics(), {
        headers: { "content-type": deps.metrics.registry.contentType, "cache-control": "no-store" },
      });
    });
}
