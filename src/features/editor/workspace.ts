import type { Deps } from "../../deps.ts";
import { languageOf } from "../files/paths.ts";
import { fileHistory, listProjectFiles, ownedProject, readFile } from "../files/service.ts";
import { entryFile } from "../projects/service.ts";
import { lineDiff } from "./history.ts";
import { FOLDER_MARKER } from "./tree.ts";

type EditorDeps = Pick<Deps, "db" | "memo">;

/** The file the editor shows. */
export interface OpenFile {
  path: string;
  content: string;
  version: number;
  language: string;
}

const isMarker = (path: string) => path === FOLDER_MARKER || path.endsWith(`/${FOLDER_MARKER}`);

/**
 * What the project page shows: the project, its paths, and the open file — `want` when it
 * exists, else the template's entry file (`missing` names a wanted file that does not exist).
 */
export async function loadWorkspace(deps: EditorDeps, userId: string, projectId: string, want?: string) {
  const project = await ownedProject(deps, userId, projectId);
  const paths = (await listProjectFiles(deps, userId, project.id)).map((f) => f.path);
  const openable = paths.filter((p) => !isMarker(p));
  const path = want && openable.includes(want) ? want : entryFile(project.template, openable);
  const file = path ? await openFile(deps, userId, project.id, path) : undefined;
  return { project, paths, file, missing: want && want !== path ? want : undefined };
}

/** One file as the editor needs it (404 when it is not the caller's). */
export async function openFile(
  deps: EditorDeps,
  userId: string,
  projectId: string,
  path: string,
): Promise<OpenFile> {
  const file = await readFile(deps, userId, projectId, path);
  return {
    path: file.path,
    content: file.content,
    version: file.version,
    language: file.language ?? languageOf(file.path),
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
