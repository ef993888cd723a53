import type { PropsWithChildren } from "@kitajs/html";
import { buttonClass } from "./_button.tsx";

/** md: forms on pages and in dialogs · sm: compact controls in panels, toolbars and lists. */
export type InputSize = "md" | "sm";

const INPUT_SIZES: Record<InputSize, string> = {
  md: "block w-full rounded-lg px-3 py-2.5 text-base shadow-sm sm:text-sm",
  sm: "rounded-md px-2 py-1.5 text-sm",
};
const INPUT_BASE =
  "border bg-white outline-none transition placeholder:text-slate-400 focus:ring-2 dark:bg-ink-900";
const INPUT_OK = "border-slate-300 focus:border-aura-500 focus:ring-aura-500/30 dark:border-ink-700";
const INPUT_BAD = "border-red-500 focus:border-red-500 focus:ring-red-500/30 dark:border-red-500";

/** The classes of a text input, textarea or select; red when it holds an error. */
export function inputClass(size: InputSize = "md", error?: unknown): string {
  return `${INPUT_BASE} ${INPUT_SIZES[size]} ${error ? INPUT_BAD : INPUT_OK}`;
}

/** The classes of a field's label. */
export const LABEL = "block text-sm font-medium text-slate-700 dark:text-slate-200";

/** The label of a field, "(optional)" after it when the field may be left empty. */
function FieldLabel({ id, label, optional }: { id: string; label: string; optional?: boolean | undefined }) {
  if (!optional)
    return (
      <label for={id} class={LABEL} safe>
        {label}
      </label>
    );
  return (
    <label for={id} class={LABEL}>
      <span safe>{label}</span> <span class="font-normal text-slate-500">(optional)</span>
    </label>
  );
}

/** The classes of the red line under a field that says what is wrong with it. */
export const FIELD_ERROR = "mt-1.5 text-sm text-red-600 dark:text-red-400";

/** The line under a field: its error (red) or its hint. */
function FieldNote({
  id,
  error,
  hint,
}: {
  id: string;
  error?: string | undefined;
  hint?: string | undefined;
}) {
  const note = error ?? hint;
  if (!note) return "";
  return (
    <p id={id} class={error ? FIELD_ERROR : "mt-1.5 text-xs text-slate-500"} safe>
      {note}
    </p>
  );
}

interface FieldBase {
  name: string;
  label: string;
  /** The control's id; `field-<name>` unless given (several forms on one page). */
  id?: string;
  error?: string | undefined;
  hint?: string | undefined;
  optional?: boolean;
}

/** The ids of a field's control and note, and its aria wiring: aria-invalid, aria-describedby. */
function wiring({ name, id: given, error, hint }: FieldBase) {
  const id = given ?? `field-${name}`;
  const noteId = `${id}-${error ? "error" : "hint"}`;
  return {
    id,
    noteId,
    aria: {
      "aria-invalid": error ? "true" : undefined,
      "aria-describedby": (error ?? hint) ? noteId : undefined,
    },
  };
}

export interface FieldProps extends FieldBase {
  type?: "text" | "email" | "password";
  value?: string | undefined;
  autocomplete: string;
  autofocus?: boolean;
  maxlength?: string;
}

/** A labelled input with its hint or error below, wired up with aria-invalid and aria-describedby. */
export function Field(props: FieldProps) {
  const {
    name,
    label,
    type = "text",
    value,
    error,
    hint,
    autocomplete,
    autofocus,
    maxlength,
    optional,
  } = props;
  const { id, noteId, aria } = wiring(props);
  return (
    <div>
      <FieldLabel id={id} label={label} optional={optional} />
      <input
        id={id}
        name={name}
        type={type}
        value={type === "password" ? undefined : value}
        maxlength={maxlength}
        autocomplete={autocomplete}
        required={!optional}
        autofocus={autofocus}
        {...aria}
        class={`mt-1.5 ${inputClass("md", error)}`}
      />
      <FieldNote id={noteId} error={error} hint={hint} />
    </div>
  );
}

/** A labelled textarea, as Field; its value is escaped. */
export function TextareaField(
  props: FieldBase & { value?: string | undefined; rows?: string; maxlength?: string },
) {
  const { name, label, value, error, hint, rows, maxlength, optional } = props;
  const { id, noteId, aria } = wiring(props);
  return (
    <div>
      <FieldLabel id={id} label={label} optional={optional} />
      <textarea
        id={id}
        name={name}
        rows={rows}
        maxlength={maxlength}
        required={!optional}
        {...aria}
        class={`mt-1.5 ${inputClass("md", error)}`}
        safe
      >
        {value ?? ""}
      </textarea>
      <FieldNote id={noteId} error={error} hint={hint} />
    </div>
  );
}

/** A labelled select, as Field; its options are the children, and other attributes (hx-*) go on the select. */
export function SelectField({
  name,
  label,
  id: given,
  error,
  hint,
  optional,
  children,
  ...attrs
}: PropsWithChildren<FieldBase & Omit<JSX.HtmlSelectTag, "id" | "name" | "class">>) {
  const { id, noteId, aria } = wiring({ name, label, id: given, error, hint });
  return (
    <div>
      <FieldLabel id={id} label={label} optional={optional} />
      <select id={id} name={name} {...attrs} {...aria} class={`mt-1.5 ${inputClass("md", error)}`}>
        {children}
      </select>
      <FieldNote id={noteId} error={error} hint={hint} />
    </div>
  );
}

/** A message about the whole form (wrong credentials, rate limit), announced to screen readers. */
export function FormAlert({ message }: { message: string | undefined }) {
  if (!message) return "";
  return (
    <div
      role="alert"
      class="rounded-lg border border-red-300 bg-red-50 px-3 py-2.5 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200"
    >
      <p safe>{message}</p>
    </div>
  );
}

/** The primary submit button; its spinner shows while htmx has the form's request in flight. */
export function SubmitButton({ label }: { label: string }) {
  return (
    <button type="submit" class={`${buttonClass("primary", "xl")} relative w-full`}>
      <svg
        class="htmx-indicator absolute left-4 size-4 animate-spin"
        viewBox="0 0 24 24"
        fill="none"
        aria-hidden="true"
      >
        <circle cx="12" cy="12" r="10" stroke="currentColor" stroke-width="3" opacity="0.25" />
        <path d="M22 12a10 10 0 0 0-10-10" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
      </svg>
      <span safe>{label}</span>
    </button>
  );
}
