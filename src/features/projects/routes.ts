import { Elysia, t } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../auth/auth-guard.ts";
import {
  apiModels,
  bearer,
  dateTime,
  errors,
  filePathParameter,
  noContent,
  oneOf,
  projectIdParameter,
} from "../docs/api-schema.ts";
import { filePathOf } from "../files/paths.ts";
import * as fileService from "../files/service.ts";
import {
  CreateProjectBody,
  LANGUAGES,
  ListQuery,
  PAGE_SIZE,
  ProjectParams,
  RenameBody,
  SaveFileBody,
  UpdateProjectBody,
} from "./model.ts";
import * as service from "./service.ts";

export const Project = t.Object(
  {
    id: t.String({ format: "uuid" }),
    name: t.String(),
    description: t.Nullable(t.String()),
    language: t.Nullable(t.String({ description: `One of ${LANGUAGES.join(", ")}` })),
    fileCount: t.Integer({ minimum: 0 }),
    lastModified: dateTime("Last change to the project or one of its files"),
    role: oneOf(["owner", "editor", "viewer"], {
      description:
        "The caller's role: `owner` may do everything; `editor` reads and changes files, runs code and " +
        "uses the AI; `viewer` reads files, history and search",
    }),
    owner: t.Optional(
      t.Object(
        { id: t.String({ format: "uuid" }), email: t.String(), name: t.Nullable(t.String()) },
        { description: "Who owns the project; only on a project shared with the caller" },
      ),
    ),
  },
  { description: "A project, as the caller sees it." },
);

/** What the routes answer, as reference models (`components.schemas` of the document). */
const models = {
  Project,
  ProjectList: t.Object(
    {
      projects: t.Array(Project),
      pagination: t.Object({
        page: t.Integer({ minimum: 1 }),
        limit: t.Integer({ minimum: 1, maximum: 100 }),
        total: t.Integer({ minimum: 0, description: "Projects matching, over all pages" }),
      }),
    },
    { description: "One page of projects." },
  ),
  FileList: t.Object(
    {
      files: t.Array(
        t.Object({
          path: t.String(),
          size: t.Integer({ description: "Bytes of UTF-8" }),
          version: t.Integer({ minimum: 1 }),
          updatedAt: dateTime("Last save"),
        }),
      ),
    },
    { description: "Every file of the project." },
  ),
  RenamedPaths: t.Object(
    { paths: t.Array(t.String(), { description: "The new path of every file moved" }) },
    { description: "Moved." },
  ),
  FileContent: t.Object(
    {
      path: t.String(),
      content: t.String({ description: "The text, or for a binary file its bytes in base64" }),
      encoding: oneOf(["utf8", "base64"], {
        description: "`base64` for a binary file (an image, an archive): download it from `raw/{path}`",
      }),
      version: t.Integer({ minimum: 1, description: "Send it back as `baseVersion` when saving" }),
      language: t.Nullable(t.String({ description: "Taken from the extension; `plaintext` when unknown" })),
    },
    { description: "The file." },
  ),
  SavedFile: t.Object(
    {
      path: t.String(),
      version: t.Integer({ minimum: 1, description: "One more than before the save" }),
      size: t.Integer({ description: "Bytes of UTF-8" }),
    },
    { description: "Saved." },
  ),
};

