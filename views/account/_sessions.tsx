import type { SessionRow } from "../../src/db/queries/sessions.ts";
import { describeDevice } from "../../src/features/account/user-agent.ts";
import { Badge } from "../components/_badge.tsx";
import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { When } from "../components/_dates.tsx";

export interface SessionsListProps {
  sessions: SessionRow[];
  currentId: string;
  csrfToken: string;
  /** A confirmation to show after a revoke. */
  notice?: string | undefined;
}

/** The address a session signed in from; the client-ip plugin says "unknown" when it cannot tell. */
function addressOf(ip: string | null): string {
  return ip && ip !== "unknown" ? ip : "Unknown address";
}

/** A form that posts to `action` and, with htmx, swaps the refreshed list in place. */
function PostButton({
  action,
  label,
  csrfToken,
  danger,
}: {
  action: string;
  label: string;
  csrfToken: string;
  danger?: boolean;
}) {
  return (
    <form
      method="post"
      action={action}
      hx-post={action}
      hx-target="#sessions"
      hx-swap="outerHTML"
      hx-disable="find button"
    >
      <CsrfField token={csrfToken} />
      <Button type="submit" variant={danger ? "danger-secondary" : "secondary"} safe>
        {label}
      </Button>
    </form>
  );
}

/** The user's active sessions with a revoke button each; swapped alone after every revoke. */
export function SessionsList({ sessions, currentId, csrfToken, notice }: SessionsListProps) {
  const others = sessions.filter((s) => s.id !== currentId).length;
  return (
    <div id="sessions" class="space-y-4">
      {notice ? (
        <p
          role="status"
          class="rounded-lg bg-aura-50 px-3 py-2.5 text-sm text-aura-700 dark:bg-ink-700 dark:text-aura-400"
          safe
        >
          {notice}
        </p>
      ) : null}
      <ul class="divide-y divide-slate-200 rounded-2xl border border-slate-200 dark:divide-ink-700 dark:border-ink-700">
        {sessions.map((s) => (
          <li class="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center sm:justify-between">
            <div class="min-w-0">
              <p class="flex flex-wrap items-center gap-2 font-medium">
                <span safe>{describeDevice(s.userAgent)}</span>
                {s.id === currentId ? <Badge tone="aura">This device</Badge> : null}
              </p>
              <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">
                <span safe>{addressOf(s.ip)}</span> · Last active <When at={s.lastUsedAt} />
              </p>
              <p class="mt-0.5 text-xs text-slate-500">
                Signed in <When at={s.createdAt} />
              </p>
              {s.userAgent ? (
                <p
                  class="mt-0.5 truncate font-mono text-xs text-slate-400 dark:text-slate-500"
                  title={s.userAgent}
                  safe
                >
                  {s.userAgent}
                </p>
              ) : null}
            </div>
            <PostButton
              action={`/account/sessions/${s.id}/revoke`}
              label={s.id === currentId ? "Sign out" : "Revoke"}
              csrfToken={csrfToken}
            />
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <PostButton
          action="/account/sessions/revoke-others"
          label="Sign out everywhere else"
          csrfToken={csrfToken}
          danger
        />
      ) : (
        <p class="text-sm text-slate-500 dark:text-slate-400">You are signed in on this device only.</p>
      )}
    </div>
  );
}
