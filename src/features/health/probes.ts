import type { Deps } from "../../deps.ts";
import { redactUrls } from "../../logger.ts";

/** One dependency's readiness as /readyz reports it. */
export interface Check {
  ok: boolean;
  /** Only a required dependency being down makes /readyz answer 503. */
  required: boolean;
  kind: string;
  latencyMs?: number;
  detail?: string;
  /** The sandbox only: what bounds a run ("cgroup", "rlimit" or, on E2B, "microvm"). */
  isolation?: string;
  /** The local sandbox only: whether its runs get the seccomp filter. */
  seccomp?: boolean;
}

const PROBE_TIMEOUT_MS = 1500;
/** Remote probes are remembered briefly so load-balancer polling never hammers an upstream. */
const REMOTE_PROBE_TTL_MS = 15_000;

async function timed(kind: string, required: boolean, probe: () => Promise<void>): Promise<Check> {
  const started = performance.now();
  let timer: Timer | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
          PROBE_TIMEOUT_MS,
        );
      }),
    ]);
    return { ok: true, required, kind, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, required, kind, detail: redactUrls((error as Error).message) };
  } finally {
    clearTimeout(timer);
  }
}

async function httpProbe(url: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}

function remembered(probe: () => Promise<Check>): () => Promise<Check> {
  let last: { at: number; check: Promise<Check> } | undefined;
  return () => {
    if (!last || performance.now() - last.at > REMOTE_PROBE_TTL_MS)
      last = { at: performance.now(), check: probe() };
    return last.check;
  };
}

/** Build the readiness probes for the configured dependencies. */
export function createProbes(deps: Pick<Deps, "config" | "db" | "cache" | "sandbox">) {
  const { config, db, cache, sandbox: runner } = deps;
  const vectors = config.qdrant
    ? remembered(() =>
        timed("qdrant", false, () =>
          httpProbe(
            new URL("/readyz", config.qdrant!.url).href,
            config.qdrant!.apiKey ? { "api-key": config.qdrant!.apiKey } : {},
          ),
        ),
      )
    : undefined;
  const ai = config.ai.baseUrl
    ? remembered(() =>
        timed("openai-compatible", false, () =>
          httpProbe(`${config.ai.baseUrl!.replace(/\/$/, "")}/models`, {
            ...(config.ai.apiKey ? { authorization: `Bearer ${config.ai.apiKey}` } : {}),
            ...(config.ai.heliconeApiKey ? { "helicone-auth": `Bearer ${config.ai.heliconeApiKey}` } : {}),
          }),
        ),
      )
    : undefined;

  return async function readiness(): Promise<Record<string, Check>> {
    const [database, cacheCheck, vectorCheck, aiCheck] = await Promise.all([
      db.status().ready
        ? timed(db.kind, true, () => db.ping())
        : Promise.resolve<Check>({
            ok: false,
            required: true,
            kind: db.kind,
            detail: db.status().error ?? "opening",
          }),
      timed(cache.kind, false, () => cache.ping()),
      vectors
        ? vectors()
        : Promise.resolve<Check>({ ok: db.status().ready, required: false, kind: "embedded" }),
      ai
        ? ai()
        : Promise.resolve<Check>({
            ok: false,
            required: false,
            kind: "off",
            detail: "no AI upstream configured",
          }),
    ]);
    const runnerStatus = runner.status();
    const sandbox: Check = runnerStatus.available
      ? {
          ok: true,
          required: false,
          kind: runner.kind,
          detail: runnerStatus.languages.join(", "),
          ...(runnerStatus.isolation ? { isolation: runnerStatus.isolation } : {}),
          ...(runnerStatus.seccomp === undefined ? {} : { seccomp: runnerStatus.seccomp }),
        }
      : {
          ok: false,
          required: false,
          kind: runner.kind,
          detail: runnerStatus.reason ?? "unavailable",
        };
    return { database, cache: cacheCheck, vectors: vectorCheck, sandbox, ai: aiCheck };
  };
}
