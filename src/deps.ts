import { OpenAIEmbedder } from "./adapters/ai/embeddings.ts";
import { createCache } from "./adapters/cache/index.ts";
import { createMemo } from "./adapters/cache/memo.ts";
import { createE2BRunner } from "./adapters/sandbox/e2b.ts";
import { createLocalRunner } from "./adapters/sandbox/local.ts";
import { createScheduler, type SandboxScheduler } from "./adapters/sandbox/scheduler.ts";
import type { SandboxRunner } from "./adapters/sandbox/types.ts";
import { createVectorStore } from "./adapters/vectors/index.ts";
import type { Config } from "./config.ts";
import { openDatabase } from "./db/client.ts";
import { AppError } from "./errors.ts";
import { createGateway, type Gateway } from "./features/ai/gateway.ts";
import { sessionActive } from "./features/auth/service.ts";
import { createAccessTokens } from "./features/auth/tokens.ts";
import { CollabHub } from "./features/collab/hub.ts";
import { CodeIndex } from "./features/context/code-index.ts";
import { announceChange } from "./features/preview/changes.ts";
import { projectAccess } from "./features/projects/access.ts";
import { TerminalManager } from "./features/terminal/manager.ts";
import type { Logger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import type { Ports } from "./ports.ts";
import type { Embedder } from "./search/types.ts";
import { HashedFeatureEmbedder } from "./search/vectors.ts";

/** Everything a route may use. Built once at boot; the only place implementations are chosen. */
export interface Deps extends Ports {
  /** The AI gateway (tiers, failover, cache, costs); `enabled` is false when no model is configured. */
  ai: Gateway;
  /** The code index of every project: background indexing and hybrid search (vector store + BM25). */
  context: CodeIndex;
  /** The live documents open on this instance (the editor's shared text, relayed between instances). */
  collab: CollabHub;
  /** Runs untrusted code: the fair scheduler over the chosen runner (`kind` names it). */
  sandbox: Sandbox;
  /** The terminals open on this instance (each a shell in the sandbox). */
  terminals: TerminalManager;
  startedAt: number;
}

/** The scheduler over a runner, with the runner's kind for status and readiness, and its terminals. */
export type Sandbox = SandboxScheduler & {
  readonly kind: SandboxRunner["kind"];
  openPty: SandboxRunner["openPty"];
};

/** Wrap a runner in the scheduler (global limit = the runner's slots, 2 per user). */
export function createSandbox(runner: SandboxRunner): Sandbox {
  return { ...createScheduler(runner), kind: runner.kind, openPty: (request) => runner.openPty(request) };
}

/** Terminals one instance's local runner can hold open at once (each has a host uid of its own). */
const TERMINALS_PER_INSTANCE = 16;

/** E2B when its key is configured, else the local bubblewrap runner; either way behind the scheduler. */
function sandboxRunner(config: Config, logger: Logger): SandboxRunner {
  const { instance, uidBase, tmpBytes, memoryBytes, processes } = config.sandbox;
  return config.e2bApiKey
    ? createE2BRunner({ apiKey: config.e2bApiKey, logger })
    : createLocalRunner({
        logger,
        instance,
        uidBase,
        tmpBytes,
        limits: { memoryBytes, processes },
        terminals: TERMINALS_PER_INSTANCE,
      });
}

/** The configured embedding model through the AI endpoint, else the local hashed-feature embedder. */
function embedder(config: Config): Embedder {
  const { baseUrl, embeddingModel, embeddingDimensions, apiKey, heliconeApiKey } = config.ai;
  if (embeddingModel && baseUrl && embeddingDimensions)
    return new OpenAIEmbedder(embeddingModel, embeddingDimensions, {
      baseUrl,
      apiKey,
      ...(heliconeApiKey ? { defaultHeaders: { "Helicone-Auth": `Bearer ${heliconeApiKey}` } } : {}),
    });
  return new HashedFeatureEmbedder();
}

/** Build the dependencies the configuration asks for; tests may pass some of their own. */
export function createDeps(
  config: Config,
  logger: Logger,
  given: Partial<Pick<Deps, "db" | "cache" | "sandbox">> = {},
): Deps {
  const cache = given.cache ?? createCache({ redisUrl: config.redisUrl }, logger);
  const db = given.db ?? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }, logger);
  const embed = embedder(config);
  const metrics = createMetrics();
  const store = createVectorStore({ config, db, cache, logger, embedder: embed });
  // Probed lazily (first status or run): a machine without bubblewrap still boots.
  const sandbox = given.sandbox ?? createSandbox(sandboxRunner(config, logger));
  const onChange = (projectId: string, path?: string) => announceChange({ cache, logger }, projectId, path);
  const context = new CodeIndex({ db, store, embedder: embed, cache, logger, onChange });
  const memo = createMemo(cache);
  const collab = new CollabHub({ db, cache, memo, logger, config, context });
  const terminals = new TerminalManager({
    logger,
    ...config.terminal,
    retainBytes: 64 * 1024,
    sessionActive: (sessionId, userId) => sessionActive({ db, memo }, sessionId, userId),
  });
  // Membership changes (here or on another instance) end the terminals of those who lost edit
  // rights, as they close live-document sockets.
  collab.onAccessChanged((projectId) =>
    terminals.recheck(projectId, (userId, id) =>
      projectAccess({ db, memo }, userId, id, "editor").then(
        () => true,
        (error: unknown) => (error instanceof AppError && error.status < 500 ? false : Promise.reject(error)),
      ),
    ),
  );
  metrics.watch({
    sandboxRunning: () => sandbox.stats().running,
    sandboxQueued: () => sandbox.stats().queued,
    indexQueue: () => context.queueDepth,
    collabDocuments: () => collab.stats().documents,
    collabConnections: () => collab.stats().connections,
  });
  return {
    config,
    logger,
    db,
    cache,
    memo,
    collab,
    ai: createGateway({ config, db, cache, logger, metrics }),
    metrics,
    tokens: createAccessTokens(config.jwtSecret),
    context,
    sandbox,
    terminals,
    startedAt: Date.now(),
  };
}

/** Close pools and connections; each is closed even if another fails. */
export async function closeDeps(deps: Deps): Promise<void> {
  // Terminals first: their shells and files go before the sandbox closes.
  await deps.terminals.closeAll().catch((err) => deps.logger.warn({ err }, "closing terminals failed"));
  // Live documents next: unloading writes their files and folds their logs.
  await deps.collab.close().catch((err) => deps.logger.warn({ err }, "closing live documents failed"));
  // Then the index: its running job may still write to the store, database and cache.
  await deps.context.close().catch((err) => deps.logger.warn({ err }, "closing the code index failed"));
  await deps.context.store
    .close()
    .catch((err) => deps.logger.warn({ err }, "closing the vector store failed"));
  const results = await Promise.allSettled([deps.db.close(), deps.cache.close(), deps.sandbox.close()]);
  for (const r of results)
    if (r.status === "rejected") deps.logger.warn({ err: r.reason }, "closing a dependency failed");
}
