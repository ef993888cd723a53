import { Elysia, t } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../auth/auth-guard.ts";
import { apiModels, bearer, errors, projectIdParameter } from "../docs/api-schema.ts";
import { ProjectParams } from "../projects/model.ts";
import { issuePreview } from "./service.ts";

const PreviewTokenBody = t.Object({
  path: t.Optional(
    t.String({
      minLength: 1,
      maxLength: 500,
      description: "The page `url` opens (default `index.html`); checked like any file path.",
    }),
  ),
});

const PreviewToken = t.Object(
  {
    token: t.String({ description: "The preview token: `t=` of a preview URL" }),
    expiresIn: t.Integer({ description: "Seconds the token stays valid" }),
    url: t.String({ description: "The page's preview URL with the token (on PREVIEW_ORIGIN when set)" }),
  },
  { description: "A preview link: reads the project's files as a static site, for a short while." },
);

/** The JSON face of previews: a member asks for a preview token (docs/api.md, "Preview"). */
export function previewRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/projects", tags: ["Preview"] })
    .use(apiModels)
    .model({ PreviewToken })
    .use(authPlugin(deps))
    .post(
      "/:id/preview-tokens",
      async ({ principal, params, body, set }) => {
        const grant = await issuePreview(deps, principal.userId, params.id, body?.path);
        set.status = 201;
        return grant;
      },
      {
        auth: true,
        params: ProjectParams,
        body: t.Optional(PreviewTokenBody),
        response: { 201: "PreviewToken", ...errors(400, 401, 404, 429) },
        detail: {
          operationId: "createPreviewToken",
          summary: "Issue a preview token",
          description:
            "Any member (viewers too) gets a token for `GET /preview/{projectId}/{path}?t=…`, bound to the " +
            "caller and this project and valid for 15 minutes; each request with it checks again that the " +
            "caller is a member. The token opens nothing else: it is no access token.",
          parameters: [projectIdParameter],
          ...bearer("api"),
        },
      },
    );
}
