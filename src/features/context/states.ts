/**
 * The searched projects' state in memory: every indexed chunk's payload and a keyword index over
 * them, loaded from the vector store on a project's first search and kept for the projects
 * searched last. A change to a project drops its state here at once and, through the cache's
 * pub/sub, on every other instance.
 *
 * The indexing queue lives in memory, so a crash or a save handled by another instance can leave
 * the index behind the files: the first time this process loads a project that has chunks, it
 * asks for a background re-index (`reconcile`), unless it has already re-indexed the project
 * whole itself (`inStep`), as it does a project it created.
 */
import { LocalCopies } from "../../adapters/cache/local-copies.ts";
import type { Cache } from "../../adapters/cache/types.ts";
import type { Logger } from "../../logger.ts";
import { createLexicalIndex, type LexicalIndex } from "../../search/lexical.ts";
import type { Chunk } from "../../search/types.ts";
import type { ChunkPayload, VectorStore } from "./types.ts";

const CONTEXT_CHANGED_CHANNEL = "context:changed";

export interface ProjectState {
  /** Every indexed chunk of the project by point id. */
  entries: Map<string, ChunkPayload>;
  lexical: LexicalIndex;
  /** The project's identifiers for completion, counted on first use. */
  words?: string[];
}

/** Projects whose keyword index stays in memory; the least recently used goes first. */
const MAX_STATES = 64;
/**
 * A state is reloaded after this long even if no change was announced: a change announced while
 * this instance could not hear it (Redis reconnecting) is lost, and this bounds how long a stale
 * copy can serve.
 */
const STATE_MAX_AGE_MS = 60_000;

export interface ProjectStatesOptions {
  store: VectorStore;
  cache?: Pick<Cache, "publish" | "subscribe"> | undefined;
  logger: Logger;
  /** Asked once per project, after its first load here found chunks (unless it is `inStep`). */
  reconcile: (projectId: string) => void;
}

export class ProjectStates {
  /** Loaded states, dropped on every instance by a change (src/adapters/cache/local-copies.ts). */
  private readonly states: LocalCopies<ProjectState>;
  private readonly reconciled = new Set<string>();

  constructor(private readonly options: ProjectStatesOptions) {
    this.states = new LocalCopies<ProjectState>({
      channel: CONTEXT_CHANGED_CHANNEL,
      cache: options.cache,
      logger: options.logger,
      what: "code index",
      max: MAX_STATES,
      maxAgeMs: STATE_MAX_AGE_MS,
      load: (projectId) => this.load(projectId),
    });
  }

  /** The project's state; with `reconcile`, its first load here may ask for a re-index. */
  get(projectId: string, reconcile: boolean): Promise<ProjectState> {
    const loading = this.states.get(projectId);
    if (reconcile && !this.reconciled.has(projectId)) {
      this.reconciled.add(projectId);
      void loading.then((s) => s.entries.size > 0 && this.options.reconcile(projectId)).catch(() => {});
    }
    return loading;
  }

  /** This process re-indexed the project whole: it is in step with the files, nothing to reconcile. */
  inStep(projectId: string): void {
    this.reconciled.add(projectId);
  }

  /** The project's chunks changed: forget its state here at once, then tell every instance. */
  async changed(projectId: string): Promise<void> {
    await this.states.changed(projectId);
  }

  /** Stop listening for other instances' invalidations. */
  async close(): Promise<void> {
    await this.states.close();
  }

  private async load(projectId: string): Promise<ProjectState> {
    const entries = new Map<string, ChunkPayload>();
    const lexical = createLexicalIndex();
    for (const { id, payload } of await this.options.store.entries(projectId)) {
      entries.set(id, payload);
      lexical.add(id, chunkOf(payload));
    }
    return { entries, lexical };
  }
}

function chunkOf(p: ChunkPayload): Chunk {
  return {
    path: p.filename,
    language: p.language,
    functionName: p.function_name ?? undefined,
    className: p.class_name ?? undefined,
    lineStart: p.line_start,
    lineEnd: p.line_end,
    content: p.code_snippet,
    contentHash: p.content_hash,
  };
}
