import type { FieldErrors } from "../../src/features/auth/form-errors.ts";
import { LANGUAGES } from "../../src/features/projects/model.ts";
import { TEMPLATES } from "../../src/features/projects/templates.ts";
import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { DialogActions, DialogTitle } from "../components/_dialog.tsx";
import { Field, FormAlert, SelectField, TextareaField } from "../components/_field.tsx";
import { LANGUAGE_LABELS } from "./_format.tsx";

export interface NewProjectValues {
  name?: string;
  description?: string;
  language?: string;
  template?: string;
}

/** The template choice for one language; swapped alone (hx-get) when the language changes. */
export function TemplateField({
  language,
  value,
  error,
}: {
  language: string;
  value?: string;
  error?: string;
}) {
  const templates = TEMPLATES.filter((t) => t.language === language);
  return (
    <div id="template-field">
      <SelectField
        name="template"
        label="Template"
        error={error}
        hint={(templates.find((t) => t.id === value) ?? templates[0])?.description}
      >
        {templates.map((t) => (
          <option value={t.id} selected={t.id === value} safe>
            {t.name}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

/** The "New project" form; posted by htmx it comes back alone (422) with errors inline and values kept. */
export function NewProjectForm({
  csrfToken,
  values = {},
  errors = {},
}: {
  csrfToken: string;
  values?: NewProjectValues;
  errors?: FieldErrors;
}) {
  const language = LANGUAGES.includes(values.language as never) ? values.language! : "javascript";
  return (
    <form
      id="new-project-form"
      method="post"
      action="/projects"
      hx-post="/projects"
      hx-target="this"
      hx-swap="outerHTML"
      hx-disable="find button[type=submit]"
      class="space-y-4 p-5 sm:p-6"
    >
      <DialogTitle id="new-project-title">New project</DialogTitle>
      <CsrfField token={csrfToken} />
      <FormAlert message={errors.form} />
      <Field
        name="name"
        label="Name"
        value={values.name}
        error={errors.name}
        autocomplete="off"
        autofocus={!errors.description}
      />
      <TextareaField
        name="description"
        label="Description"
        optional
        rows="2"
        maxlength="500"
        value={values.description}
        error={errors.description}
      />
      <div class="grid gap-4 sm:grid-cols-[10rem_1fr]">
        <SelectField
          name="language"
          label="Language"
          hx-get="/projects/templates"
          hx-target="#template-field"
          hx-swap="outerHTML"
        >
          {LANGUAGES.map((l) => (
            <option value={l} selected={l === language} safe>
              {LANGUAGE_LABELS[l] ?? l}
            </option>
          ))}
        </SelectField>
        <TemplateField language={language} value={values.template} error={errors.template} />
      </div>
      <DialogActions>
        <Button commandfor="new-project" command="close" size="lg">
          Cancel
        </Button>
        <Button type="submit" variant="primary" size="lg">
          Create project
        </Button>
      </DialogActions>
    </form>
  );
}
