import type { User } from "../../src/db/schema/users.ts";
import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { When } from "../components/_dates.tsx";
import { AppLayout, displayName } from "../layouts/app.tsx";

const ROW = "grid gap-1 px-5 py-4 sm:grid-cols-3 sm:gap-4";
const TERM = "text-sm font-medium text-slate-500 dark:text-slate-400";
const VALUE = "min-w-0 break-words sm:col-span-2";

/** The profile: who you are, since when, and where to manage your sessions. */
export function AccountPage({ user, csrfToken }: { user: User; csrfToken: string }) {
  return (
    <AppLayout title="Account" user={user} csrfToken={csrfToken} section="account">
      <h1 class="text-3xl font-bold tracking-tight">Account</h1>
      <dl class="mt-8 divide-y divide-slate-200 rounded-2xl border border-slate-200 dark:divide-ink-700 dark:border-ink-700">
        <div class={ROW}>
          <dt class={TERM}>Name</dt>
          <dd class={VALUE} safe>
            {displayName(user)}
          </dd>
        </div>
        <div class={ROW}>
          <dt class={TERM}>Email</dt>
          <dd class={VALUE} safe>
            {user.email}
          </dd>
        </div>
        <div class={ROW}>
          <dt class={TERM}>Member since</dt>
          <dd class={VALUE}>
            <When at={user.createdAt} dateOnly />
          </dd>
        </div>
      </dl>
      <div class="mt-8 flex flex-wrap items-center gap-3">
        <Button href="/account/sessions" variant="primary" size="xl">
          Manage sessions
        </Button>
        <form method="post" action="/logout">
          <CsrfField token={csrfToken} />
          <Button type="submit" size="xl">
            Sign out
          </Button>
        </form>
      </div>
    </AppLayout>
  );
}
