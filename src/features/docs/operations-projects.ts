import type { OperationDoc } from "./catalogue.ts";

const PROJECT_ID = { id: "The project's id." };
const FILE_PATH = {
  ...PROJECT_ID,
  path:
    "The file's path in the project, e.g. `src/app.js`. Percent-decoded once, then checked: relative, " +
    "`/`-separated (`%2F` is a separator), at most 500 bytes, no `.`, `..` or empty segment, no backslash, " +
    "NUL or control character; anything else is a 400.",
};

/** Projects, files and code search (API.md "Projects and files"). */
export const PROJECT_OPERATIONS: Record<string, OperationDoc> = {
  "GET /api/v1/projects/": {
    operationId: "listProjects",
    tag: "Projects",
    summary: "List projects",
    description:
      "One page of the projects the caller owns or is a member of, each with the caller's `role` (and, for " +
      "a shared one, its `owner`); the most recently changed first unless `sort` says otherwise.",
    auth: "api",
    success: { status: 200, description: "One page of projects.", schema: "ProjectList" },
  },
  "POST /api/v1/projects/": {
    operationId: "createProject",
    tag: "Projects",
    summary: "Create a project",
    description:
      "Seeds starter files from `template`, or from the language's default one. An owner at their " +
      "project limit (100 by default) gets 403 with code `project_limit`.",
    auth: "api",
    success: { status: 201, description: "The new project.", schema: "Project" },
    errors: ["Forbidden"],
  },
  "GET /api/v1/projects/:id": {
    operationId: "getProject",
    tag: "Projects",
    summary: "Get a project",
    auth: "api",
    success: { status: 200, description: "The project.", schema: "Project" },
    errors: ["NotFound"],
    params: PROJECT_ID,
  },
  "PATCH /api/v1/projects/:id": {
    operationId: "updateProject",
    tag: "Projects",
    summary: "Rename or re-describe a project",
    description: "The owner only; a member is answered 403.",
    auth: "api",
    success: { status: 200, description: "The project as it is now.", schema: "Project" },
    errors: ["NotFound", "Forbidden"],
    params: PROJECT_ID,
  },
  "DELETE /api/v1/projects/:id": {
    operationId: "deleteProject",
    tag: "Projects",
    summary: "Delete a project",
    description:
      "The owner only; a member is answered 403. Its files, their history, its members and its index " +
      "entries go with it.",
    auth: "api",
    success: { status: 204, description: "Deleted." },
    errors: ["NotFound", "Forbidden"],
    params: PROJECT_ID,
  },
  "GET /api/v1/projects/:id/files": {
    operationId: "listFiles",
    tag: "Files",
    summary: "List a project's files",
    auth: "api",
    success: { status: 200, description: "Every file of the project.", schema: "FileList" },
    errors: ["NotFound"],
    params: PROJECT_ID,
  },
  "POST /api/v1/projects/:id/files/rename": {
    operationId: "renamePath",
    tag: "Files",
    summary: "Rename a file or move a folder",
    description:
      "Moves `from` (a file, or a folder with everything under it) to `to`, never onto an existing file " +
      "and never so that a path would be both a file and a folder (409 naming the clash). Editors and the " +
      "owner; a viewer is answered 403.",
    auth: "editor",
    success: { status: 200, description: "Moved.", schema: "RenamedPaths" },
    errors: ["NotFound", "Forbidden", "Conflict"],
    params: PROJECT_ID,
  },
  "GET /api/v1/projects/:id/files/*": {
    operationId: "readFile",
    tag: "Files",
    summary: "Read a file",
    auth: "api",
    success: { status: 200, description: "The file.", schema: "FileContent" },
    errors: ["NotFound"],
    params: FILE_PATH,
  },
  "PUT /api/v1/projects/:id/files/*": {
    operationId: "saveFile",
    tag: "Files",
    summary: "Save a file",
    description:
      "Creates the file or replaces its content. With `baseVersion` the save happens only while the stored " +
      "version is still that one; otherwise 409 with what is stored now. A path is a file or a folder, never " +
      "both: creating `a/b` while `a` is a file, or `a` while files sit under `a/`, is a 409 naming the clash. " +
      "Versions never repeat at a path: a file created where a deleted (or moved-away) one was starts one " +
      "above that file's last version. The JSON body may be up to 8 MiB; the decoded `content` at most " +
      "1 MiB of UTF-8, the project at most 50 MiB and the owner's projects together 500 MiB by default (413), " +
      "whoever saves: an editor's save counts against the owner's limits. Editors and the owner; a viewer " +
      "is answered 403.",
    auth: "editor",
    success: { status: 200, description: "Saved.", schema: "SavedFile" },
    errors: ["NotFound", "Forbidden", "FileConflict"],
    params: FILE_PATH,
  },
  "DELETE /api/v1/projects/:id/files/*": {
    operationId: "deleteFile",
    tag: "Files",
    summary: "Delete a file or folder",
    description:
      "Deletes the file at the path, and only it; a path that is no file is a folder, deleted with " +
      "everything under it. Editors and the owner; a viewer is answered 403.",
    auth: "editor",
    success: { status: 204, description: "Deleted." },
    errors: ["NotFound", "Forbidden"],
    params: FILE_PATH,
  },
  "GET /api/v1/projects/:id/context": {
    operationId: "searchCode",
    tag: "Code search",
    summary: "Search a project's code",
    description:
      "Semantic and lexical search over the project's indexed code, best first. A project whose " +
      "indexing is switched off answers no results.",
    auth: "api",
    success: { status: 200, description: "The matching pieces of code.", schema: "ContextResults" },
    errors: ["NotFound"],
    params: PROJECT_ID,
  },
};
