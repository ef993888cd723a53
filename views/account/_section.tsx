import type { PropsWithChildren } from "@kitajs/html";

/** A notice after a change: `ok` in the page's accent, `error` in red; announced to screen readers. */
export function Notice({ text, tone = "ok" }: { text: string | undefined; tone?: "ok" | "error" }) {
  if (!text) return "";
  const look =
    tone === "ok"
      ? "bg-aura-50 text-aura-700 dark:bg-ink-700 dark:text-aura-400"
      : "border border-red-300 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200";
  return (
    <p role={tone === "ok" ? "status" : "alert"} class={`rounded-lg px-3 py-2.5 text-sm ${look}`} safe>
      {text}
    </p>
  );
}

/**
 * One part of the account page: a titled card with its own id, which its form's htmx answer
 * replaces (`hx-target` the section, `outerHTML`), so each part is both page and fragment.
 */
export function Section({
  id,
  title,
  intro,
  danger,
  children,
}: PropsWithChildren<{ id: string; title: string; intro?: string; danger?: boolean }>) {
  const border = danger ? "border-red-300 dark:border-red-900" : "border-slate-200 dark:border-ink-700";
  return (
    <section id={id} aria-labelledby={`${id}-title`} class={`rounded-2xl border ${border} px-5 py-5`}>
      <h2 id={`${id}-title`} class="text-lg font-semibold" safe>
        {title}
      </h2>
      {intro ? (
        <p class="mt-1 text-sm text-slate-600 dark:text-slate-300" safe>
          {intro}
        </p>
      ) : null}
      <div class="mt-4 space-y-4">{children}</div>
    </section>
  );
}

/** The attributes of a form that posts to `action` and, with htmx, swaps its section with the answer. */
export function sectionForm(action: string, section: string) {
  return {
    method: "post",
    action,
    "hx-post": action,
    "hx-target": `#${section}`,
    "hx-swap": "outerHTML",
    "hx-disable": "find button",
  };
}
