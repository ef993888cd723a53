import { withNext } from "../auth/urls.ts";
import { Button } from "./_button.tsx";

export interface OAuthProviders {
  google: boolean;
  github: boolean;
}

/** "Continue with …" links for the configured providers, and a divider; nothing when none is. */
export function OAuthButtons({ providers, next }: { providers: OAuthProviders; next?: string | undefined }) {
  if (!providers.google && !providers.github) return "";
  return (
    <div class="space-y-3">
      {providers.google ? (
        <Button href={withNext("/auth/oauth/google", next)} size="xl" class="w-full">
          Continue with Google
        </Button>
      ) : null}
      {providers.github ? (
        <Button href={withNext("/auth/oauth/github", next)} size="xl" class="w-full">
          Continue with GitHub
        </Button>
      ) : null}
      <div class="flex items-center gap-3 pt-1 text-xs uppercase tracking-wider text-slate-500">
        <span class="h-px flex-1 bg-slate-200 dark:bg-ink-700"></span>
        or
        <span class="h-px flex-1 bg-slate-200 dark:bg-ink-700"></span>
      </div>
    </div>
  );
}
