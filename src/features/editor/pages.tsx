import { Elysia, t } from "elysia";
import { EditorArea } from "../../../views/editor/_editor-area.tsx";
import { HistoryPanel } from "../../../views/editor/_history.tsx";
import { ToastPartial } from "../../../views/editor/_toast.tsx";
import { FileTree } from "../../../views/editor/_tree.tsx";
import { EditorPage } from "../../../views/editor/editor.tsx";
import { projectUrl } from "../../../views/editor/urls.ts";
import { displayName } from "../../../views/layouts/app.tsx";
import type { Deps } from "../../deps.ts";
import { ValidationError } from "../../errors.ts";
import { html, isHtmx } from "../../plugins/htmx.ts";
import { sessionPlugin, type Viewer } from "../auth/session-guard.ts";
import { filePathOf } from "../files/paths.ts";
import * as files from "../files/service.ts";
import { isGitProject } from "../git/panel.ts";
import { previewMode } from "../preview/service.ts";
import { ProjectParams, SaveFileBody } from "../projects/model.ts";
import { decodeTabs, isUnder, nextTabs, renamedPath, savedTabs, tabsCookie } from "./tabs.ts";
import { buildTree, FOLDER_MARKER } from "./tree.ts";
import { loadHistory, loadTree, loadWorkspace, openFile } from "./workspace.ts";

/** Who the editor's presence shows as "you" before the socket confirms it (and offline). */
const personOf = (viewer: Viewer) => ({ id: viewer.user.id, name: displayName(viewer.user) });

const field = t.Optional(t.String({ maxLength: 8000 }));
const OpenQuery = t.Object({
  file: field,
  tabs: field,
  close: field,
  current: field,
  // Where to put the cursor: a search result or a reference opens the file at its line.
  line: t.Optional(t.Integer({ minimum: 1, maximum: 10_000_000 })),
});
// Tree forms also carry the page's tab state (`tabs`, `current`) so the editor can follow a change.
const Form = t.Object({
  _csrf: field,
  path: field,
  kind: field,
  from: field,
  to: field,
  version: field,
  tabs: field,
  current: field,
});
type FormFields = typeof Form.static;

const required = (value: string | undefined, name: string) => {
  if (!value) throw new ValidationError(`${name}: is required`, name);
  return value;
};

