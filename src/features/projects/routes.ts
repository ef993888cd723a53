import { Elysia } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../../plugins/auth.ts";
import { pathFromUrl } from "../files/paths.ts";
import * as fileService from "../files/service.ts";
import {
  CreateProjectBody,
  ListQuery,
  ProjectParams,
  RenameBody,
  SaveFileBody,
  UpdateProjectBody,
} from "./model.ts";
import * as service from "./service.ts";

const FILE_PATH = /^(?:\/api\/v1)?\/projects\/[^/]+\/files\/(.*)$/;

/** The `*path` of `…/projects/:id/files/*`, taken from the raw URL so it is percent-decoded exactly once. */
export function filePathOf(request: Request): string {
  return pathFromUrl(FILE_PATH.exec(new URL(request.url).pathname)?.[1] ?? "");
}

/** The JSON face of projects and files (API.md "Projects and files"). */
export function projectRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/projects" })
    .use(authPlugin(deps))
    .get(
      "/",
      ({ principal, query }) =>
        service.listProjects(deps, principal.userId, {
          page: query.page ?? 1,
          limit: query.limit ?? 20,
          ...(query.q ? { search: query.q } : {}),
          ...(query.sort ? { sort: query.sort } : {}),
          ...(query.order ? { order: query.order } : {}),
        }),
      { auth: true, query: ListQuery },
    )
    .post(
      "/",
      async ({ principal, body, set }) => {
        set.status = 201;
        return service.createProject(deps, principal.userId, body);
      },
      { auth: true, body: CreateProjectBody },
    )
    .get("/:id", ({ principal, params }) => service.getProject(deps, principal.userId, params.id), {
      auth: true,
      params: ProjectParams,
    })
    .patch(
      "/:id",
      ({ principal, params, body }) => service.updateProject(deps, principal.userId, params.id, body),
      {
        auth: true,
        params: ProjectParams,
        body: UpdateProjectBody,
      },
    )
    .delete(
      "/:id",
      async ({ principal, params, set }) => {
        await service.deleteProject(deps, principal.userId, params.id);
        set.status = 204;
      },
      { auth: true, params: ProjectParams },
    )
    .get(
      "/:id/files",
      async ({ principal, params }) => ({
        files: (await fileService.listProjectFiles(deps, principal.userId, params.id)).map((f) => ({
          path: f.path,
          size: f.sizeBytes,
          version: f.version,
          updatedAt: f.updatedAt,
        })),
      }),
      { auth: true, params: ProjectParams },
    )
    .post(
      "/:id/files/rename",
      async ({ principal, params, body }) => ({
        paths: await fileService.renamePath(deps, principal.userId, params.id, body.from, body.to),
      }),
      { auth: "editor", params: ProjectParams, body: RenameBody },
    )
    .get(
      "/:id/files/*",
      async ({ principal, params, request }) => {
        const file = await fileService.readFile(deps, principal.userId, params.id, filePathOf(request));
        return { path: file.path, content: file.content, version: file.version, language: file.language };
      },
      { auth: true },
    )
    .put(
      "/:id/files/*",
      async ({ principal, params, request, body }) => {
        const path = filePathOf(request);
        const file = await fileService.saveFile(deps, principal.userId, {
          projectId: params.id,
          path,
          ...body,
        });
        return { path: file.path, version: file.version, size: file.sizeBytes };
      },
      { auth: "editor", body: SaveFileBody },
    )
    .delete(
      "/:id/files/*",
      async ({ principal, params, request, set }) => {
        await fileService.deleteFilePath(deps, principal.userId, params.id, filePathOf(request));
        set.status = 204;
      },
      { auth: "editor" },
    );
}
