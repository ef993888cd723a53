import type { PropsWithChildren } from "@kitajs/html";

export type BadgeTone = "neutral" | "aura" | "amber" | "sky" | "emerald" | "orange" | "violet" | "red";

const TONES: Record<BadgeTone, string> = {
  neutral: "bg-slate-100 text-slate-700 dark:bg-ink-700 dark:text-slate-300",
  aura: "bg-aura-50 text-aura-700 dark:bg-aura-400/15 dark:text-aura-400",
  amber: "bg-amber-100 text-amber-800 dark:bg-amber-400/15 dark:text-amber-300",
  sky: "bg-sky-100 text-sky-800 dark:bg-sky-400/15 dark:text-sky-300",
  emerald: "bg-emerald-100 text-emerald-800 dark:bg-emerald-400/15 dark:text-emerald-300",
  orange: "bg-orange-100 text-orange-800 dark:bg-orange-400/15 dark:text-orange-300",
  violet: "bg-violet-100 text-violet-800 dark:bg-violet-400/15 dark:text-violet-300",
  red: "bg-red-100 text-red-800 dark:bg-red-400/15 dark:text-red-300",
};

/**
 * A small coloured label: a status ("This device", "current"), a kind (a language) or, with
 * `code`, a literal in monospace capitals (an HTTP method). Text children are escaped by the
 * caller (`safe` on the Badge works).
 */
export function Badge({
  tone = "neutral",
  code = false,
  class: layout,
  children,
  ...attrs
}: PropsWithChildren<{ tone?: BadgeTone; code?: boolean; class?: string } & Omit<JSX.HtmlTag, "class">>) {
  const shape = code
    ? "rounded px-1.5 py-0.5 font-mono font-semibold uppercase"
    : "rounded-full px-2 py-0.5 font-medium";
  return (
    <span
      {...attrs}
      class={`inline-flex items-center text-xs ${shape} ${TONES[tone]}${layout ? ` ${layout}` : ""}`}
    >
      {children}
    </span>
  );
}
