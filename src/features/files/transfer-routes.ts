import { Elysia } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../auth/auth-guard.ts";
import { apiModels, bearer, errors, filePathParameter, projectIdParameter } from "../docs/api-schema.ts";
import { ProjectParams } from "../projects/model.ts";
import { archiveResponse, fileResponse, uploadedEntries } from "./http.ts";
import { UploadedFiles, uploadForm } from "./model.ts";
import { filePathIn } from "./paths.ts";
import * as transfer from "./transfer.ts";

const UPLOAD_FORM = {
  required: true,
  content: {
    "multipart/form-data": {
      schema: {
        type: "object" as const,
        required: ["file"],
        properties: {
          file: {
            type: "array" as const,
            items: { type: "string" as const, format: "binary" },
            description: "The files",
          },
          path: {
            type: "array" as const,
            items: { type: "string" as const },
            description: "Each file's path, in order",
          },
          folder: { type: "string" as const, description: "Where files without a `path` go" },
        },
      },
    },
  },
};

/** The JSON face's file transfers: uploads into the tree, single-file downloads, the project as a .zip. */
export function transferRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/projects" })
    .use(apiModels)
    .model({ UploadedFiles })
    .use(authPlugin(deps))
    .post(
      "/:id/files/upload",
      async ({ principal, params, body, set }) => {
        const entries = await uploadedEntries(uploadForm(body));
        const files = await transfer.uploadFiles(deps, principal.userId, params.id, entries);
        set.status = 201;
        return { files };
      },
      {
        auth: "editor",
        params: ProjectParams,
        // Checked by uploadForm in the handler, after the token (the form's schema is UploadBody).
        response: { 201: "UploadedFiles", ...errors(400, 401, 403, 404, 409, 413, 429) },
        detail: {
          operationId: "uploadFiles",
          parameters: [projectIdParameter],
          tags: ["Files"],
          summary: "Upload files",
          description:
            "Stores the uploaded files (`multipart/form-data`): new paths are created, existing files get a new " +
            "version. Text (UTF-8, at most 1 MiB) opens in the editor; any other file — images, archives — is " +
            "stored as bytes, at most 5 MiB each. At most 1000 files and 55 MiB per request, within the project " +
            "and owner limits. All or nothing: one refused path, clash or limit stores none. Editors and the " +
            "owner; a viewer is answered 403.",
          requestBody: UPLOAD_FORM,
          ...bearer("editor"),
        },
      },
    )
    .get(
      "/:id/raw/*",
      async ({ principal, params, request }) =>
        fileResponse(
          await transfer.downloadFile(deps, principal.userId, params.id, filePathIn(request, "raw")),
        ),
      {
        auth: true,
        response: errors(400, 401, 404, 429),
        detail: {
          operationId: "downloadFile",
          parameters: [projectIdParameter, filePathParameter],
          tags: ["Files"],
          summary: "Download a file",
          description:
            "The file's bytes as stored. Images (`png`, `jpg`, `gif`, `webp`, `avif`, `ico`, `bmp`) come inline " +
            "with their type; every other file as `application/octet-stream`, an attachment.",
          responses: {
            200: {
              description: "The file.",
              content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
            },
          },
          ...bearer("api"),
        },
      },
    )
    .get(
      "/:id/archive",
      async ({ principal, params }) =>
        archiveResponse(await transfer.projectArchive(deps, principal.userId, params.id)),
      {
        auth: true,
        params: ProjectParams,
        response: errors(400, 401, 404, 429),
        detail: {
          operationId: "downloadArchive",
          parameters: [projectIdParameter],
          tags: ["Projects"],
          summary: "Download the project as a .zip",
          description:
            "Every file of the project at its path, binary files byte for byte, including edits still open " +
            "in the editor. Every member may download it.",
          responses: {
            200: {
              description: "The archive.",
              content: { "application/zip": { schema: { type: "string", format: "binary" } } },
            },
          },
          ...bearer("api"),
        },
      },
    );
}
