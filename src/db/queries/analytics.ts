import { usageAnalytics } from "../schema/usage-analytics.ts";
import type { Database } from "../types.ts";

/** One usage event; `data` is free-form JSON (never secrets). */
export interface UsageEventInput {
  userId?: string | null | undefined;
  eventType: string;
  data?: Record<string, unknown>;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export async function recordUsageEvent(db: Database, event: UsageEventInput): Promise<void> {
  await db.insert(usageAnalytics).values({
    userId: event.userId ?? null,
    eventType: event.eventType,
    eventData: event.data ?? {},
    ip: event.ip ?? null,
    userAgent: event.userAgent ?? null,
  });
}