/** The JSON face of projects and files (docs/api.md, "Projects and files"). */
export function projectRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/projects" })
    .use(apiModels)
    .model(models)
    .use(authPlugin(deps))
    .get(
      "/",
      ({ principal, query }) =>
        service.listProjects(deps, principal.userId, {
          page: query.page ?? 1,
          limit: query.limit ?? PAGE_SIZE,
          ...(query.q ? { search: query.q } : {}),
          ...(query.sort ? { sort: query.sort } : {}),
          ...(query.order ? { order: query.order } : {}),
        }),
      {
        auth: true,
        query: ListQuery,
        response: { 200: "ProjectList", ...errors(400, 401, 429) },
        detail: {
          operationId: "listProjects",
          tags: ["Projects"],
          summary: "List projects",
          description:
            "One page of the projects the caller owns or is a member of, each with the caller's `role` (and, " +
            "for a shared one, its `owner`); the most recently changed first unless `sort` says otherwise.",
          ...bearer("api"),
        },
      },
    )
    .post(
      "/",
      async ({ principal, body, set }) => {
        set.status = 201;
        return service.createProject(deps, principal.userId, body);
      },
      {
        auth: true,
        body: CreateProjectBody,
        response: { 201: "Project", ...errors(400, 401, 403, 413, 429) },
        detail: {
          operationId: "createProject",
          tags: ["Projects"],
          summary: "Create a project",
          description:
            "Seeds starter files from `template`, or from the language's default one. An owner at their " +
            "project limit (100 by default) gets 403 with code `project_limit`.",
          ...bearer("api"),
        },
      },
    )
    .get("/:id", ({ principal, params }) => service.getProject(deps, principal.userId, params.id), {
      auth: true,
      params: ProjectParams,
      response: { 200: "Project", ...errors(400, 401, 404, 429) },
      detail: {
        operationId: "getProject",
        parameters: [projectIdParameter],
        tags: ["Projects"],
        summary: "Get a project",
        ...bearer("api"),
      },
    })
    .patch(
      "/:id",
      ({ principal, params, body }) => service.updateProject(deps, principal.userId, params.id, body),
      {
        auth: true,
        params: ProjectParams,
        body: UpdateProjectBody,
        response: { 200: "Project", ...errors(400, 401, 403, 404, 413, 429) },
        detail: {
          operationId: "updateProject",
          parameters: [projectIdParameter],
          tags: ["Projects"],
          summary: "Rename or re-describe a project",
          description: "The owner only; a member is answered 403.",
          ...bearer("api"),
        },
      },
    )
    .delete(
      "/:id",
      async ({ principal, params, set }) => {
        await service.deleteProject(deps, principal.userId, params.id);
        set.status = 204;
      },
      {
        auth: true,
        params: ProjectParams,
        response: { 204: noContent("Deleted."), ...errors(400, 401, 403, 404, 429) },
        detail: {
          operationId: "deleteProject",
          parameters: [projectIdParameter],
          tags: ["Projects"],
          summary: "Delete a project",
          description:
            "The owner only; a member is answered 403. Its files, their history, its members and its index " +
            "entries go with it.",
          ...bearer("api"),
        },
      },
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
      {
        auth: true,
        params: ProjectParams,
        response: { 200: "FileList", ...errors(400, 401, 404, 429) },
        detail: {
          operationId: "listFiles",
          parameters: [projectIdParameter],
          tags: ["Files"],
          summary: "List a project's files",
          ...bearer("api"),
        },
      },
    )
    .post(
      "/:id/files/rename",
      async ({ principal, params, body }) => ({
        paths: await fileService.renamePath(deps, principal.userId, params.id, body.from, body.to),
      }),
      {
        auth: "editor",
        params: ProjectParams,
        body: RenameBody,
        response: { 200: "RenamedPaths", ...errors(400, 401, 403, 404, 409, 413, 429) },
        detail: {
          operationId: "renamePath",
          parameters: [projectIdParameter],
          tags: ["Files"],
          summary: "Rename a file or move a folder",
          description:
            "Moves `from` (a file, or a folder with everything under it) to `to`, never onto an existing file " +
            "and never so that a path would be both a file and a folder (409 naming the clash). Editors and " +
            "the owner; a viewer is answered 403.",
          ...bearer("editor"),
        },
      },
    )
    .get(
      "/:id/files/*",
      async ({ principal, params, request }) => {
        const file = await fileService.readFile(deps, principal.userId, params.id, filePathOf(request));
        return {
          path: file.path,
          content: file.content,
          encoding: file.encoding,
          version: file.version,
          language: file.language,
        };
      },
      {
        auth: true,
        response: { 200: "FileContent", ...errors(400, 401, 404, 429) },
        detail: {
          operationId: "readFile",
          tags: ["Files"],
          summary: "Read a file",
          parameters: [projectIdParameter, filePathParameter],
          ...bearer("api"),
        },
      },
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
      {
        auth: "editor",
        body: SaveFileBody,
        response: { 200: "SavedFile", ...errors(400, 401, 403, 404, 409, 413, 429) },
        detail: {
          operationId: "saveFile",
          tags: ["Files"],
          summary: "Save a file",
          description:
            "Creates the file or replaces its content. With `baseVersion` the save happens only while the " +
            "stored version is still that one; otherwise 409 with what is stored now (`current`). A path is a " +
            "file or a folder, never both: creating `a/b` while `a` is a file, or `a` while files sit under " +
            "`a/`, is a 409 naming the clash. Versions never repeat at a path: a file created where a deleted " +
            "(or moved-away) one was starts one above that file's last version. The JSON body may be up to " +
            "8 MiB; the decoded `content` at most 1 MiB of UTF-8, the project at most 50 MiB and the owner's " +
            "projects together 500 MiB by default (413), whoever saves: an editor's save counts against the " +
            "owner's limits. Editors and the owner; a viewer is answered 403.",
          parameters: [projectIdParameter, filePathParameter],
          ...bearer("editor"),
        },
      },
    )
    .delete(
      "/:id/files/*",
      async ({ principal, params, request, set }) => {
        await fileService.deleteFilePath(deps, principal.userId, params.id, filePathOf(request));
        set.status = 204;
      },
      {
        auth: "editor",
        response: { 204: noContent("Deleted."), ...errors(400, 401, 403, 404, 429) },
        detail: {
          operationId: "deleteFile",
          tags: ["Files"],
          summary: "Delete a file or folder",
          description:
            "Deletes the file at the path, and only it; a path that is no file is a folder, deleted with " +
            "everything under it. Editors and the owner; a viewer is answered 403.",
          parameters: [projectIdParameter, filePathParameter],
          ...bearer("editor"),
        },
      },
    );
}
