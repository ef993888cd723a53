import type { User } from "../../src/db/schema/users.ts";
import { PERIODS, type UsageReport } from "../../src/features/usage/service.ts";
import { AppLayout, displayName } from "../layouts/app.tsx";

const CARD = "rounded-2xl border border-slate-200 p-5 dark:border-ink-700";
const TH = "px-3 py-2 text-left font-medium text-slate-500 dark:text-slate-400";
const TD = "px-3 py-2 tabular-nums";

/** Cents as dollars: $0.0123 below a cent, $1.23 above. */
export const dollars = (cents: number) => `$${(cents / 100).toFixed(cents > 0 && cents < 100 ? 4 : 2)}`;
const count = (n: number) => Math.round(n).toLocaleString("en");
const ms = (n: number) => `${count(n)} ms`;

interface Bar {
  label: string;
  value: number;
  /** Shown on hover and read by screen readers. */
  title: string;
}

/**
 * A vertical bar chart as inline SVG: one bar per item, the largest value as the scale, the
 * first and last labels under the axis. No script; each bar's <title> is its tooltip.
 */
export function BarChart({
  bars,
  caption,
  unit,
}: {
  bars: Bar[];
  caption: string;
  unit: (n: number) => string;
}) {
  const width = 600;
  const height = 140;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const step = width / Math.max(1, bars.length);
  const gap = Math.min(4, step * 0.2);
  return (
    <figure class="mt-3">
      <svg
        viewBox={`0 0 ${width} ${height + 18}`}
        class="h-auto w-full"
        role="img"
        aria-label={`${caption}: highest ${unit(max)}`}
      >
        <line
          x1="0"
          y1={String(height)}
          x2={String(width)}
          y2={String(height)}
          class="stroke-slate-300 dark:stroke-ink-700"
        />
        {bars.map((b, i) => {
          const h = max > 0 ? Math.max(b.value > 0 ? 1 : 0, (b.value / max) * (height - 8)) : 0;
          return (
            <rect
              x={(i * step + gap / 2).toFixed(1)}
              y={(height - h).toFixed(1)}
              width={(step - gap).toFixed(1)}
              height={h.toFixed(1)}
              rx="1.5"
              class="fill-aura-500"
            >
              <title safe>{b.title}</title>
            </rect>
          );
        })}
        <text x="0" y={String(height + 14)} class="fill-slate-500 text-[11px]" safe>
          {bars[0]?.label ?? ""}
        </text>
        <text
          x={String(width)}
          y={String(height + 14)}
          text-anchor="end"
          class="fill-slate-500 text-[11px]"
          safe
        >
          {bars.at(-1)?.label ?? ""}
        </text>
        <text x="2" y="10" class="fill-slate-500 text-[11px]" safe>
          {unit(max)}
        </text>
      </svg>
      <figcaption class="sr-only" safe>
        {caption}
      </figcaption>
    </figure>
  );
}

