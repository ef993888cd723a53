import type { Memo } from "./adapters/cache/memo.ts";
import type { Cache } from "./adapters/cache/types.ts";
import type { Config } from "./config.ts";
import type { Database, DatabaseHandle } from "./db/types.ts";
import type { AccessTokens } from "./features/auth/tokens.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";

/**
 * What every service may be given: configuration, stores and instruments, none of which knows
 * a feature. The services that `createDeps` builds take these (or a few of them), never `Deps`,
 * so that no module imports the composition that imports it.
 */
export interface Ports {
  config: Config;
  logger: Logger;
  db: DatabaseHandle;
  cache: Cache;
  /** Read-through memo of hot database reads, coherent across instances through `cache`. */
  memo: Memo;
  /** Signs and verifies access tokens with the configured secret. */
  tokens: AccessTokens;
  /** Prometheus metrics of this instance (served at /metrics). */
  metrics: Metrics;
}

/** What file and membership changes tell the live documents (implemented by the collab hub). */
export interface LiveDocuments {
  /** Run `save` (an API save with a base version) through the file's live document. */
  saveThrough<F extends { content: string; version: number }>(
    projectId: string,
    path: string,
    userId: string,
    save: () => Promise<F>,
  ): Promise<F>;
  /**
   * Replace files from outside the editor (an upload, a pull; `content` undefined for bytes):
   * `store` stores them in one transaction, calling `documents.stored` for each, and open
   * editors of replaced text receive the new text as an edit once it commits.
   */
  replaceFiles<R>(
    projectId: string,
    userId: string,
    replaced: { path: string; content: string | undefined }[],
    store: (documents: FileReplacements) => Promise<R>,
  ): Promise<R>;
  /**
   * These files were deleted or renamed (`gone`), or became binary (`replaced`: an upload or a
   * pull put bytes where text was): their documents close, here and on other instances, saying which.
   */
  filesRemoved(projectId: string, paths: string[], how?: "gone" | "replaced"): Promise<void>;
  /** Write the pending edits of the documents whose path matches, before files move or go. */
  flushFiles(projectId: string, paths: (path: string) => boolean): Promise<void>;
  /** Who may edit the project changed: connections are checked again. */
  accessChanged(projectId: string): Promise<void>;
}

/** How a bulk store hands its replaced files to their live documents. */
export interface FileReplacements {
  /**
   * Inside the transaction that stored `file`: put its new text into its live document. False
   * when it has none to keep (no document, or the file is bytes now): the caller drops it.
   */
  stored(tx: Database, file: { path: string; version: number }): Promise<boolean>;
}

/** What a file change tells the code index (implemented by the code index). */
export interface IndexedFiles {
  fileChanged(projectId: string, path: string): void;
}
