import type { OAuthProviderName } from "../../src/features/auth/oauth/providers.ts";
import { Badge } from "../components/_badge.tsx";
import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { When } from "../components/_dates.tsx";
import { Notice, Section, sectionForm } from "./_section.tsx";

const LABELS: Record<OAuthProviderName, string> = { google: "Google", github: "GitHub" };

export interface SignInMethodsProps {
  csrfToken: string;
  password: boolean;
  linked: { provider: OAuthProviderName; email: string | null; linkedAt: Date }[];
  /** The providers this server is set up for (a linked one stays listed even when it is not). */
  configured: Record<OAuthProviderName, boolean>;
  notice?: string | undefined;
  error?: string | undefined;
}

/** How the user signs in: their password, and Google and GitHub with Link / Unlink. */
export function SignInMethods({
  csrfToken,
  password,
  linked,
  configured,
  notice,
  error,
}: SignInMethodsProps) {
  const shown = (Object.keys(LABELS) as OAuthProviderName[]).filter(
    (p) => configured[p] || linked.some((l) => l.provider === p),
  );
  const methods = (password ? 1 : 0) + linked.length;
  return (
    <Section id="sign-in-methods" title="Ways to sign in">
      <Notice text={notice} />
      <Notice text={error} tone="error" />
      <ul class="divide-y divide-slate-200 rounded-xl border border-slate-200 dark:divide-ink-700 dark:border-ink-700">
        <li class="flex items-center justify-between gap-3 px-4 py-3">
          <span class="font-medium">Email and password</span>
          {password ? <Badge tone="aura">Set</Badge> : <Badge>Not set</Badge>}
        </li>
        {shown.map((provider) => {
          const link = linked.find((l) => l.provider === provider);
          const label = LABELS[provider];
          return (
            <li class="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
              <div class="min-w-0">
                <p class="font-medium" safe>
                  {label}
                </p>
                {link ? (
                  <p class="text-sm text-slate-600 dark:text-slate-300">
                    <span safe>{link.email ?? "Linked"}</span> · since <When at={link.linkedAt} dateOnly />
                    {methods <= 1 ? " · your only way to sign in; set a password before unlinking it" : ""}
                  </p>
                ) : (
                  <p class="text-sm text-slate-500">Not linked</p>
                )}
              </div>
              {link ? (
                <form {...sectionForm(`/account/links/${provider}/unlink`, "sign-in-methods")}>
                  <CsrfField token={csrfToken} />
                  <Button type="submit" variant="danger-secondary" safe>
                    {`Unlink ${label}`}
                  </Button>
                </form>
              ) : configured[provider] ? (
                // A plain form: the answer is a redirect to the provider, not a fragment.
                <form method="post" action={`/account/links/${provider}`}>
                  <CsrfField token={csrfToken} />
                  <Button type="submit" safe>
                    {`Link ${label}`}
                  </Button>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
