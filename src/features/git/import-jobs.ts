import { AppError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { type CloneProgress, importRepository } from "./clone.ts";
import { assertPublicHost, parseRemoteUrl } from "./remote.ts";
import type { GitDeps } from "./service.ts";

/** Where an import started from the dashboard stands, as any instance sharing the cache can read it. */
export type ImportJob =
  | { state: "running"; progress: CloneProgress }
  | { state: "done"; projectId: string; skipped: { path: string; reason: string }[] }
  | { state: "failed"; message: string };

const JOB_SECONDS = 600;
const key = (userId: string, jobId: string) => `git-import:${userId}:${jobId}`;

/**
 * Start importing a repository in the background and answer its job id at once, so the
 * dashboard can show the clone's progress. The URL is checked first: a bad one is refused now.
 */
export async function startImport(
  deps: GitDeps & { logger: Logger },
  userId: string,
  input: { url: string; branch?: string | undefined; token?: string | undefined },
): Promise<string> {
  await assertPublicHost(parseRemoteUrl(input.url), {
    allowPrivate: deps.config.git.allowPrivateRemotes,
    maxBytes: deps.config.git.maxFetchBytes,
  });
  const jobId = crypto.randomUUID();
  const save = (job: ImportJob) => deps.cache.set(key(userId, jobId), JSON.stringify(job), JOB_SECONDS);
  await save({ state: "running", progress: { phase: "Connecting", loaded: 0, total: 0 } });
  let last = 0;
  const onProgress = (progress: CloneProgress) => {
    // Progress comes many times a second; the cache hears of it a few times.
    if (Date.now() - last < 250) return;
    last = Date.now();
    void save({ state: "running", progress });
  };
  void importRepository(deps, userId, input, onProgress)
    .then((project) => save({ state: "done", projectId: project.id, skipped: project.skipped }))
    .catch((error: unknown) => {
      if (!(error instanceof AppError) || error.status >= 500)
        deps.logger.error({ err: error, userId }, "git import failed");
      const message = error instanceof AppError ? error.message : "The import failed";
      return save({ state: "failed", message });
    });
  return jobId;
}

/** An import job of this user, or undefined when there is none (or it expired). */
export async function readImport(deps: Pick<GitDeps, "cache">, userId: string, jobId: string) {
  const value = await deps.cache.get(key(userId, jobId));
  return value ? (JSON.parse(value) as ImportJob) : undefined;
}
