/**
 * Prometheus metrics (prom-client), one registry per app instance so tests can build many apps
 * in one process. Counters are bumped where things happen (HTTP transport, AI gateway, sandbox
 * service); gauges that mirror live state (queues) are read at scrape time.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface Metrics {
  readonly registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route">;
  aiTokens: Counter<"model" | "direction">;
  aiCost: Counter<"model">;
  aiCache: Counter<"result">;
  aiFailovers: Counter<"model">;
  sandboxRuns: Counter<"language" | "outcome">;
  /** Sources for the gauges, set once the dependencies exist. */
  watch(sources: Partial<GaugeSources>): void;
}

interface GaugeSources {
  sandboxRunning: () => number;
  sandboxQueued: () => number;
  indexQueue: () => number;
  collabDocuments: () => number;
  collabConnections: () => number;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const sources: Partial<GaugeSources> = {};
  const gauge = (name: string, help: string, source: keyof GaugeSources) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(sources[source]?.() ?? 0);
      },
    });
  gauge("aura_sandbox_running", "Sandbox runs executing now", "sandboxRunning");
  gauge("aura_sandbox_queue_depth", "Sandbox runs waiting for a slot", "sandboxQueued");
  gauge("aura_index_queue_depth", "Code-index jobs waiting or running", "indexQueue");
  gauge("aura_collab_documents", "Live documents loaded on this instance", "collabDocuments");
  gauge("aura_collab_connections", "Live-document sockets open on this instance", "collabConnections");
  return {
    registry,
    httpRequests: new Counter({
      name: "aura_http_requests_total",
      help: "HTTP requests by route pattern, method and status",
      labelNames: ["method", "route", "status"],
      registers,
    }),
    httpDuration: new Histogram({
      name: "aura_http_request_duration_seconds",
      help: "Time to the response head (a stream's first byte), by route pattern",
      labelNames: ["method", "route"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    }),
    aiTokens: new Counter({
      name: "aura_ai_tokens_total",
      help: "AI tokens by model and direction (input, output)",
      labelNames: ["model", "direction"],
      registers,
    }),
    aiCost: new Counter({
      name: "aura_ai_cost_cents_total",
      help: "AI cost in US cents by model",
      labelNames: ["model"],
      registers,
    }),
    aiCache: new Counter({
      name: "aura_ai_cache_total",
      help: "AI answers from the cache (hit) or a model (miss)",
      labelNames: ["result"],
      registers,
    }),
    aiFailovers: new Counter({
      name: "aura_ai_failovers_total",
      help: "AI calls passed on to the next tier, by the model that failed",
      labelNames: ["model"],
      registers,
    }),
    sandboxRuns: new Counter({
      name: "aura_sandbox_runs_total",
      help: "Sandbox runs by language and outcome",
      labelNames: ["language", "outcome"],
      registers,
    }),
    watch(given) {
      Object.assign(sources, given);
    },
  };
}
