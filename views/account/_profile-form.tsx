import type { FieldErrors } from "../../src/features/auth/form-errors.ts";
import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { Field, FormAlert } from "../components/_field.tsx";
import { Notice, Section, sectionForm } from "./_section.tsx";

export interface ProfileFormProps {
  csrfToken: string;
  values: { firstName: string | null; lastName: string | null };
  errors?: FieldErrors;
  notice?: string | undefined;
}

/** Change one's name. */
export function ProfileForm({ csrfToken, values, errors = {}, notice }: ProfileFormProps) {
  return (
    <Section id="profile" title="Name">
      <Notice text={notice} />
      <form {...sectionForm("/account/profile", "profile")} class="space-y-4">
        <CsrfField token={csrfToken} />
        <FormAlert message={errors.form} />
        <div class="grid gap-4 sm:grid-cols-2">
          <Field
            name="firstName"
            label="First name"
            autocomplete="given-name"
            maxlength="100"
            value={values.firstName ?? ""}
            error={errors.firstName}
            optional
          />
          <Field
            name="lastName"
            label="Last name"
            autocomplete="family-name"
            maxlength="100"
            value={values.lastName ?? ""}
            error={errors.lastName}
            optional
          />
        </div>
        <Button type="submit" variant="primary" size="lg">
          Save name
        </Button>
      </form>
    </Section>
  );
}
