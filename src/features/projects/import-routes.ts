import { Elysia } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../auth/auth-guard.ts";
import { apiModels, bearer, errors } from "../docs/api-schema.ts";
import { ImportBody, ImportQuery } from "../files/model.ts";
import { importProject, nameFromFile } from "./import.ts";
import { Project } from "./routes.ts";

/** The archive and the project name an import form or raw body carries. */
async function importInput(body: typeof ImportBody.static, name: string | undefined) {
  if (body instanceof ArrayBuffer)
    return { zip: new Uint8Array(body), name: name ?? nameFromFile(undefined) };
  const given = name ?? body.name?.trim();
  return {
    zip: new Uint8Array(await body.file.arrayBuffer()),
    name: given || nameFromFile(body.file.name),
  };
}

/** The JSON face's import of a .zip as a new project. */
export function importRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/projects" })
    .use(apiModels)
    .model({ Project })
    .use(authPlugin(deps))
    .post(
      "/import",
      async ({ principal, body, query, set }) => {
        const project = await importProject(
          deps,
          principal.userId,
          await importInput(body, query.name?.trim()),
        );
        set.status = 201;
        return project;
      },
      {
        auth: true,
        body: ImportBody,
        query: ImportQuery,
        response: { 201: "Project", ...errors(400, 401, 403, 413, 429) },
        detail: {
          operationId: "importProject",
          tags: ["Projects"],
          summary: "Import a .zip as a new project",
          description:
            "The body is the .zip itself (`application/zip`), or a `multipart/form-data` form with it in `file`. " +
            "Every entry becomes a file at its path. Refused with 400 naming the problem, leaving nothing " +
            "behind: an entry whose name is absolute or climbs out with `..` (zip slip) or breaks the path rules; " +
            "more than 1000 files; a file over 5 MiB or all files over the project limit (50 MiB), whether " +
            "declared by the archive or found while inflating it (a zip bomb). An archive over 20 MiB is a 413; " +
            "an owner at their project limit gets 403 `project_limit`.",
          requestBody: {
            required: true,
            content: {
              "application/zip": { schema: { type: "string", format: "binary" } },
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["file"],
                  properties: {
                    file: { type: "string", format: "binary", description: "The .zip" },
                    name: { type: "string", description: "The new project's name" },
                  },
                },
              },
            },
          },
          ...bearer("api"),
        },
      },
    );
}
