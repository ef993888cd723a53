import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";

/** Vector sizes of embedding models people commonly point Aura at; AI_EMBEDDING_DIMENSIONS names any other. */
const KNOWN_EMBEDDING_DIMENSIONS: Record<string, number> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
  "nomic-embed-text": 768,
  "mxbai-embed-large": 1024,
  "all-minilm": 384,
  "bge-m3": 1024,
  "snowflake-arctic-embed": 1024,
};

/** A rate limit: `points` requests per `durationSeconds`. */
export interface RateSpec {
  points: number;
  durationSeconds: number;
}

export interface Config {
  nodeEnv: "development" | "production" | "test";
  production: boolean;
  port: number;
  dataDir: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** AURA_DEBUG: 5xx JSON bodies carry the stack. Off unless asked for; refused in production. */
  debugErrors: boolean;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  qdrant: { url: string; apiKey: string | undefined } | undefined;
  e2bApiKey: string | undefined;
  /** The local (bubblewrap) runner; E2B sandboxes have their own fixed size. */
  sandbox: SandboxConfig;
  /** Live documents: connections one document accepts at once (COLLAB_MAX_CONNECTIONS). */
  collab: { maxConnections: number };
  /**
   * Terminals: open at once per user on one instance (TERMINALS_PER_USER), and how long one may
   * sit without input or output before it is closed (TERMINAL_IDLE_MINUTES).
   */
  terminal: { perUser: number; idleMs: number };
  /** PREVIEW_ORIGIN: where web previews are served (another origin than the IDE's); unset: the IDE's own. */
  previewOrigin: string | undefined;
  ai: {
    baseUrl: string | undefined;
    apiKey: string | undefined;
    heliconeApiKey: string | undefined;
    models: { primary: string; fallback: string; fast: string };
    embeddingModel: string | undefined;
    /** The embedding model's vector size (known models have a default; AI_EMBEDDING_DIMENSIONS overrides). */
    embeddingDimensions: number | undefined;
    /** Per user per UTC day, in US cents; 0 turns the budget off. */
    dailyBudgetCents: number;
    /** How long an identical request is answered from the cache. */
    cacheTtlSeconds: number;
    /** Milliseconds to wait for an upstream's first token before failing over. */
    timeoutMs: number;
    /** AI calls (chats, analyses, completions) one user may have in progress at once; 0: no limit. */
    maxStreamsPerUser: number;
    /** Price overrides per model, US dollars per million tokens. */
    prices: Record<string, { input: number; output: number }>;
  };
  jwtSecret: string;
  /** What this start set up for the first time (the data directory, a generated secret), in words. */
  firstStart: string[];
  oauth: {
    google: OAuthClientConfig | undefined;
    github: OAuthClientConfig | undefined;
  };
  metricsToken: string | undefined;
  /** How many reverse proxies in front of Aura append to X-Forwarded-For (0: use the peer address). */
  trustProxyHops: number;
  rateLimits: { api: RateSpec; editor: RateSpec; login: RateSpec; loginIp: RateSpec; register: RateSpec };
  /** What one user may store; file content only, in UTF-8 bytes (history is not counted). */
  storage: {
    /** Bytes of file content one project may hold. */
    projectBytes: number;
    /** Bytes of file content across every project a user owns; 0 turns the quota off. */
    userBytes: number;
    /** Projects a user may own; 0 turns the limit off. */
    userProjects: number;
  };
  git: {
    /** GIT_ALLOW_PRIVATE_REMOTES: remotes on loopback or private addresses are allowed (tests, intranets). */
    allowPrivateRemotes: boolean;
    /** GIT_CLONE_LIMIT: the most bytes one clone or pull may download. */
    maxFetchBytes: number;
  };
}

interface SandboxConfig {
  /**
   * Names this instance's run directories and cgroups on the host and seeds its default uid
   * range: a hash of the host name, DATA_DIR and PORT, so it survives restarts and differs
   * between instances that run side by side (they cannot share both DATA_DIR and PORT).
   */
  instance: string;
  /** Host uids base … base + slots belong to this instance's runs (SANDBOX_UID_BASE). */
  uidBase: number;
  /** Memory of one run, every process and tmpfs in it together (SANDBOX_MEMORY_MIB). */
  memoryBytes: number;
  /** Size of each tmpfs in a run (/tmp, /dev/shm), counted inside its memory (SANDBOX_TMP_MIB). */
  tmpBytes: number;
  /** Processes and threads of one run (SANDBOX_PROCESSES). */
  processes: number;
}

