/**
 * Reading the project code index: hybrid (BM25 + vector) search, a file's chunks, symbols for
 * "Go to", identifiers for completion, and how much is indexed, all from the project's state in
 * memory (states.ts). The first search of a project with no index at all indexes it before
 * answering.
 */

import { fuzzyScore } from "../../search/fuzzy.ts";
import { HybridSearch } from "../../search/hybrid.ts";
import type { Embedder } from "../../search/types.ts";
import type { ReindexResult } from "./indexer.ts";
import type { ProjectState, ProjectStates } from "./states.ts";
import type { ChunkPayload, VectorStore } from "./types.ts";

export interface IndexHit {
  id: string;
  /** Relevance 0..1: keyword and vector scores fused, then re-ranked (HybridSearch). */
  score: number;
  payload: ChunkPayload;
}

export interface IndexSymbol {
  name: string;
  kind: "class" | "function" | "method";
  path: string;
  line: number;
}

/** Identifiers offered for local completion per project. */
const MAX_WORDS = 3_000;

export interface ProjectSearchOptions {
  store: VectorStore;
  embedder: Embedder;
  states: ProjectStates;
  /** Index a project whole now (for a first search that finds nothing indexed). */
  reindex: (projectId: string) => Promise<ReindexResult>;
}

export class ProjectSearch {
  constructor(private readonly options: ProjectSearchOptions) {}

  /** The `limit` best chunks for a query, keyword and vector ranks fused. */
  async search(projectId: string, query: string, limit: number, signal?: AbortSignal): Promise<IndexHit[]> {
    const state = await this.ready(projectId);
    if (state.entries.size === 0 || !query.trim()) return [];
    const seen = new Map<string, ChunkPayload>();
    const hybrid = new HybridSearch(state.lexical, this.options.embedder, async (vector, k) =>
      (await this.options.store.search(projectId, vector, k)).map((hit) => {
        seen.set(hit.id, hit.payload);
        return { id: hit.id, score: hit.score };
      }),
    );
    const fused = await hybrid.search(query, limit, signal);
    const hits: IndexHit[] = [];
    for (const { id, score } of fused) {
      const payload = state.entries.get(id) ?? seen.get(id);
      if (payload) hits.push({ id, score, payload });
    }
    return hits;
  }

  /** Every indexed chunk of one file, in line order. */
  async fileChunks(projectId: string, path: string): Promise<ChunkPayload[]> {
    const state = await this.ready(projectId);
    return [...state.entries.values()]
      .filter((p) => p.filename === path)
      .sort((a, b) => a.line_start - b.line_start);
  }

  /** Classes, functions and methods whose name matches `query` (fuzzy: letters in order), best first. */
  async symbols(projectId: string, query: string, limit: number): Promise<IndexSymbol[]> {
    const state = await this.ready(projectId);
    const found = new Map<string, IndexSymbol & { score: number }>();
    for (const p of state.entries.values()) {
      const kind = p.function_name
        ? p.class_name
          ? "method"
          : "function"
        : p.class_name
          ? "class"
          : undefined;
      if (!kind) continue;
      const name =
        p.function_name && p.class_name
          ? `${p.class_name}.${p.function_name}`
          : (p.function_name ?? p.class_name)!;
      const score = fuzzyScore(query, p.function_name ?? p.class_name ?? "", name);
      if (score === undefined) continue;
      const key = `${p.filename}\0${name}`;
      const known = found.get(key);
      // A long function is cut into windows: point at its first.
      if (!known || p.line_start < known.line)
        found.set(key, { name, kind, path: p.filename, line: p.line_start, score });
    }
    return [...found.values()]
      .sort((a, b) => b.score - a.score || a.name.length - b.name.length || (a.name < b.name ? -1 : 1))
      .slice(0, limit)
      .map(({ score: _score, ...symbol }) => symbol);
  }

  /** The project's identifiers, most frequent first, for instant local completion. */
  async words(projectId: string): Promise<string[]> {
    const state = await this.ready(projectId);
    if (!state.words) {
      const counts = new Map<string, number>();
      for (const p of state.entries.values())
        for (const m of p.code_snippet.matchAll(/[A-Za-z_$][\w$]{2,}/g))
          counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
      state.words = [...counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, MAX_WORDS)
        .map(([word]) => word);
    }
    return state.words;
  }

  /** How much of the project is indexed. */
  async status(projectId: string): Promise<{ chunks: number; files: number }> {
    const state = await this.options.states.get(projectId, true);
    return {
      chunks: state.entries.size,
      files: new Set([...state.entries.values()].map((p) => p.filename)).size,
    };
  }

  /**
   * The project's state for a search: a project with nothing indexed yet (new since the index
   * existed, or whose index was lost) is indexed first.
   */
  private async ready(projectId: string): Promise<ProjectState> {
    const state = await this.options.states.get(projectId, true);
    if (state.entries.size > 0) return state;
    const result = await this.options.reindex(projectId);
    return result.chunks > 0 ? this.options.states.get(projectId, false) : state;
  }
}
