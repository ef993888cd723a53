import type { FieldErrors } from "../../src/features/auth/form-errors.ts";
import { LANGUAGES } from "../../src/features/projects/model.ts";
import { TEMPLATES } from "../../src/features/projects/templates.ts";
import { CsrfField } from "../components/_csrf-field.tsx";
import { Field, FormAlert } from "../components/_field.tsx";
import { BUTTON, INPUT, INPUT_BAD, INPUT_OK, LANGUAGE_LABELS, PRIMARY } from "./_format.tsx";

export interface NewProjectValues {
  name?: string;
  description?: string;
  language?: string;
  template?: string;
}

const LABEL = "block text-sm font-medium text-slate-700 dark:text-slate-200";
const ERROR = "mt-1.5 text-sm text-red-600 dark:text-red-400";

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
      <label for="field-template" class={LABEL}>
        Template
      </label>
      <select
        id="field-template"
        name="template"
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? "field-template-error" : "field-template-hint"}
        class={`${INPUT} ${error ? INPUT_BAD : INPUT_OK}`}
      >
        {templates.map((t) => (
          <option value={t.id} selected={t.id === value} safe>
            {t.name}
          </option>
        ))}
      </select>
      <p
        id={error ? "field-template-error" : "field-template-hint"}
        class={error ? ERROR : "mt-1.5 text-xs text-slate-500"}
        safe
      >
        {error ?? (templates.find((t) => t.id === value) ?? templates[0])?.description ?? ""}
      </p>
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
      <h2 id="new-project-title" class="text-lg font-semibold">
        New project
      </h2>
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
      <div>
        <label for="field-description" class={LABEL}>
          Description <span class="font-normal text-slate-500">(optional)</span>
        </label>
        <textarea
          id="field-description"
          name="description"
          rows="2"
          maxlength="500"
          aria-invalid={errors.description ? "true" : undefined}
          aria-describedby={errors.description ? "field-description-error" : undefined}
          class={`${INPUT} ${errors.description ? INPUT_BAD : INPUT_OK}`}
          safe
        >
          {values.description ?? ""}
        </textarea>
        {errors.description ? (
          <p id="field-description-error" class={ERROR} safe>
            {errors.description}
          </p>
        ) : null}
      </div>
      <div class="grid gap-4 sm:grid-cols-[10rem_1fr]">
        <div>
          <label for="field-language" class={LABEL}>
            Language
          </label>
          <select
            id="field-language"
            name="language"
            hx-get="/projects/templates"
            hx-target="#template-field"
            hx-swap="outerHTML"
            class={`${INPUT} ${INPUT_OK}`}
          >
            {LANGUAGES.map((l) => (
              <option value={l} selected={l === language} safe>
                {LANGUAGE_LABELS[l] ?? l}
              </option>
            ))}
          </select>
        </div>
        <TemplateField language={language} value={values.template} error={errors.template} />
      </div>
      <div class="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">
        <button type="button" commandfor="new-project" command="close" class={BUTTON}>
          Cancel
        </button>
        <button type="submit" class={PRIMARY}>
          Create project
        </button>
      </div>
    </form>
  );
}