/** Horizontal bars, input and output stacked, one row per model. */
export function ModelChart({ models }: { models: UsageReport["models"] }) {
  // Drawn at about the size it is shown (half the page), so its text stays readable.
  const width = 380;
  const row = 26;
  const label = 130;
  const max = Math.max(1, ...models.map((m) => m.input + m.output));
  const scale = (n: number) => (n / max) * (width - label - 60);
  return (
    <svg
      viewBox={`0 0 ${width} ${Math.max(1, models.length) * row}`}
      class="mt-3 h-auto w-full"
      role="img"
      aria-label="Tokens by model, input and output"
    >
      {models.map((m, i) => {
        const y = i * row;
        return (
          <g>
            <text x="0" y={String(y + 17)} class="fill-current text-[12px]" safe>
              {m.model.length > 19 ? `${m.model.slice(0, 18)}…` : m.model}
            </text>
            <rect
              x={String(label)}
              y={String(y + 5)}
              width={scale(m.input).toFixed(1)}
              height="16"
              class="fill-aura-500"
            >
              <title safe>{`${m.model}: ${count(m.input)} input tokens`}</title>
            </rect>
            <rect
              x={(label + scale(m.input)).toFixed(1)}
              y={String(y + 5)}
              width={scale(m.output).toFixed(1)}
              height="16"
              class="fill-emerald-500"
            >
              <title safe>{`${m.model}: ${count(m.output)} output tokens`}</title>
            </rect>
            <text
              x={(label + scale(m.input + m.output) + 6).toFixed(1)}
              y={String(y + 17)}
              class="fill-slate-500 text-[11px]"
              safe
            >
              {count(m.input + m.output)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div class={CARD}>
      <p class="text-sm text-slate-500 dark:text-slate-400" safe>
        {label}
      </p>
      <p class="mt-1 text-2xl font-semibold tabular-nums" safe>
        {value}
      </p>
    </div>
  );
}

/** The usage page: the caller's own, or everyone's for an admin (`report.everyone`). */
export function UsagePage({
  user,
  csrfToken,
  report,
}: {
  user: User;
  csrfToken: string;
  report: UsageReport;
}) {
  const base = report.everyone ? "/admin/usage" : "/usage";
  const title = report.everyone ? "Usage — all users" : "Your usage";
  return (
    <AppLayout title={title} user={user} csrfToken={csrfToken} section="usage">
      <div class="flex flex-wrap items-end gap-4">
        <h1 class="text-3xl font-bold tracking-tight">{title}</h1>
        <nav aria-label="Period" class="ml-auto flex gap-1 text-sm">
          {PERIODS.map((d) => (
            <a
              href={`${base}?days=${d}`}
              aria-current={d === report.days ? "page" : undefined}
              class="rounded-md px-2.5 py-1.5 text-slate-600 hover:bg-slate-100 aria-[current=page]:bg-aura-50 aria-[current=page]:font-medium aria-[current=page]:text-aura-700 dark:text-slate-300 dark:hover:bg-ink-700 dark:aria-[current=page]:bg-ink-700 dark:aria-[current=page]:text-aura-400"
            >
              {d} days
            </a>
          ))}
        </nav>
      </div>
      <p class="mt-2 text-sm text-slate-500">
        <span safe>{`Since ${report.since.toISOString().slice(0, 10)} (UTC days).`}</span>{" "}
        {user.role === "admin" ? (
          report.everyone ? (
            <a href={`/usage?days=${report.days}`} class="text-aura-700 underline dark:text-aura-400">
              Show only mine
            </a>
          ) : (
            <a href={`/admin/usage?days=${report.days}`} class="text-aura-700 underline dark:text-aura-400">
              Show all users
            </a>
          )
        ) : null}
      </p>

      <div class="mt-6 grid gap-4 sm:grid-cols-4">
        <Stat label="AI cost" value={dollars(report.totals.cost)} />
        <Stat label="AI tokens" value={count(report.totals.tokens)} />
        <Stat label="AI requests" value={count(report.totals.calls)} />
        <Stat label="Sandbox runs" value={count(report.runs.runs)} />
      </div>

      <section class={`${CARD} mt-6`} aria-labelledby="cost-per-day">
        <h2 id="cost-per-day" class="font-semibold">
          AI cost per day
        </h2>
        <BarChart
          caption="AI cost per day"
          unit={dollars}
          bars={report.daily.map((d) => ({
            label: d.day,
            value: d.cost,
            title: `${d.day}: ${dollars(d.cost)}, ${count(d.tokens)} tokens, ${count(d.calls)} requests`,
          }))}
        />
      </section>

      <div class="mt-6 grid gap-6 lg:grid-cols-2">
        <section class={CARD} aria-labelledby="tokens-by-model">
          <h2 id="tokens-by-model" class="font-semibold">
            Tokens by model
          </h2>
          {report.models.length ? (
            <>
              <ModelChart models={report.models} />
              <p class="mt-2 flex gap-4 text-xs text-slate-500">
                <span>
                  <span class="mr-1 inline-block size-2.5 rounded-sm bg-aura-500"></span>input
                </span>
                <span>
                  <span class="mr-1 inline-block size-2.5 rounded-sm bg-emerald-500"></span>output
                </span>
              </p>
              <table class="mt-3 w-full text-sm">
                <thead>
                  <tr>
                    <th class={TH}>Model</th>
                    <th class={TH}>Requests</th>
                    <th class={TH}>Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {report.models.map((m) => (
                    <tr class="border-t border-slate-100 dark:border-ink-800">
                      <td class="px-3 py-2 font-mono text-xs" safe>
                        {m.model}
                      </td>
                      <td class={TD} safe>
                        {count(m.calls)}
                      </td>
                      <td class={TD} safe>
                        {dollars(m.cost)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p class="mt-3 text-sm text-slate-500">No AI requests in this period.</p>
          )}
        </section>

        <section class={CARD} aria-labelledby="latency">
          <h2 id="latency" class="font-semibold">
            Latency
          </h2>
          <table class="mt-3 w-full text-sm">
            <thead>
              <tr>
                <th class={TH}>Kind</th>
                <th class={TH}>Requests</th>
                <th class={TH}>p50</th>
                <th class={TH}>p95</th>
                <th class={TH}>Cached</th>
              </tr>
            </thead>
            <tbody>
              {report.latency.map((l) => (
                <tr class="border-t border-slate-100 dark:border-ink-800">
                  <td class="px-3 py-2" safe>
                    {l.type}
                  </td>
                  <td class={TD} safe>
                    {count(l.calls)}
                  </td>
                  <td class={TD} safe>
                    {ms(l.p50)}
                  </td>
                  <td class={TD} safe>
                    {ms(l.p95)}
                  </td>
                  <td class={TD} safe>
                    {count(l.cacheHits)}
                  </td>
                </tr>
              ))}
              <tr class="border-t border-slate-100 dark:border-ink-800">
                <td class="px-3 py-2">sandbox run</td>
                <td class={TD} safe>
                  {count(report.runs.runs)}
                </td>
                <td class={TD} safe>
                  {ms(report.runs.p50)}
                </td>
                <td class={TD} safe>
                  {ms(report.runs.p95)}
                </td>
                <td class={TD}>—</td>
              </tr>
            </tbody>
          </table>
        </section>
      </div>

      <section class={`${CARD} mt-6`} aria-labelledby="runs-per-day">
        <h2 id="runs-per-day" class="font-semibold">
          Sandbox runs per day
          <span class="ml-2 text-sm font-normal text-slate-500" safe>
            {`${count(report.runs.failed)} did not succeed`}
          </span>
        </h2>
        <BarChart
          caption="Sandbox runs per day"
          unit={count}
          bars={report.daily.map((d) => ({
            label: d.day,
            value: d.runs,
            title: `${d.day}: ${count(d.runs)} runs, ${count(d.failedRuns)} not successful`,
          }))}
        />
      </section>

      {report.everyone ? (
        <section class={`${CARD} mt-6`} aria-labelledby="top-users">
          <h2 id="top-users" class="font-semibold">
            Top users by AI cost
          </h2>
          <table class="mt-3 w-full text-sm">
            <thead>
              <tr>
                <th class={TH}>User</th>
                <th class={TH}>Requests</th>
                <th class={TH}>Tokens</th>
                <th class={TH}>Cost</th>
              </tr>
            </thead>
            <tbody>
              {report.top.map((u) => (
                <tr class="border-t border-slate-100 dark:border-ink-800">
                  <td class="px-3 py-2">
                    <span class="block" safe>
                      {displayName(u)}
                    </span>
                    <span class="block text-xs text-slate-500" safe>
                      {u.email}
                    </span>
                  </td>
                  <td class={TD} safe>
                    {count(u.calls)}
                  </td>
                  <td class={TD} safe>
                    {count(u.tokens)}
                  </td>
                  <td class={TD} safe>
                    {dollars(u.cost)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </AppLayout>
  );
}
