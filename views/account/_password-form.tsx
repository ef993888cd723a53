import type { FieldErrors } from "../../src/features/auth/form-errors.ts";
import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { Field, FormAlert } from "../components/_field.tsx";
import { Notice, Section, sectionForm } from "./_section.tsx";

export interface PasswordFormProps {
  csrfToken: string;
  /** Whether the account has a password yet (an OAuth-only account sets its first one). */
  hasPassword: boolean;
  errors?: FieldErrors;
  notice?: string | undefined;
}

/** Change the password, or set one on an account that signs in only with Google or GitHub. */
export function PasswordForm({ csrfToken, hasPassword, errors = {}, notice }: PasswordFormProps) {
  return (
    <Section
      id="password"
      title={hasPassword ? "Password" : "Set a password"}
      intro={
        hasPassword
          ? "Changing it signs you out everywhere else."
          : "You sign in with Google or GitHub. A password lets you sign in with your email too; setting one signs you out everywhere else."
      }
    >
      <Notice text={notice} />
      <form {...sectionForm("/account/password", "password")} class="space-y-4">
        <CsrfField token={csrfToken} />
        <FormAlert message={errors.form} />
        {hasPassword ? (
          <Field
            name="currentPassword"
            label="Current password"
            type="password"
            autocomplete="current-password"
            error={errors.currentPassword}
          />
        ) : null}
        <Field
          name="newPassword"
          label="New password"
          type="password"
          autocomplete="new-password"
          hint="At least 10 characters."
          error={errors.newPassword}
        />
        <Button type="submit" variant="primary" size="lg">
          {hasPassword ? "Change password" : "Set password"}
        </Button>
      </form>
    </Section>
  );
}
