/**
 * The code context a user may see: searches and symbols of the projects they are a member of, the index's
 * status and switch, and the context the AI is given (a token budget filled with the code
 * around the cursor first, then the chunks retrieval ranks best, without repeats).
 */

import { updateProject } from "../../db/queries/projects.ts";
import type { Deps } from "../../deps.ts";
import { ConflictError, NotFoundError } from "../../errors.ts";
import { listProjectFiles } from "../files/service.ts";
import { projectAccess, writingProject } from "../projects/access.ts";
import { indexPlan, type ReindexProgress, type ReindexResult } from "./indexer.ts";
import type { ChunkPayload } from "./types.ts";

type ContextDeps = Pick<Deps, "db" | "memo" | "context">;

/** One search result as the API gives it (docs/api.md). */
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

function toResult(p: ChunkPayload, score: number): ContextResult {
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

/** Hybrid search of a project the caller may read; anyone else's is a 404. */
export async function searchContext(
  deps: ContextDeps,
  userId: string,
  projectId: string,
  query: string,
  limit: number,
  signal?: AbortSignal,
): Promise<ContextResult[]> {
  const { project } = await projectAccess(deps, userId, projectId, "viewer");
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
  const { project } = await projectAccess(deps, userId, projectId, "viewer");
  return project.indexingEnabled ? deps.context.symbols(project.id, query, limit) : [];
}

export async function projectWords(deps: ContextDeps, userId: string, projectId: string) {
  const { project } = await projectAccess(deps, userId, projectId, "viewer");
  return project.indexingEnabled ? deps.context.words(project.id) : [];
}

/** What is indexed and what is left out, for the search panel. */
export async function indexStatus(deps: ContextDeps, userId: string, projectId: string) {
  const { project, role } = await projectAccess(deps, userId, projectId, "viewer");
  const listing = await listProjectFiles(deps, userId, projectId);
  const plan = indexPlan(listing, deps.context.limits);
  const counts = project.indexingEnabled ? await deps.context.status(project.id) : { chunks: 0, files: 0 };
  return {
    enabled: project.indexingEnabled,
    role,
    ...counts,
    skipped: plan.skipped,
    queued: deps.context.queueDepth,
  };
}

/** Re-index a project now (editors and the owner), reporting progress; 409 while indexing is off. */
export async function reindexProject(
  deps: ContextDeps,
  userId: string,
  projectId: string,
  options: { signal?: AbortSignal; onProgress?: (p: ReindexProgress) => void },
): Promise<ReindexResult> {
  const { project } = await projectAccess(deps, userId, projectId, "editor");
  if (!project.indexingEnabled) throw new ConflictError("Indexing is switched off for this project");
  return deps.context.reindex(project.id, options);
}

/**
 * Switch the project's index on (it is built in the background) or off (its chunks are dropped).
 * A setting of the project, so its owner's alone.
 */
export async function setIndexing(deps: ContextDeps, userId: string, projectId: string, enabled: boolean) {
  const access = await projectAccess(deps, userId, projectId, "owner");
  const { project } = access;
  const updated = await writingProject(deps, access, async () =>
    updateProject(await deps.db.get(), project.id, { indexingEnabled: enabled }),
  );
  if (!updated) throw new NotFoundError("Project");
  if (enabled) deps.context.projectChanged(project.id);
  else await deps.context.drop(project.id);
}

// --- Context for the AI ----------------------------------------------------------------------

/** A piece of project code chosen for a prompt. */
export interface ContextPiece {
  path: string;
  lineStart: number;
  lineEnd: number;
  /** `neighbour`: around the cursor in the open file; `retrieved`: found for the question. */
  kind: "neighbour" | "retrieved";
  code: string;
  tokens: number;
}

/** Tokens of code, estimated (≈ 3.5 characters per token for code with BPE tokenizers); cheap enough for every keystroke. */
const estimateTokens = (text: string) => Math.ceil(text.length / 3.5);

/**
 * Fill a token budget with project code for a prompt: first the chunk around the cursor in
 * the open file and the chunks either side of it (when the open file is not in the prompt
 * whole), then what hybrid search ranks best for `query`. Never a chunk twice, never one that
 * overlaps a chosen one, never one of a file the prompt already holds whole (`covered`), nor
 * code already in `present` (the completion's own prefix and suffix). A chunk that does not fit
 * is passed over for a smaller one further down. An unindexed project gives nothing.
 */
export async function selectContext(
  deps: Pick<Deps, "context">,
  projectId: string,
  options: {
    query: string;
    budgetTokens: number;
    currentFile?: string | undefined;
    cursorLine?: number | undefined;
    covered?: string[];
    present?: string;
    signal?: AbortSignal | undefined;
  },
): Promise<ContextPiece[]> {
  const covered = new Set(options.covered ?? []);
  const chosen: ContextPiece[] = [];
  let left = options.budgetTokens;
  const overlaps = (p: ChunkPayload) =>
    chosen.some((c) => c.path === p.filename && p.line_start <= c.lineEnd && c.lineStart <= p.line_end);
  const take = (p: ChunkPayload, kind: ContextPiece["kind"]) => {
    if (covered.has(p.filename) || overlaps(p)) return;
    const code = p.code_snippet;
    if (options.present && code.trim().length > 20 && options.present.includes(code.trim())) return;
    const tokens = estimateTokens(code) + 12; // the header line naming the place
    if (tokens > left) return;
    left -= tokens;
    chosen.push({ path: p.filename, lineStart: p.line_start, lineEnd: p.line_end, kind, code, tokens });
  };

  const { currentFile, cursorLine } = options;
  if (currentFile && cursorLine && !covered.has(currentFile)) {
    const chunks = await deps.context.fileChunks(projectId, currentFile);
    let at = chunks.findIndex((c) => c.line_start <= cursorLine && cursorLine <= c.line_end);
    if (at < 0) at = chunks.findIndex((c) => c.line_start > cursorLine) - 1; // between chunks: the one above
    if (at < 0 && chunks.length) at = chunks.length - 1;
    for (const i of [at, at - 1, at + 1]) {
      const chunk = chunks[i];
      if (chunk) take(chunk, "neighbour");
    }
  }
  if (options.query.trim() && left > 0) {
    const hits = await deps.context.search(projectId, options.query, 12, options.signal);
    for (const hit of hits) {
      if (left <= 0) break;
      take(hit.payload, "retrieved");
    }
  }
  return chosen;
}

/** Pieces as one prompt section: each headed by its place, in a fenced block. */
export function formatPieces(pieces: ContextPiece[]): string {
  return pieces.map((p) => `${p.path}:${p.lineStart}-${p.lineEnd}\n\`\`\`\n${p.code}\n\`\`\``).join("\n\n");
}
