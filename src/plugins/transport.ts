import { Elysia } from "elysia";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { compressResponse } from "./compression.ts";
import { noteRoute, requestInfo } from "./request-info.ts";

type Handler = (...args: unknown[]) => unknown;

/**
 * Wrap the whole app handler: compress the finished response, write one structured access-log
 * line (method, route pattern — never the raw URL with its query — status, ms, errorId) and
 * count it in the HTTP metrics under the same labels.
 */
export function transport(logger: Logger, metrics?: Metrics) {
  return (fn: Handler, request: Request) =>
    async (...args: unknown[]): Promise<Response> => {
      const started = performance.now();
      const response = await compressResponse(request, (await fn(...args)) as Response);
      const { route, errorId } = requestInfo(request);
      const status = response.status;
      const elapsed = performance.now() - started;
      const line = {
        method: request.method,
        route: route ?? "(unmatched)",
        status,
        ms: Math.round(elapsed * 100) / 100,
        ...(errorId ? { errorId } : {}),
      };
      if (metrics) {
        // Unmatched paths share one label: a scanner's thousand URLs must not make a thousand series.
        const labels = { method: request.method, route: line.route };
        metrics.httpRequests.inc({ ...labels, status: String(status) });
        metrics.httpDuration.observe(labels, elapsed / 1000);
      }
      // /readyz answers 503 by design while the database opens or is down: not a server error.
      if (status >= 500 && line.route !== "/readyz") logger.error(line, "request");
      else if (status >= 500) logger.warn(line, "request");
      else logger.info(line, "request");
      return response;
    };
}

/** Record each matched route's pattern for the access log; use together with `transport`. */
export function routeTracker() {
  return new Elysia({ name: "route-tracker" }).onTransform({ as: "global" }, ({ request, route }) =>
    noteRoute(request, route),
  );
}
