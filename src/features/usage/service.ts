import * as usage from "../../db/queries/usage.ts";
import type { Deps } from "../../deps.ts";
import { ForbiddenError } from "../../errors.ts";

export const PERIODS = [7, 30, 90] as const;
export type Period = (typeof PERIODS)[number];
const TOP_USERS = 10;
const DAY_MS = 86_400_000;

interface DayFigures {
  /** YYYY-MM-DD, UTC. */
  day: string;
  cost: number;
  tokens: number;
  calls: number;
  runs: number;
  failedRuns: number;
}

/** Every UTC day from `since` to today, in order, so a chart has a bar (maybe empty) per day. */
export function daysSince(since: Date, today = new Date()): string[] {
  const out: string[] = [];
  for (
    let t = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
    t <= today.getTime();
    t += DAY_MS
  )
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * A usage report over the last `days` days (today included): AI cost, tokens and calls per day
 * and per model, latency percentiles per request type, sandbox runs — for one user, or with
 * `everyone` (admins only, else 403) for all users plus the top spenders.
 */
export async function usageReport(
  deps: Pick<Deps, "db">,
  viewer: { userId: string; role: string },
  options: { days: Period; everyone?: boolean },
) {
  if (options.everyone && viewer.role !== "admin")
    throw new ForbiddenError("Only administrators can see everyone's usage");
  const now = new Date();
  const since = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (options.days - 1) * DAY_MS,
  );
  const scope: usage.Scope = { since, ...(options.everyone ? {} : { userId: viewer.userId }) };
  const db = await deps.db.get();
  const [ai, models, latency, runs, runTotals, top] = await Promise.all([
    usage.aiByDay(db, scope),
    usage.aiByModel(db, scope),
    usage.aiLatency(db, scope),
    usage.runsByDay(db, scope),
    usage.runTotals(db, scope),
    options.everyone ? usage.topUsersByCost(db, since, TOP_USERS) : Promise.resolve([]),
  ]);
  const aiDays = new Map(ai.map((r) => [r.day, r]));
  const runDays = new Map(runs.map((r) => [r.day, r]));
  const daily: DayFigures[] = daysSince(since, now).map((day) => ({
    day,
    cost: aiDays.get(day)?.cost ?? 0,
    tokens: aiDays.get(day)?.tokens ?? 0,
    calls: aiDays.get(day)?.calls ?? 0,
    runs: runDays.get(day)?.runs ?? 0,
    failedRuns: runDays.get(day)?.failed ?? 0,
  }));
  const totals = {
    cost: ai.reduce((s, r) => s + r.cost, 0),
    tokens: ai.reduce((s, r) => s + r.tokens, 0),
    calls: ai.reduce((s, r) => s + r.calls, 0),
  };
  return {
    days: options.days,
    since,
    everyone: Boolean(options.everyone),
    daily,
    models,
    latency,
    runs: runTotals,
    totals,
    top,
  };
}

export type UsageReport = Awaited<ReturnType<typeof usageReport>>;
