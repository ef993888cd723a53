/**
 * The code context a user may see: searches and symbols of their own projects, the index's
 * status and switch, and the context the AI is given (a token budget filled with the code
 * around the cursor first, then the chunks retrieval ranks best, without repeats).
 */

import { ownerScope } from "../../adapters/cache/memo.ts";
import { updateProject } from "../../db/queries/projects.ts";
import type { Deps } from "../../deps.ts";
import { ConflictError, NotFoundError } from "../../errors.ts";
import { listProjectFiles, ownedProject } from "../files/service.ts";
import { indexPlan, type ReindexProgress, type ReindexResult } from "./indexer.ts";
import type { ChunkPayload } from "./types.ts";

type ContextDeps = Pick<Deps, "db" | "memo" | "context">;

/** One search result as API.md gives it. */
export interface ContextResult {
  filename: string;
  function_name?: string;
  class_name?: string;
  language: string;
  code_snippet: string;
  line_start: number;
  line_end: number;
  score: number;
}

export function toResult(p: ChunkPayload, score: number): ContextResult {
  return {
    filename: p.filename,
    ...(p.function_name ? { function_name: p.function_name } : {}),
    ...(p.class_name ? { class_name: p.class_name } : {}),
    language: p.language,
    code_snippet: p.code_snippet,
    line_start: p.line_start,
    line_end: p.line_end,
    score: Math.round(score * 1e4) / 1e4,
  };
}

/** Hybrid search of the caller's project; someone else's project is a 404. */
export async function searchContext(
  deps: ContextDeps,
  userId: string,
  projectId: string,
  query: string,
  limit: number,
  signal?: AbortSignal,
): Promise<ContextResult[]> {
  const project = await ownedProject(deps, userId, projectId);
  if (!project.indexingEnabled) return [];
  const hits = await deps.context.search(project.id, query, limit, signal);
  return hits.map((h) => toResult(h.payload, h.score));
}

export async function projectSymbols(
  deps: ContextDeps,
  userId: string,
  projectId: string,
  query: string,
  limit: number,
) {
  const project = await ownedProject(deps, userId, projectId);
  return project.indexingEnabled ? deps.context.symbols(project.id, query, limit) : [];
}

export async function projectWords(deps: ContextDeps, userId: string, projectId: string) {
  const project = await ownedProject(deps, userId, projectId);
  return project.indexingEnabled ? deps.context.words(project.id) : [];
}

/** What is indexed and what is left out, for the search panel. */
export async function indexStatus(deps: ContextDeps, userId: string, projectId: string) {
  const project = await ownedProject(deps, userId, projectId);
  const listing = await listProjectFiles(deps, userId, projectId);
  const plan = indexPlan(listing, deps.context.limits);
  const counts = project.indexingEnabled ? await deps.context.status(project.id) : { chunks: 0, files: 0 };
  return {
    enabled: project.indexingEnabled,
    ...counts,
    skipped: plan.skipped,
    queued: deps.context.queueDepth,
  };
}

/** Re-index the caller's project now, reporting progress; 409 while indexing is off. */
export async function reindexProject(
  deps: ContextDeps,
  userId: string,
  projectId: string,
  options: { signal?: AbortSignal; onProgress?: (p: ReindexProgress) => void },
): Promise<ReindexResult> {
  const project = await ownedProject(deps, userId, projectId);
  if (!project.indexingEnabled) throw new ConflictError("Indexing is switched off for this project");
  return deps.context.reindex(project.id, options);
}

/** Switch the project's index on (it is built in the background) or off (its chunks are dropped). */
export async function setIndexing(deps: ContextDeps, userId: string, projectId: string, enabled: boolean) {
  const project = await ownedProject(deps, userId, projectId);
  const updated = await deps.memo.writing(ownerScope(userId), async () =>
    updateProject(await deps.db.get(), userId, project.id, { indexingEnabled: enabled }),
  );
  if (!updated) throw new NotFoundError("Project");
  if (enabled) deps.context.projectChanged(project.id);
  else await deps.context.drop(project.id);
}
