import { Button } from "../components/_button.tsx";
import { Logo } from "../components/_logo.tsx";
import { BaseLayout } from "../layouts/base.tsx";

const FEATURES = [
  {
    title: "Edit anywhere",
    body: "CodeMirror 6 in the browser, pages rendered on the server. The editor is the only script that matters.",
  },
  {
    title: "Run it safely",
    body: "JavaScript, TypeScript and Python run in a sandbox with no network and hard limits — locally or on E2B.",
  },
  {
    title: "AI that knows your code",
    body: "Inline completion, streamed chat and code review, grounded by semantic search over your project.",
  },
  {
    title: "Self-hosted, one binary",
    body: "Starts on a bare machine with embedded stores; point it at Postgres, Redis, Qdrant and E2B to scale out.",
  },
];

/** The public front page. */
export function LandingPage() {
  return (
    <BaseLayout title="Aura" bodyClass="min-h-screen flex flex-col">
      <header class="mx-auto flex w-full max-w-5xl items-center justify-between px-6 py-5">
        <Logo />
        <nav class="flex items-center gap-3 text-sm">
          <Button href="/login" variant="ghost" size="lg">
            Sign in
          </Button>
          <Button href="/register" variant="primary" size="lg">
            Create account
          </Button>
        </nav>
      </header>
      <main class="mx-auto w-full max-w-5xl flex-1 px-6">
        <section class="py-16 sm:py-24">
          <p class="mb-4 text-sm font-medium uppercase tracking-widest text-aura-600 dark:text-aura-400">
            The lightweight web IDE
          </p>
          <h1 class="max-w-3xl text-4xl font-bold tracking-tight sm:text-6xl">
            Write, run and understand code — in one fast binary.
          </h1>
          <p class="mt-6 max-w-2xl text-lg text-slate-600 dark:text-slate-300">
            Aura opens in under a second, ships almost no JavaScript, and brings an AI pair that reads your
            project before it answers.
          </p>
          <div class="mt-10 flex flex-wrap gap-3">
            <Button href="/register" variant="primary" size="xl">
              Start a project
            </Button>
            <Button href="/login" size="xl">
              Sign in
            </Button>
          </div>
        </section>
        <section class="grid gap-4 pb-20 sm:grid-cols-2">
          {FEATURES.map((f) => (
            <article class="rounded-xl border border-slate-200 p-6 dark:border-ink-700">
              <h2 class="mb-2 font-semibold" safe>
                {f.title}
              </h2>
              <p class="text-slate-600 dark:text-slate-300" safe>
                {f.body}
              </p>
            </article>
          ))}
        </section>
      </main>
      <footer class="border-t border-slate-200 py-6 text-center text-sm text-slate-500 dark:border-ink-700">
        Aura IDE · self-hostable · <a href="/status">status</a>
      </footer>
    </BaseLayout>
  );
}
