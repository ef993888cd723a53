import type { User } from "../../src/db/schema/users.ts";
import { AppLayout } from "../layouts/app.tsx";

/** The signed-in home. The project dashboard itself arrives with the IDE; until then, an honest empty state. */
export function ProjectsPage({ user, csrfToken }: { user: User; csrfToken: string }) {
  return (
    <AppLayout title="Projects" user={user} csrfToken={csrfToken} section="projects">
      <p class="text-sm text-slate-500 dark:text-slate-400">
        Welcome, <span safe>{user.firstName || user.email}</span>
      </p>
      <h1 class="mt-1 text-3xl font-bold tracking-tight">Projects</h1>
      <section class="mt-8 rounded-2xl border border-dashed border-slate-300 px-6 py-16 text-center dark:border-ink-700">
        <svg
          class="mx-auto size-10 text-aura-500"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          stroke-width="1.5"
          aria-hidden="true"
        >
          <path d="M3 7.5A1.5 1.5 0 0 1 4.5 6h4l2 2h9A1.5 1.5 0 0 1 21 9.5v8a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z" />
        </svg>
        <h2 class="mt-4 text-lg font-semibold">No projects yet</h2>
        <p class="mx-auto mt-2 max-w-sm text-slate-600 dark:text-slate-300">
          The project dashboard arrives with the IDE. Your account is ready for it.
        </p>
      </section>
    </AppLayout>
  );
}