/** The HTML face of one project: the IDE page, its fragments, and the island's save endpoint. */
export function editorPages(deps: Deps) {
  /**
   * The answer to a tree change: the new tree, a toast, and — when the open file moved, went
   * away or `open` names a file — the editor area out of band.
   */
  async function afterTreeChange(
    request: Request,
    viewer: Viewer,
    projectId: string,
    form: FormFields,
    change: { message: string; remap?: (path: string) => string | undefined; open?: string },
  ) {
    if (!isHtmx(request)) return Response.redirect(projectUrl(projectId, change.open ?? form.current), 303);
    const userId = viewer.user.id;
    const { paths, role } = await loadTree(deps, userId, projectId);
    const remap = change.remap ?? ((p: string) => p);
    const before = form.current || undefined;
    const after = change.open ?? (before ? remap(before) : undefined);
    const moved = after !== before;
    const tabs = decodeTabs(form.tabs)
      .map(remap)
      .filter((p): p is string => p !== undefined && paths.includes(p));
    const file = !moved
      ? undefined
      : after
        ? await openFile(deps, userId, projectId, after)
        : (await loadWorkspace(deps, userId, projectId)).file;
    const current = moved ? file?.path : before;
    const headers: Record<string, string> = {
      "set-cookie": tabsCookie(projectId, nextTabs(tabs, current), current, deps.config.production),
      ...(moved ? { "hx-push-url": projectUrl(projectId, file?.path) } : {}),
    };
    return html(
      <>
        <FileTree
          projectId={projectId}
          nodes={buildTree(paths)}
          current={moved ? file?.path : before}
          role={role}
        />
        {moved ? (
          <hx-partial hx-target="#editor-area" hx-swap="outerHTML">
            <EditorArea
              projectId={projectId}
              file={file}
              tabs={nextTabs(tabs, file?.path)}
              ai={deps.ai.enabled}
              role={role}
              user={personOf(viewer)}
            />
          </hx-partial>
        ) : null}
        <ToastPartial kind="success" message={change.message} />
      </>,
      200,
      headers,
    );
  }

  return new Elysia({ name: "editor-pages" })
    .use(sessionPlugin(deps))
    .get(
      "/projects/:id",
      async ({ viewer, params, query, request }) => {
        // The tabs this browser had open here come back on a reload (or a later visit).
        const saved = savedTabs(request);
        const ws = await loadWorkspace(deps, viewer.user.id, params.id, query.file ?? saved.current);
        const tabs = nextTabs(saved.tabs, ws.file?.path, { exists: (p) => ws.paths.includes(p) });
        const cookie = tabsCookie(ws.project.id, tabs, ws.file?.path, deps.config.production);
        return html(
          <EditorPage
            ai={deps.ai.enabled}
            role={ws.role}
            user={personOf(viewer)}
            projectId={ws.project.id}
            projectName={ws.project.name}
            nodes={buildTree(ws.paths)}
            file={ws.file}
            tabs={tabs}
            line={query.line}
            csrfToken={viewer.csrfToken}
            preview={previewMode(ws.project.language, ws.paths)}
            git={await isGitProject(deps, ws.project.id)}
            notice={
              query.file && ws.missing
                ? `${ws.missing} was not found; opened ${ws.file?.path ?? "nothing"} instead`
                : undefined
            }
          />,
          200,
          { "set-cookie": cookie },
        );
      },
      { session: true, params: ProjectParams, query: OpenQuery },
    )
    .get(
      "/projects/:id/tree",
      async ({ viewer, params, query }) => {
        const { paths, role } = await loadTree(deps, viewer.user.id, params.id);
        const nodes = buildTree(paths);
        return html(<FileTree projectId={params.id} nodes={nodes} current={query.current} role={role} />);
      },
      { session: true, params: ProjectParams, query: OpenQuery },
    )
    .get(
      "/projects/:id/open",
      async ({ viewer, params, query, request, redirect }) => {
        if (!isHtmx(request)) return redirect(projectUrl(params.id, query.file, query.line), 303);
        const { file, role } = query.file
          ? await openFile(deps, viewer.user.id, params.id, query.file).then((f) => ({
              file: f,
              role: f.role,
            }))
          : await loadWorkspace(deps, viewer.user.id, params.id);
        const tabs = nextTabs(decodeTabs(query.tabs), file?.path, { close: query.close });
        const props = {
          projectId: params.id,
          file,
          tabs,
          ai: deps.ai.enabled,
          role,
          line: query.line,
          user: personOf(viewer),
        };
        const cookie = tabsCookie(params.id, tabs, file?.path, deps.config.production);
        return html(<EditorArea {...props} />, 200, { "set-cookie": cookie });
      },
      { session: true, params: ProjectParams, query: OpenQuery },
    )
    .put(
      "/projects/:id/files/*",
      async ({ viewer, params, request, body }) => {
        const input = { projectId: params.id, path: filePathOf(request), ...body };
        const file = await files.saveFile(deps, viewer.user.id, input);
        return { path: file.path, version: file.version, size: file.sizeBytes };
      },
      { session: true, body: SaveFileBody },
    )
    .post(
      "/projects/:id/files",
      async ({ viewer, params, body, request }) => {
        const path = required(body.path?.trim().replace(/\/+$/, ""), "path");
        const folder = body.kind === "folder";
        // Folders exist only as path prefixes: a new one is an empty marker file inside it.
        const target = folder ? `${path}/${FOLDER_MARKER}` : path;
        await files.saveFile(deps, viewer.user.id, {
          projectId: params.id,
          path: target,
          content: "",
          baseVersion: 0,
        });
        const message = `Created ${folder ? "folder" : "file"} ${path}`;
        return afterTreeChange(
          request,
          viewer,
          params.id,
          body,
          folder ? { message } : { message, open: path },
        );
      },
      { session: true, params: ProjectParams, body: Form },
    )
    .post(
      "/projects/:id/files/rename",
      async ({ viewer, params, body, request }) => {
        const from = required(body.from, "from");
        const to = required(body.to?.trim().replace(/\/+$/, ""), "to");
        await files.renamePath(deps, viewer.user.id, params.id, from, to);
        const remap = (p: string) => renamedPath(p, from, to);
        return afterTreeChange(request, viewer, params.id, body, {
          message: `Renamed ${from} to ${to}`,
          remap,
        });
      },
      { session: true, params: ProjectParams, body: Form },
    )
    .post(
      "/projects/:id/files/delete",
      async ({ viewer, params, body, request }) => {
        const path = required(body.path, "path");
        await files.deleteFilePath(deps, viewer.user.id, params.id, path);
        const remap = (p: string) => (isUnder(p, path) ? undefined : p);
        return afterTreeChange(request, viewer, params.id, body, { message: `Deleted ${path}`, remap });
      },
      { session: true, params: ProjectParams, body: Form },
    )
    .get(
      "/projects/:id/history",
      async ({ viewer, params, query }) => {
        const { file, versions } = await loadHistory(
          deps,
          viewer.user.id,
          params.id,
          required(query.file, "file"),
        );
        const props = { projectId: params.id, path: file.path, currentVersion: file.version, versions };
        return html(<HistoryPanel {...props} csrfToken={viewer.csrfToken} />);
      },
      { session: true, params: ProjectParams, query: OpenQuery },
    )
    .post(
      "/projects/:id/history/restore",
      async ({ viewer, params, body }) => {
        const userId = viewer.user.id;
        const number = Number(body.version);
        const file = await files.restoreVersion(deps, userId, params.id, required(body.path, "path"), number);
        const history = await loadHistory(deps, userId, params.id, file.path);
        const open =
          body.current === file.path ? await openFile(deps, userId, params.id, file.path) : undefined;
        return html(
          <>
            <HistoryPanel
              projectId={params.id}
              path={file.path}
              currentVersion={file.version}
              versions={history.versions}
              csrfToken={viewer.csrfToken}
            />
            {open ? (
              <hx-partial hx-target="#editor-area" hx-swap="outerHTML">
                <EditorArea
                  projectId={params.id}
                  file={open}
                  tabs={nextTabs(decodeTabs(body.tabs), open.path)}
                  ai={deps.ai.enabled}
                  role={open.role}
                  user={personOf(viewer)}
                />
              </hx-partial>
            ) : null}
            <ToastPartial kind="success" message={`Restored version ${number} as version ${file.version}`} />
          </>,
        );
      },
      { session: true, params: ProjectParams, body: Form },
    );
}
