import { Elysia } from "elysia";
import { FileTree } from "../../../views/editor/_tree.tsx";
import type { Deps } from "../../deps.ts";
import { html, redirectAfterPost } from "../../plugins/htmx.ts";
import { sessionPlugin } from "../auth/session-guard.ts";
import { buildTree } from "../editor/tree.ts";
import { loadTree } from "../editor/workspace.ts";
import { importProject, nameFromFile } from "../projects/import.ts";
import { ProjectParams } from "../projects/model.ts";
import { archiveResponse, fileResponse, uploadedEntries } from "./http.ts";
import { ImportForm, uploadForm } from "./model.ts";
import { filePathIn } from "./paths.ts";
import * as transfer from "./transfer.ts";

/**
 * The HTML face's transfers, on the session: the tree's upload (answered with the new tree,
 * which the page swaps in), a file's bytes (images in the editor, downloads), the project as a
 * .zip, and the dashboard's import of a .zip as a new project (then opened).
 */
export function transferPages(deps: Deps) {
  return new Elysia({ name: "transfer-pages" })
    .use(sessionPlugin(deps))
    .post(
      "/projects/:id/files/upload",
      async ({ viewer, params, body, set }) => {
        const entries = await uploadedEntries(uploadForm(body));
        const stored = await transfer.uploadFiles(deps, viewer.user.id, params.id, entries);
        const { paths, role } = await loadTree(deps, viewer.user.id, params.id);
        set.headers["x-uploaded"] = String(stored.length);
        return html(<FileTree projectId={params.id} nodes={buildTree(paths)} role={role} />);
      },
      { session: true, params: ProjectParams },
    )
    .get(
      "/projects/:id/raw/*",
      async ({ viewer, params, request }) =>
        fileResponse(
          await transfer.downloadFile(deps, viewer.user.id, params.id, filePathIn(request, "raw")),
        ),
      { session: true },
    )
    .get(
      "/projects/:id/archive",
      async ({ viewer, params }) =>
        archiveResponse(await transfer.projectArchive(deps, viewer.user.id, params.id)),
      { session: true, params: ProjectParams },
    )
    .post(
      "/projects/import",
      async ({ viewer, body, request }) => {
        const name = body.name?.trim() || nameFromFile(body.file.name);
        const zip = new Uint8Array(await body.file.arrayBuffer());
        const project = await importProject(deps, viewer.user.id, { zip, name });
        return redirectAfterPost(request, `/projects/${project.id}`);
      },
      { session: true, body: ImportForm },
    );
}
