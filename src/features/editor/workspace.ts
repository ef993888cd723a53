import type { Deps } from "../../deps.ts";
import { imageTypeOf, isBinary } from "../files/content.ts";
import { languageOf } from "../files/paths.ts";
import { accessFile, fileHistory, listProjectFiles } from "../files/service.ts";
import { projectAccess, type Role } from "../projects/access.ts";
import { entryFile } from "../projects/service.ts";
import { lineDiff } from "./history.ts";
import { FOLDER_MARKER } from "./tree.ts";

type EditorDeps = Pick<Deps, "db" | "memo"> & Partial<Pick<Deps, "collab">>;

/** The file the editor shows, and the caller's role in its project (a viewer's editor is read-only). */
export interface OpenFile {
  path: string;
  /** The live document's text when it has one (it can be ahead of the stored file by a moment). */
  content: string;
  version: number;
  language: string;
  role: Role;
  /** The live document's lineage id (browsers key their local copies by it). */
  docId?: string | undefined;
  /** The live document's state (a Yjs update, base64), so the editor starts from it without a round trip. */
  docState?: string | undefined;
  /** Set for a file stored as bytes: it shows as a download (an image as itself), not in the editor. */
  binary?: { size: number; image: boolean } | undefined;
}

const isMarker = (path: string) => path === FOLDER_MARKER || path.endsWith(`/${FOLDER_MARKER}`);

/**
 * What the project page shows: the project, the caller's role in it, its paths, and the open
 * file — `want` when it exists, else the template's entry file (`missing` names a wanted file
 * that does not exist).
 */
export async function loadWorkspace(deps: EditorDeps, userId: string, projectId: string, want?: string) {
  const { project, role } = await projectAccess(deps, userId, projectId, "viewer");
  const paths = (await listProjectFiles(deps, userId, project.id)).map((f) => f.path);
  const openable = paths.filter((p) => !isMarker(p));
  const path = want && openable.includes(want) ? want : entryFile(project.template, openable);
  const file = path ? await openFile(deps, userId, project.id, path) : undefined;
  return { project, role, paths, file, missing: want && want !== path ? want : undefined };
}

/** The project's paths for the file tree, and the caller's role (a viewer's tree has no actions). */
export async function loadTree(deps: EditorDeps, userId: string, projectId: string) {
  const paths = (await listProjectFiles(deps, userId, projectId)).map((f) => f.path);
  const { role } = await projectAccess(deps, userId, projectId, "viewer");
  return { paths, role };
}

/** One file as the editor needs it (404 when the caller is not a member of its project). */
export async function openFile(
  deps: EditorDeps,
  userId: string,
  projectId: string,
  path: string,
): Promise<OpenFile> {
  const { access, file } = await accessFile(deps, userId, projectId, path);
  if (isBinary(file))
    return {
      path: file.path,
      content: "",
      version: file.version,
      language: file.language ?? languageOf(file.path),
      role: access.role,
      binary: { size: file.sizeBytes, image: imageTypeOf(file.path) !== undefined },
    };
  const live = await deps.collab?.document(access.project.id, file.path);
  return {
    path: file.path,
    content: live?.text ?? file.content,
    version: file.version,
    language: file.language ?? languageOf(file.path),
    role: access.role,
    docId: live?.docId,
    docState: live && Buffer.from(live.state).toString("base64"),
  };
}

/** A file's versions, newest first, each with the diff from the current text to that version. */
export async function loadHistory(deps: EditorDeps, userId: string, projectId: string, path: string) {
  const { file, versions } = await fileHistory(deps, userId, projectId, path, { withContent: true });
  const entries = versions.map(({ content, ...v }) => ({
    ...v,
    diff: lineDiff(file.content, content ?? ""),
  }));
  return { file, versions: entries };
}
