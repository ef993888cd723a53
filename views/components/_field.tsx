export interface FieldProps {
  name: string;
  label: string;
  type?: "text" | "email" | "password";
  value?: string | undefined;
  error?: string | undefined;
  hint?: string;
  autocomplete: string;
  autofocus?: boolean;
}

const INPUT =
  "mt-1.5 block w-full rounded-lg border bg-white px-3 py-2.5 text-base shadow-sm outline-none transition " +
  "placeholder:text-slate-400 focus:ring-2 dark:bg-ink-800 sm:text-sm";
const OK = "border-slate-300 focus:border-aura-500 focus:ring-aura-500/30 dark:border-ink-700";
const BAD = "border-red-500 focus:border-red-500 focus:ring-red-500/30 dark:border-red-500";

/** A labelled input with its hint or error below, wired up with aria-invalid and aria-describedby. */
export function Field({
  name,
  label,
  type = "text",
  value,
  error,
  hint,
  autocomplete,
  autofocus,
}: FieldProps) {
  const id = `field-${name}`;
  const noteId = `${id}-${error ? "error" : "hint"}`;
  const note = error ?? hint;
  return (
    <div>
      <label for={id} class="block text-sm font-medium text-slate-700 dark:text-slate-200" safe>
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        value={type === "password" ? undefined : value}
        autocomplete={autocomplete}
        required
        autofocus={autofocus}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={note ? noteId : undefined}
        class={`${INPUT} ${error ? BAD : OK}`}
      />
      {note ? (
        <p
          id={noteId}
          class={error ? "mt-1.5 text-sm text-red-600 dark:text-red-400" : "mt-1.5 text-xs text-slate-500"}
          safe
        >
          {note}
        </p>
      ) : null}
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
    <button
      type="submit"
      class="relative flex w-full items-center justify-center rounded-lg bg-aura-600 px-4 py-2.5 font-medium text-white shadow-sm transition hover:bg-aura-700 disabled:cursor-wait disabled:opacity-80"
    >
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