/** Thrown when a variable is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = "ConfigError";
  }
}

export const HELICONE_GATEWAY_URL = "https://oai.helicone.ai/v1";
const DEFAULT_MODELS = { primary: "gpt-4o", fallback: "gpt-4o-mini", fast: "gpt-4o-mini" } as const;

type Env = Record<string, string | undefined>;

/**
 * Parse and validate the whole configuration once. Throws ConfigError naming the first
 * bad variable. In development a missing JWT_SECRET is generated and kept in DATA_DIR.
 */
export function loadConfig(env: Env = process.env): Config {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };

  const nodeEnv = oneOf(read, "NODE_ENV", ["development", "production", "test"] as const, "development");
  const production = nodeEnv === "production";
  const dataDir = resolve(read("DATA_DIR") ?? "./data");
  const firstStart = existsSync(dataDir) ? [] : [`data directory ${dataDir} created for the embedded stores`];

  const heliconeApiKey = read("HELICONE_API_KEY");
  const aiBaseUrl =
    url(read, "AI_BASE_URL", ["http:", "https:"]) ?? (heliconeApiKey ? HELICONE_GATEWAY_URL : undefined);
  const qdrantUrl = url(read, "QDRANT_URL", ["http:", "https:"]);

  return {
    nodeEnv,
    production,
    port: integer(read, "PORT", 3000, 0, 65535),
    dataDir,
    logLevel: oneOf(
      read,
      "LOG_LEVEL",
      ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const,
      nodeEnv === "test" ? "silent" : "info",
    ),
    debugErrors: debugErrors(read, production),
    databaseUrl: url(read, "DATABASE_URL", ["postgres:", "postgresql:"]),
    redisUrl: url(read, "REDIS_URL", ["redis:", "rediss:"]),
    qdrant: qdrantUrl ? { url: qdrantUrl, apiKey: read("QDRANT_API_KEY") } : undefined,
    e2bApiKey: read("E2B_API_KEY"),
    sandbox: sandboxConfig(read, dataDir),
    collab: { maxConnections: integer(read, "COLLAB_MAX_CONNECTIONS", 50, 1, 10_000) },
    terminal: {
      perUser: integer(read, "TERMINALS_PER_USER", 2, 1, 100),
      idleMs: integer(read, "TERMINAL_IDLE_MINUTES", 15, 1, 24 * 60) * 60_000,
    },
    previewOrigin: origin(read, "PREVIEW_ORIGIN"),
    ai: {
      baseUrl: aiBaseUrl,
      apiKey: read("AI_API_KEY") ?? read("OPENAI_API_KEY"),
      heliconeApiKey,
      models: {
        primary: read("AI_MODEL_PRIMARY") ?? DEFAULT_MODELS.primary,
        fallback: read("AI_MODEL_FALLBACK") ?? DEFAULT_MODELS.fallback,
        fast: read("AI_MODEL_FAST") ?? DEFAULT_MODELS.fast,
      },
      embeddingModel: read("AI_EMBEDDING_MODEL"),
      embeddingDimensions: embeddingDimensions(read, aiBaseUrl),
      dailyBudgetCents: integer(read, "AI_DAILY_BUDGET_CENTS", 100, 0, 100_000_000),
      cacheTtlSeconds: integer(read, "AI_CACHE_TTL", 3600, 0, 30 * 24 * 3600),
      timeoutMs: integer(read, "AI_TIMEOUT_MS", 20_000, 100, 600_000),
      maxStreamsPerUser: integer(read, "AI_MAX_STREAMS_PER_USER", 4, 0, 1_000),
      prices: prices(read, "AI_PRICES"),
    },
    jwtSecret: jwtSecret(read("JWT_SECRET"), production, dataDir, firstStart),
    firstStart,
    oauth: {
      google: oauthPair(read, "GOOGLE"),
      github: oauthPair(read, "GITHUB"),
    },
    metricsToken: read("METRICS_TOKEN"),
    trustProxyHops: integer(read, "TRUST_PROXY", 0, 0, 10),
    rateLimits: {
      api: rate(read, "RATE_LIMIT_API", "100/15m"),
      editor: rate(read, "RATE_LIMIT_EDITOR", "3000/15m"),
      login: rate(read, "RATE_LIMIT_LOGIN", "10/15m"),
      loginIp: rate(read, "RATE_LIMIT_LOGIN_IP", "50/15m"),
      register: rate(read, "RATE_LIMIT_REGISTER", "20/1h"),
    },
    storage: {
      // At least one largest file must fit in a project.
      projectBytes: size(read, "PROJECT_SIZE_LIMIT", "50MiB", MiB),
      userBytes: size(read, "USER_STORAGE_QUOTA", "500MiB", 0),
      userProjects: integer(read, "USER_PROJECT_LIMIT", 100, 0, 1_000_000),
    },
    git: {
      allowPrivateRemotes: flag(read, "GIT_ALLOW_PRIVATE_REMOTES"),
      maxFetchBytes: size(read, "GIT_CLONE_LIMIT", "100MiB", 64 * 1024),
    },
  };
}

