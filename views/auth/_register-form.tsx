import type { FieldErrors } from "../../src/features/auth/form-errors.ts";
import { CsrfField } from "../components/_csrf-field.tsx";
import { Field, FormAlert, SubmitButton } from "../components/_field.tsx";
import { withNext } from "./urls.ts";

export interface RegisterFormProps {
  csrfToken: string;
  /** A validated same-origin path to go to once signed up. */
  next?: string | undefined;
  values?: { email?: string; firstName?: string; lastName?: string };
  errors?: FieldErrors;
}

const ORDER = ["firstName", "lastName", "email", "password"];

/** The sign-up form; posted by htmx it comes back alone with errors inline, or as a plain form. */
export function RegisterForm({ csrfToken, next, values = {}, errors = {} }: RegisterFormProps) {
  const first = ORDER.find((name) => errors[name]);
  const action = withNext("/register", next);
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
      <div class="grid gap-4 sm:grid-cols-2">
        <Field
          name="firstName"
          label="First name"
          autocomplete="given-name"
          value={values.firstName}
          error={errors.firstName}
          autofocus={first === "firstName"}
        />
        <Field
          name="lastName"
          label="Last name"
          autocomplete="family-name"
          value={values.lastName}
          error={errors.lastName}
          autofocus={first === "lastName"}
        />
      </div>
      <Field
        name="email"
        label="Email"
        type="email"
        autocomplete="email"
        value={values.email}
        error={errors.email}
        autofocus={first === "email"}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autocomplete="new-password"
        hint="At least 10 characters."
        error={errors.password}
        autofocus={first === "password"}
      />
      <SubmitButton label="Create account" />
    </form>
  );
}
