import type { PropsWithChildren } from "@kitajs/html";
import { Logo } from "../components/_logo.tsx";
import { BaseLayout } from "./base.tsx";

export interface AuthLayoutProps {
  title: string;
  heading: string;
  csrfToken: string;
}

/** The frame of the sign-up and sign-in pages: a centred card on the landing page's background. */
export function AuthLayout({ title, heading, csrfToken, children }: PropsWithChildren<AuthLayoutProps>) {
  return (
    <BaseLayout title={title} csrfToken={csrfToken}>
      <div class="flex min-h-screen flex-col bg-slate-50 dark:bg-ink-900">
        <header class="mx-auto w-full max-w-5xl px-6 py-5">
          <Logo />
        </header>
        <main class="flex flex-1 items-start justify-center px-4 pb-16 pt-4 sm:items-center sm:pt-0">
          <div class="w-full max-w-md rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8 dark:border-ink-700 dark:bg-ink-800">
            <h1 class="mb-6 text-2xl font-bold tracking-tight" safe>
              {heading}
            </h1>
            {children}
          </div>
        </main>
      </div>
    </BaseLayout>
  );
}
