import type { Check } from "../../src/features/health/probes.ts";
import { LINK } from "../components/_button.tsx";
import { Logo } from "../components/_logo.tsx";
import { BaseLayout } from "../layouts/base.tsx";

export interface StatusProps {
  ready: boolean;
  uptimeSeconds: number;
  checks: Record<string, Check>;
}

const NAMES: Record<string, string> = {
  database: "Database",
  cache: "Cache and limits",
  vectors: "Code search vectors",
  sandbox: "Running code",
  ai: "AI assistant",
};

/** How long the server has been up, in the largest unit that fits. */
function uptime(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} minutes`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)} hours`;
  return `${Math.floor(seconds / 86_400)} days`;
}

function State({ check }: { check: Check }) {
  const [label, tone] = check.ok
    ? ["Working", "bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"]
    : check.kind === "off"
      ? ["Off", "bg-slate-100 text-slate-700 dark:bg-ink-700 dark:text-slate-200"]
      : check.required
        ? ["Down", "bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200"]
        : ["Unavailable", "bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200"];
  return (
    <span class={`rounded-full px-2 py-0.5 text-xs font-medium ${tone}`} safe>
      {label}
    </span>
  );
}

/**
 * The status page for people: what /readyz reports (each dependency, whether the server can
 * serve), in words. Machines keep polling /readyz and /healthz.
 */
export function StatusPage({ ready, uptimeSeconds, checks }: StatusProps) {
  return (
    <BaseLayout title="Status" bodyClass="min-h-screen">
      <main class="mx-auto max-w-xl px-6 py-10">
        <Logo />
        <h1 class="mt-12 mb-2 text-3xl font-bold">{ready ? "Aura is up" : "Aura is not ready"}</h1>
        <p class="mb-8 text-slate-600 dark:text-slate-300">
          {ready
            ? `Serving for ${uptime(uptimeSeconds)}.`
            : "The database cannot be reached; pages that need it answer with an error until it is back."}
        </p>
        <ul class="divide-y divide-slate-200 rounded-xl border border-slate-200 dark:divide-ink-700 dark:border-ink-700">
          {Object.entries(checks).map(([name, check]) => (
            <li class="flex items-start gap-3 px-4 py-3">
              <div class="min-w-0 flex-1">
                <p class="font-medium" safe>
                  {NAMES[name] ?? name}
                </p>
                <p class="text-sm break-words text-slate-500" safe>
                  {[
                    check.kind,
                    check.latencyMs === undefined ? "" : `${check.latencyMs} ms`,
                    check.detail ?? "",
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </p>
              </div>
              <State check={check} />
            </li>
          ))}
        </ul>
        <p class="mt-8 text-sm text-slate-500">
          For monitoring:{" "}
          <a href="/readyz" class={LINK}>
            /readyz
          </a>{" "}
          (JSON, 503 while not ready) and{" "}
          <a href="/healthz" class={LINK}>
            /healthz
          </a>{" "}
          (the process is up).
        </p>
      </main>
    </BaseLayout>
  );
}
