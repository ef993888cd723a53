import { Elysia, t } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../auth/auth-guard.ts";
import { apiModels, bearer, errors, projectIdParameter } from "../docs/api-schema.ts";
import { ProjectParams } from "../projects/model.ts";
import { ContextQuery } from "./model.ts";
import { searchContext } from "./service.ts";

const ContextResults = t.Object(
  {
    results: t.Array(
      t.Object({
        filename: t.String(),
        function_name: t.Optional(t.String()),
        class_name: t.Optional(t.String()),
        language: t.String(),
        code_snippet: t.String(),
        line_start: t.Integer({ minimum: 1 }),
        line_end: t.Integer({ minimum: 1 }),
        score: t.Number({ description: "Higher is more relevant" }),
      }),
    ),
  },
  { description: "The matching pieces of code, best first." },
);

/** The JSON face of code search (`/projects/:id/context`, docs/api.md). */
export function contextRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/projects", tags: ["Code search"] })
    .use(apiModels)
    .model({ ContextResults })
    .use(authPlugin(deps))
    .get(
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
      {
        auth: true,
        params: ProjectParams,
        query: ContextQuery,
        response: { 200: "ContextResults", ...errors(400, 401, 404, 429) },
        detail: {
          operationId: "searchCode",
          summary: "Search a project's code",
          description:
            "Semantic and lexical search over the project's indexed code, best first. A project whose " +
            "indexing is switched off answers no results.",
          parameters: [projectIdParameter],
          ...bearer("api"),
        },
      },
    );
}
