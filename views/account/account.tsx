import type { AccountUser } from "../../src/db/schema/users.ts";
import type { FieldErrors } from "../../src/features/auth/form-errors.ts";
import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { When } from "../components/_dates.tsx";
import { AppLayout } from "../layouts/app.tsx";
import { DeleteAccount, type DeleteAccountProps } from "./_delete-account.tsx";
import { PasswordForm } from "./_password-form.tsx";
import { ProfileForm } from "./_profile-form.tsx";
import { Section } from "./_section.tsx";
import { SignInMethods, type SignInMethodsProps } from "./_sign-in-methods.tsx";

export interface AccountPageProps {
  user: AccountUser;
  csrfToken: string;
  methods: Omit<SignInMethodsProps, "csrfToken">;
  impact: Pick<DeleteAccountProps, "owned" | "memberships">;
  /** A form's errors, when it was posted without htmx and the whole page comes back. */
  profileErrors?: FieldErrors | undefined;
  passwordErrors?: FieldErrors | undefined;
  deleteErrors?: FieldErrors | undefined;
}

/** The account: name, password, ways to sign in, sessions, export, and deleting it. */
export function AccountPage(props: AccountPageProps) {
  const { user, csrfToken, methods, impact } = props;
  return (
    <AppLayout title="Account" user={user} csrfToken={csrfToken} section="account">
      <h1 class="text-3xl font-bold tracking-tight">Account</h1>
      <p class="mt-2 text-slate-600 dark:text-slate-300">
        <span safe>{user.email}</span> · member since <When at={user.createdAt} dateOnly />
      </p>
      <div class="mt-8 max-w-3xl space-y-6">
        <ProfileForm csrfToken={csrfToken} values={user} errors={props.profileErrors} />
        <PasswordForm csrfToken={csrfToken} hasPassword={user.hasPassword} errors={props.passwordErrors} />
        <SignInMethods csrfToken={csrfToken} {...methods} />
        <Section id="sessions-link" title="Sessions and data">
          <div class="flex flex-wrap items-center gap-3">
            <Button href="/account/sessions" variant="secondary" size="lg">
              Manage sessions
            </Button>
            <Button href="/account/export" variant="secondary" size="lg" download="">
              Export my data (.zip)
            </Button>
            <form method="post" action="/logout">
              <CsrfField token={csrfToken} />
              <Button type="submit" size="lg">
                Sign out
              </Button>
            </form>
          </div>
          <p class="text-sm text-slate-500">
            The export holds your profile, the projects you own with their files and git remotes, and your AI
            conversations. A saved git token appears only as its host.
          </p>
        </Section>
        <DeleteAccount
          csrfToken={csrfToken}
          hasPassword={user.hasPassword}
          email={user.email}
          errors={props.deleteErrors}
          {...impact}
        />
      </div>
    </AppLayout>
  );
}
