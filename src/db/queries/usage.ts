/**
 * Usage figures for the dashboards: AI cost and tokens per UTC day and per model, latency
 * percentiles per request type, sandbox runs per day and outcome, and the users who spent most.
 * `userId` scopes every figure to one user; without it (the admin view) they cover everyone.
 */
import { and, desc, eq, gte, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { aiInteractions } from "../schema/ai-interactions.ts";
import { usageAnalytics } from "../schema/usage-analytics.ts";
import { users } from "../schema/users.ts";
import type { Database } from "../types.ts";

export interface Scope {
  /** One user's figures; everyone's when undefined (admins only — the caller checks). */
  userId?: string | undefined;
  since: Date;
}

const aiWhere = (scope: Scope): SQL | undefined =>
  and(
    gte(aiInteractions.createdAt, scope.since),
    scope.userId ? eq(aiInteractions.userId, scope.userId) : undefined,
  );

const runWhere = (scope: Scope): SQL | undefined =>
  and(
    eq(usageAnalytics.eventType, "sandbox_run"),
    gte(usageAnalytics.createdAt, scope.since),
    scope.userId ? eq(usageAnalytics.userId, scope.userId) : undefined,
  );

const day = (column: SQLWrapper) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`;

/** AI cost (cents), tokens and calls per UTC day that had any. */
export async function aiByDay(db: Database, scope: Scope) {
  const d = day(aiInteractions.createdAt);
  return db
    .select({
      day: d,
      cost: sql<number>`coalesce(sum(${aiInteractions.cost}), 0)`.mapWith(Number),
      tokens:
        sql<number>`coalesce(sum(${aiInteractions.tokensInput} + ${aiInteractions.tokensOutput}), 0)`.mapWith(
          Number,
        ),
      calls: sql<number>`count(*)`.mapWith(Number),
    })
    .from(aiInteractions)
    .where(aiWhere(scope))
    .groupBy(d)
    .orderBy(d);
}

/** Tokens in and out, cost and calls per model, the most tokens first. */
export async function aiByModel(db: Database, scope: Scope) {
  const tokens = sql<number>`coalesce(sum(${aiInteractions.tokensInput} + ${aiInteractions.tokensOutput}), 0)`;
  return db
    .select({
      model: sql<string>`coalesce(${aiInteractions.model}, '(none)')`,
      input: sql<number>`coalesce(sum(${aiInteractions.tokensInput}), 0)`.mapWith(Number),
      output: sql<number>`coalesce(sum(${aiInteractions.tokensOutput}), 0)`.mapWith(Number),
      cost: sql<number>`coalesce(sum(${aiInteractions.cost}), 0)`.mapWith(Number),
      calls: sql<number>`count(*)`.mapWith(Number),
    })
    .from(aiInteractions)
    .where(aiWhere(scope))
    .groupBy(aiInteractions.model)
    .orderBy(desc(tokens));
}

/** Latency p50/p95 (ms), calls, cache hits and errors per request type (completion, chat, analysis). */
export async function aiLatency(db: Database, scope: Scope) {
  return db
    .select({
      type: aiInteractions.requestType,
      p50: sql<number>`coalesce(percentile_cont(0.5) within group (order by ${aiInteractions.latencyMs}), 0)`.mapWith(
        Number,
      ),
      p95: sql<number>`coalesce(percentile_cont(0.95) within group (order by ${aiInteractions.latencyMs}), 0)`.mapWith(
        Number,
      ),
      calls: sql<number>`count(*)`.mapWith(Number),
      cacheHits: sql<number>`count(*) filter (where ${aiInteractions.cacheHit})`.mapWith(Number),
      errors: sql<number>`count(*) filter (where ${aiInteractions.error} is not null)`.mapWith(Number),
    })
    .from(aiInteractions)
    .where(aiWhere(scope))
    .groupBy(aiInteractions.requestType)
    .orderBy(aiInteractions.requestType);
}

/** Sandbox runs per UTC day, with how many did not succeed. */
export async function runsByDay(db: Database, scope: Scope) {
  const d = day(usageAnalytics.createdAt);
  return db
    .select({
      day: d,
      runs: sql<number>`count(*)`.mapWith(Number),
      failed:
        sql<number>`count(*) filter (where ${usageAnalytics.eventData}->>'outcome' <> 'success')`.mapWith(
          Number,
        ),
    })
    .from(usageAnalytics)
    .where(runWhere(scope))
    .groupBy(d)
    .orderBy(d);
}

/** The users whose AI calls cost most since `since`. */
export async function topUsersByCost(db: Database, since: Date, limit: number) {
  const cost = sql<number>`coalesce(sum(${aiInteractions.cost}), 0)`;
  return db
    .select({
      userId: users.id,
      email: users.email,
      firstName: users.firstName,
      lastName: users.lastName,
      cost: cost.mapWith(Number),
      tokens:
        sql<number>`coalesce(sum(${aiInteractions.tokensInput} + ${aiInteractions.tokensOutput}), 0)`.mapWith(
          Number,
        ),
      calls: sql<number>`count(*)`.mapWith(Number),
    })
    .from(aiInteractions)
    .innerJoin(users, eq(users.id, aiInteractions.userId))
    .where(gte(aiInteractions.createdAt, since))
    .groupBy(users.id)
    .orderBy(desc(cost))
    .limit(limit);
}

/** Sandbox runs over the whole period: count, failures and duration p50/p95 (ms). */
export async function runTotals(db: Database, scope: Scope) {
  const duration = sql`(${usageAnalytics.eventData}->>'durationMs')::double precision`;
  const [row] = await db
    .select({
      runs: sql<number>`count(*)`.mapWith(Number),
      failed:
        sql<number>`count(*) filter (where ${usageAnalytics.eventData}->>'outcome' <> 'success')`.mapWith(
          Number,
        ),
      p50: sql<number>`coalesce(percentile_cont(0.5) within group (order by ${duration}), 0)`.mapWith(Number),
      p95: sql<number>`coalesce(percentile_cont(0.95) within group (order by ${duration}), 0)`.mapWith(
        Number,
      ),
    })
    .from(usageAnalytics)
    .where(runWhere(scope));
  return row ?? { runs: 0, failed: 0, p50: 0, p95: 0 };
}
