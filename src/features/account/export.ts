import { Zip, ZipDeflate } from "fflate";
import {
  listMemberships,
  listOwnedProjects,
  listUserChats,
  type OwnedProject,
} from "../../db/queries/account.ts";
import { listFileContents } from "../../db/queries/files.ts";
import { getGitRepo } from "../../db/queries/git.ts";
import { getUserById } from "../../db/queries/users.ts";
import type { GitRepo } from "../../db/schema/git.ts";
import type { Deps } from "../../deps.ts";
import { publicUser } from "../auth/service.ts";
import { savedGitTokens } from "../git/credentials.ts";
import { signInMethods } from "./service.ts";

type ExportDeps = Pick<Deps, "db" | "cache" | "memo" | "config" | "tokens" | "logger" | "context" | "collab">;

interface Entry {
  name: string;
  data: Uint8Array;
}

const encoder = new TextEncoder();
const json = (name: string, value: unknown): Entry => ({
  name,
  data: encoder.encode(`${JSON.stringify(value, null, 2)}\n`),
});

/** A stored file's bytes: a binary file's content is base64, any other file's is its text. */
function bytesOf(file: { content: string; encoding: string }): Uint8Array {
  return file.encoding === "base64" ? Buffer.from(file.content, "base64") : encoder.encode(file.content);
}

/** A folder name for a project: its name made safe for any file system, then its id to keep it unique. */
function projectFolder(project: Pick<OwnedProject, "id" | "name">): string {
  const slug = project.name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "")
    .slice(0, 60);
  return `projects/${slug || "project"}-${project.id.slice(0, 8)}`;
}

/**
 * A project's git link as exported: the remote (without any credentials, should one ever be in
 * it), the branch, the last commit made or pulled here and the remote branch's tip as last seen,
 * and the paths of that commit the project holds no file for. Not the tree or the objects: the
 * remote has them.
 */
function gitLink(repo: GitRepo) {
  let remoteUrl = repo.remoteUrl;
  const url = URL.canParse(remoteUrl) ? new URL(remoteUrl) : undefined;
  if (url && (url.username || url.password)) {
    url.username = "";
    url.password = "";
    remoteUrl = url.href;
  }
  return {
    remoteUrl,
    branch: repo.branch,
    headOid: repo.headOid,
    remoteOid: repo.remoteOid,
    skipped: repo.skipped,
    updatedAt: repo.updatedAt,
  };
}

/** The archive's entries, one project at a time so that only one project's files are held at once. */
async function* entries(deps: ExportDeps, userId: string): AsyncGenerator<Entry> {
  const db = await deps.db.get();
  const [owned, memberships, methods, gitTokens] = await Promise.all([
    listOwnedProjects(db, userId),
    listMemberships(db, userId),
    signInMethods(deps, userId),
    savedGitTokens(deps, userId),
  ]);
  const user = await getUserById(db, userId);
  yield json("profile.json", {
    user: user && { ...publicUser(user), createdAt: user.createdAt, lastLoginAt: user.lastLoginAt },
    signInMethods: methods,
    memberships,
    // Where the saved git token is for and since when; the token itself never leaves the server.
    gitTokens,
    exportedAt: new Date(),
  });
  const folders = new Map(owned.map((p) => [p.id, projectFolder(p)]));
  for (const project of owned) {
    const folder = folders.get(project.id)!;
    // Edits still on their way from open editors are written first, so the archive has them.
    await deps.collab.flushFiles(project.id, () => true);
    const { sharedWith, ...about } = project;
    yield json(`${folder}/project.json`, { ...about, sharedWith });
    const repo = await getGitRepo(db, project.id);
    if (repo) yield json(`${folder}/git.json`, gitLink(repo));
    for (const file of await listFileContents(db, project.id))
      yield { name: `${folder}/files/${file.path}`, data: bytesOf(file) };
  }
  const chats = await listUserChats(db, userId);
  yield json(
    "conversations.json",
    chats.map((c) => ({
      ...c,
      projectFolder: c.projectId ? (folders.get(c.projectId) ?? null) : null,
    })),
  );
}

/**
 * Everything the account holds, as a zip streamed while it is built: `profile.json` (the
 * account, its sign-in methods, memberships and the host of its saved git token),
 * `projects/<name>-<id>/` for each owned project (`project.json`, `git.json` when it is linked
 * to a git remote, and its files under `files/`), and `conversations.json` (the user's AI chats).
 */
export function exportAccount(deps: ExportDeps, userId: string): ReadableStream<Uint8Array> {
  const source = entries(deps, userId);
  let zip: Zip;
  let pending: Uint8Array[] = [];
  let failed: Error | undefined;
  return new ReadableStream<Uint8Array>({
    start() {
      zip = new Zip((err, chunk) => {
        if (err) failed = err;
        else pending.push(chunk);
      });
    },
    async pull(controller) {
      let next: IteratorResult<Entry>;
      try {
        next = await source.next();
      } catch (error) {
        // The headers are gone already: the client sees a cut-off download, the log says why.
        deps.logger.error({ err: error, userId }, "account export failed");
        zip.terminate();
        return controller.error(error);
      }
      if (next.done) zip.end();
      else {
        const file = new ZipDeflate(next.value.name, { level: 6 });
        zip.add(file);
        file.push(next.value.data, true);
      }
      if (failed) return controller.error(failed);
      for (const chunk of pending) controller.enqueue(chunk);
      pending = [];
      if (next.done) controller.close();
    },
    async cancel() {
      await source.return(undefined);
      zip.terminate();
    },
  });
}

/** The archive's file name: `aura-export-<date>.zip`. */
export function exportFileName(now = new Date()): string {
  return `aura-export-${now.toISOString().slice(0, 10)}.zip`;
}
