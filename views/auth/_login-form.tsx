import type { FieldErrors } from "../../src/features/auth/form-errors.ts";
import { CsrfField } from "../components/_csrf-field.tsx";
import { Field, FormAlert, SubmitButton } from "../components/_field.tsx";
import { withNext } from "./urls.ts";

export interface LoginFormProps {
  csrfToken: string;
  /** A validated same-origin path to return to after signing in. */
  next?: string | undefined;
  values?: { email?: string };
  errors?: FieldErrors;
}

/** The sign-in form; posted by htmx it comes back alone with its errors, or as a plain form. */
export function LoginForm({ csrfToken, next, values = {}, errors = {} }: LoginFormProps) {
  const action = withNext("/login", next);
  return (
    <form
      method="post"
      action={action}
      hx-post={action}
      hx-target="this"
      hx-swap="outerHTML"
      hx-disable="find button"
      class="space-y-4"
    >
      <CsrfField token={csrfToken} />
      <FormAlert message={errors.form} />
      <Field
        name="email"
        label="Email"
        type="email"
        autocomplete="username"
        value={values.email}
        error={errors.email}
        autofocus={Boolean(errors.email)}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autocomplete="current-password"
        error={errors.password}
        autofocus={Boolean(errors.form || (errors.password && !errors.email))}
      />
      <SubmitButton label="Sign in" />
    </form>
  );
}