type Read = (name: string) => string | undefined;

const MIB = 1024 * 1024;
/**
 * Default uid ranges: blocks of 1024 in 0x70000000–0x7FFDFFFF, a span no distribution, systemd
 * (dynamic users, homed, nspawn containers) or /etc/subuid allocation hands out by default.
 */
export const DERIVED_UID_FIRST = 0x7000_0000;
export const DERIVED_UID_BLOCK = 1024;
const DERIVED_UID_BLOCKS = 262_000;

/** The default first uid of an instance: one of 262,000 blocks of 1024, picked by its hash. */
export function derivedUidBase(instance: string): number {
  const block = Number.parseInt(instance.slice(0, 8), 16) % DERIVED_UID_BLOCKS;
  return DERIVED_UID_FIRST + block * DERIVED_UID_BLOCK;
}

function sandboxConfig(read: Read, dataDir: string): SandboxConfig {
  const port = integer(read, "PORT", 3000, 0, 65535);
  const instance = createHash("sha256")
    .update(`${hostname()}\n${dataDir}\n${port}`)
    .digest("hex")
    .slice(0, 12);
  return {
    instance,
    uidBase: integer(read, "SANDBOX_UID_BASE", derivedUidBase(instance), 1000, 2_147_000_000),
    memoryBytes: integer(read, "SANDBOX_MEMORY_MIB", 512, 16, 1_048_576) * MIB,
    tmpBytes: integer(read, "SANDBOX_TMP_MIB", 64, 1, 1_048_576) * MIB,
    processes: integer(read, "SANDBOX_PROCESSES", 64, 16, 65_536),
  };
}

function oneOf<const T extends readonly string[]>(read: Read, name: string, allowed: T, fallback: T[number]) {
  const value = read(name);
  if (value === undefined) return fallback;
  if (!allowed.includes(value))
    throw new ConfigError(name, `must be one of ${allowed.join(", ")} (got "${value}")`);
  return value as T[number];
}

/** The embedding model's vector size: AI_EMBEDDING_DIMENSIONS, else the known size of the model. */
function embeddingDimensions(read: Read, baseUrl: string | undefined): number | undefined {
  const model = read("AI_EMBEDDING_MODEL");
  if (model === undefined) return undefined;
  if (baseUrl === undefined)
    throw new ConfigError(
      "AI_EMBEDDING_MODEL",
      "needs AI_BASE_URL (or HELICONE_API_KEY): embeddings come from that endpoint",
    );
  const given = read("AI_EMBEDDING_DIMENSIONS");
  if (given !== undefined) return integer(read, "AI_EMBEDDING_DIMENSIONS", 0, 8, 65_536);
  const known = KNOWN_EMBEDDING_DIMENSIONS[model.replace(/:.*$/, "")];
  if (known === undefined)
    throw new ConfigError(
      "AI_EMBEDDING_DIMENSIONS",
      `is required: the vector size of "${model}" is not known to Aura`,
    );
  return known;
}

function flag(read: Read, name: string): boolean {
  const value = read(name)?.toLowerCase();
  if (value === undefined || value === "0" || value === "false") return false;
  if (value === "1" || value === "true") return true;
  throw new ConfigError(name, `must be 1 or 0 (got "${value}")`);
}

/**
 * Stacks (and with them SQL text and internal messages) reach a client only on request: the
 * development default (`bun run start`) must not leak them. Not tied to LOG_LEVEL, because
 * operators raise log verbosity on live servers, where clients must still see nothing.
 */
function debugErrors(read: Read, production: boolean): boolean {
  const on = flag(read, "AURA_DEBUG");
  if (on && production)
    throw new ConfigError(
      "AURA_DEBUG",
      "must not be set when NODE_ENV=production (it sends stacks to clients)",
    );
  return on;
}

function integer(read: Read, name: string, fallback: number, min: number, max: number): number {
  const value = read(name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max} (got "${value}")`);
  }
  return Number(value);
}

function url(read: Read, name: string, protocols: string[]): string | undefined {
  const value = read(name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, "is not a valid URL");
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.map((p) => `${p}//`).join(" or ")}`);
  }
  return value;
}

