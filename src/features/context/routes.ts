import { Elysia } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../../plugins/auth.ts";
import { ProjectParams } from "../projects/model.ts";
import { ContextQuery } from "./model.ts";
import { searchContext } from "./service.ts";

/** The JSON face of code search (API.md "Projects and files": `/projects/:id/context`). */
export function contextRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/projects" }).use(authPlugin(deps)).get(
    "/:id/context",
    async ({ principal, params, query, request }) => ({
      results: await searchContext(
        deps,
        principal.userId,
        params.id,
        query.q,
        query.limit ?? 10,
        request.signal,
      ),
    }),
    { auth: true, params: ProjectParams, query: ContextQuery },
  );
}
