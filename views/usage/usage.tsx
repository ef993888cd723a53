import type { AccountUser } from "../../src/db/schema/users.ts";
import { PERIODS, type UsageReport } from "../../src/features/usage/service.ts";
import { LINK, NAV_ITEM } from "../components/_button.tsx";
import { BarChart, ChartLegend, StackedBarChart } from "../components/_chart.tsx";
import { When } from "../components/_dates.tsx";
import { Table, Td, Tr } from "../components/_table.tsx";
import { AppLayout, displayName } from "../layouts/app.tsx";

const CARD = "rounded-2xl border border-slate-200 p-5 dark:border-ink-700";
const NUM = "tabular-nums";

/** Cents as dollars: four decimals under a dollar ($0.0123), two from a dollar up ($1.23). */
const dollars = (cents: number) => `$${(cents / 100).toFixed(cents > 0 && cents < 100 ? 4 : 2)}`;
const count = (n: number) => Math.round(n).toLocaleString("en");
const ms = (n: number) => `${count(n)} ms`;

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
  user: AccountUser;
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
              class={NAV_ITEM}
            >
              {d} days
            </a>
          ))}
        </nav>
      </div>
      <p class="mt-2 text-sm text-slate-500">
        Since <When at={report.since} dateOnly /> (UTC days).{" "}
        {user.role === "admin" ? (
          report.everyone ? (
            <a href={`/usage?days=${report.days}`} class={LINK}>
              Show only mine
            </a>
          ) : (
            <a href={`/admin/usage?days=${report.days}`} class={LINK}>
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
              <StackedBarChart
                label="Tokens by model, input and output"
                rows={report.models.map((m) => ({
                  label: m.model,
                  parts: [
                    { value: m.input, title: `${m.model}: ${count(m.input)} input tokens` },
                    { value: m.output, title: `${m.model}: ${count(m.output)} output tokens` },
                  ],
                  total: count(m.input + m.output),
                }))}
              />
              <ChartLegend series={["input", "output"]} />
              <Table columns={["Model", "Requests", "Cost"]} class="mt-3">
                {report.models.map((m) => (
                  <Tr>
                    <Td class="font-mono text-xs" safe>
                      {m.model}
                    </Td>
                    <Td class={NUM} safe>
                      {count(m.calls)}
                    </Td>
                    <Td class={NUM} safe>
                      {dollars(m.cost)}
                    </Td>
                  </Tr>
                ))}
              </Table>
            </>
          ) : (
            <p class="mt-3 text-sm text-slate-500">No AI requests in this period.</p>
          )}
        </section>

        <section class={CARD} aria-labelledby="latency">
          <h2 id="latency" class="font-semibold">
            Latency
          </h2>
          <Table columns={["Kind", "Requests", "p50", "p95", "Cached"]} class="mt-3">
            {report.latency.map((l) => (
              <Tr>
                <Td safe>{l.type}</Td>
                <Td class={NUM} safe>
                  {count(l.calls)}
                </Td>
                <Td class={NUM} safe>
                  {ms(l.p50)}
                </Td>
                <Td class={NUM} safe>
                  {ms(l.p95)}
                </Td>
                <Td class={NUM} safe>
                  {count(l.cacheHits)}
                </Td>
              </Tr>
            ))}
            <Tr>
              <Td>sandbox run</Td>
              <Td class={NUM} safe>
                {count(report.runs.runs)}
              </Td>
              <Td class={NUM} safe>
                {ms(report.runs.p50)}
              </Td>
              <Td class={NUM} safe>
                {ms(report.runs.p95)}
              </Td>
              <Td class={NUM}>—</Td>
            </Tr>
          </Table>
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
          <Table columns={["User", "Requests", "Tokens", "Cost"]} class="mt-3">
            {report.top.map((u) => (
              <Tr>
                <Td>
                  <span class="block" safe>
                    {displayName(u)}
                  </span>
                  <span class="block text-xs text-slate-500" safe>
                    {u.email}
                  </span>
                </Td>
                <Td class={NUM} safe>
                  {count(u.calls)}
                </Td>
                <Td class={NUM} safe>
                  {count(u.tokens)}
                </Td>
                <Td class={NUM} safe>
                  {dollars(u.cost)}
                </Td>
              </Tr>
            ))}
          </Table>
        </section>
      ) : null}
    </AppLayout>
  );
}