/** An origin only (`https://preview.example.com`): no path, query or credentials; returned without a trailing slash. */
function origin(read: Read, name: string): string | undefined {
  const value = url(read, name, ["http:", "https:"]);
  if (value === undefined) return undefined;
  const parsed = new URL(value);
  if (parsed.username || parsed.password || parsed.search || parsed.hash || parsed.pathname !== "/")
    throw new ConfigError(name, `must be an origin such as https://preview.example.com (got "${value}")`);
  return parsed.origin;
}

const MiB = 1024 * 1024;
const SIZE_UNITS: Record<string, number> = {
  "": 1,
  kib: 1024,
  mib: MiB,
  gib: 1024 * MiB,
  tib: 1024 * 1024 * MiB,
};

/** Parse a size: a number of bytes, or a number with KiB, MiB, GiB or TiB (`500MiB`, `2GiB`). */
export function parseSize(name: string, value: string, min = 0): number {
  const match = /^(\d+)\s*([kmgt]ib)?$/i.exec(value);
  const bytes = match ? Number(match[1]) * SIZE_UNITS[(match[2] ?? "").toLowerCase()]! : Number.NaN;
  if (!Number.isSafeInteger(bytes))
    throw new ConfigError(name, `must be a size like 500MiB, 2GiB or a number of bytes (got "${value}")`);
  if (bytes < min) throw new ConfigError(name, `must be at least ${min} bytes (got "${value}")`);
  return bytes;
}

function size(read: Read, name: string, fallback: string, min: number): number {
  return parseSize(name, read(name) ?? fallback, min);
}

const RATE_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** Parse `N/<n>s`, `N/<n>m` or `N/<n>h` (for example `100/15m`). */
export function parseRate(name: string, value: string): RateSpec {
  const match = /^(\d+)\/(\d+)([smh])$/.exec(value);
  if (!match) throw new ConfigError(name, `must look like 100/15m, 20/1h or 5/30s (got "${value}")`);
  const points = Number(match[1]);
  const durationSeconds = Number(match[2]) * RATE_UNITS[match[3]!]!;
  if (points < 1 || durationSeconds < 1) throw new ConfigError(name, "needs at least 1 request per window");
  return { points, durationSeconds };
}

function rate(read: Read, name: string, fallback: string): RateSpec {
  return parseRate(name, read(name) ?? fallback);
}

/** `{"model": {"input": 2.5, "output": 10}, …}` — US dollars per million tokens. */
function prices(read: Read, name: string): Record<string, { input: number; output: number }> {
  const value = read(name);
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigError(name, 'must be JSON like {"gpt-4o": {"input": 2.5, "output": 10}}');
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new ConfigError(name, "must be a JSON object of model → {input, output}");
  const out: Record<string, { input: number; output: number }> = {};
  for (const [model, price] of Object.entries(parsed)) {
    const { input, output } = (price ?? {}) as { input?: unknown; output?: unknown };
    const ok = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n >= 0;
    if (!ok(input) || !ok(output))
      throw new ConfigError(
        name,
        `${model}: needs non-negative numbers "input" and "output" (dollars per million tokens)`,
      );
    out[model] = { input: input as number, output: output as number };
  }
  return out;
}

/** A provider's client credentials; `endpoints` replaces its real URLs (a stand-in provider). */
interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  endpoints?: Partial<Record<"authorize" | "token" | "userinfo" | "emails", string>>;
}

function oauthPair(read: Read, provider: "GOOGLE" | "GITHUB"): OAuthClientConfig | undefined {
  const clientId = read(`${provider}_CLIENT_ID`);
  const clientSecret = read(`${provider}_CLIENT_SECRET`);
  if (!clientId && !clientSecret) return undefined;
  if (!clientId)
    throw new ConfigError(`${provider}_CLIENT_ID`, `is required when ${provider}_CLIENT_SECRET is set`);
  if (!clientSecret)
    throw new ConfigError(`${provider}_CLIENT_SECRET`, `is required when ${provider}_CLIENT_ID is set`);
  return { clientId, clientSecret };
}

const MIN_SECRET_LENGTH = 32;

function jwtSecret(value: string | undefined, production: boolean, dataDir: string, notes: string[]): string {
  if (value !== undefined) {
    if (value.length < MIN_SECRET_LENGTH) {
      throw new ConfigError("JWT_SECRET", `must be at least ${MIN_SECRET_LENGTH} characters`);
    }
    return value;
  }
  if (production) throw new ConfigError("JWT_SECRET", "is required when NODE_ENV=production");
  // Development keeps one generated secret so sessions survive restarts.
  const file = join(dataDir, "jwt-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  notes.push(`a signing key was generated into ${file} (mode 600); set JWT_SECRET in production`);
  return secret;
}
