import { withNext } from "../auth/urls.ts";

export interface OAuthProviders {
  google: boolean;
  github: boolean;
}

const BUTTON =
  "flex w-full items-center justify-center gap-2 rounded-lg border border-slate-300 px-4 py-2.5 text-sm font-medium " +
  "transition hover:bg-slate-50 dark:border-ink-700 dark:hover:bg-ink-700";

/** "Continue with …" links for the configured providers, and a divider; nothing when none is. */
export function OAuthButtons({ providers, next }: { providers: OAuthProviders; next?: string | undefined }) {
  if (!providers.google && !providers.github) return "";
  return (
    <div class="space-y-3">
      {providers.google ? (
        <a href={withNext("/auth/oauth/google", next)} class={BUTTON}>
          Continue with Google
        </a>
      ) : null}
      {providers.github ? (
        <a href={withNext("/auth/oauth/github", next)} class={BUTTON}>
          Continue with GitHub
        </a>
      ) : null}
      <div class="flex items-center gap-3 pt-1 text-xs uppercase tracking-wider text-slate-500">
        <span class="h-px flex-1 bg-slate-200 dark:bg-ink-700"></span>
        or
        <span class="h-px flex-1 bg-slate-200 dark:bg-ink-700"></span>
      </div>
    </div>
  );
}
