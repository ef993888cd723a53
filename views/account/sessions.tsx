import type { AccountUser } from "../../src/db/schema/users.ts";
import { LINK } from "../components/_button.tsx";
import { AppLayout } from "../layouts/app.tsx";
import { SessionsList, type SessionsListProps } from "./_sessions.tsx";

/** Where the user is signed in, with revoke buttons. */
export function SessionsPage({ user, ...list }: SessionsListProps & { user: AccountUser }) {
  return (
    <AppLayout title="Sessions" user={user} csrfToken={list.csrfToken} section="account">
      <p class="text-sm">
        <a href="/account" class={LINK}>
          Account
        </a>
      </p>
      <h1 class="mt-1 text-3xl font-bold tracking-tight">Sessions</h1>
      <p class="mt-2 mb-8 max-w-2xl text-slate-600 dark:text-slate-300">
        These devices are signed in to your account. Revoke any you do not recognise.
      </p>
      <SessionsList {...list} />
    </AppLayout>
  );
}
