const ABSOLUTE = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});
const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

/** "3 minutes ago", "yesterday": the coarsest unit that keeps the number small. */
export function relativeTime(at: Date, now = new Date()): string {
  let value = (at.getTime() - now.getTime()) / 1000;
  if (Math.abs(value) < 45) return "just now";
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return RELATIVE.format(Math.round(value), unit);
    value /= size;
  }
  return RELATIVE.format(Math.round(value), "year");
}

/** A moment as relative text, with the exact UTC time as its tooltip. */
export function Ago({ at }: { at: Date }) {
  return (
    <time datetime={at.toISOString()} title={`${ABSOLUTE.format(at)} UTC`} safe>
      {relativeTime(at)}
    </time>
  );
}

export const LANGUAGE_LABELS: Record<string, string> = {
  javascript: "JavaScript",
  typescript: "TypeScript",
  python: "Python",
  html: "HTML",
  css: "CSS",
};

const BADGE: Record<string, string> = {
  javascript: "bg-amber-100 text-amber-800 dark:bg-amber-400/15 dark:text-amber-300",
  typescript: "bg-sky-100 text-sky-800 dark:bg-sky-400/15 dark:text-sky-300",
  python: "bg-emerald-100 text-emerald-800 dark:bg-emerald-400/15 dark:text-emerald-300",
  html: "bg-orange-100 text-orange-800 dark:bg-orange-400/15 dark:text-orange-300",
  css: "bg-violet-100 text-violet-800 dark:bg-violet-400/15 dark:text-violet-300",
};

/** The project's language as a small coloured pill. */
export function LanguageBadge({ language }: { language: string | null }) {
  const key = language ?? "";
  return (
    <span
      class={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${BADGE[key] ?? "bg-slate-100 text-slate-700 dark:bg-ink-700 dark:text-slate-300"}`}
      safe
    >
      {LANGUAGE_LABELS[key] ?? (language || "Other")}
    </span>
  );
}

export const BUTTON =
  "inline-flex items-center justify-center gap-1.5 whitespace-nowrap rounded-lg border border-slate-300 px-3 py-2 " +
  "text-sm font-medium transition hover:bg-slate-50 disabled:opacity-60 dark:border-ink-700 dark:hover:bg-ink-700";
export const PRIMARY =
  "inline-flex items-center justify-center gap-1.5 whitespace-nowrap rounded-lg bg-aura-600 px-3.5 py-2 text-sm " +
  "font-medium text-white shadow-sm transition hover:bg-aura-700 disabled:cursor-wait disabled:opacity-80";
export const DANGER =
  "inline-flex items-center justify-center gap-1.5 whitespace-nowrap rounded-lg bg-red-600 px-3.5 py-2 text-sm " +
  "font-medium text-white shadow-sm transition hover:bg-red-700 disabled:cursor-wait disabled:opacity-80";
export const DIALOG =
  "m-auto w-[calc(100%-2rem)] max-w-lg rounded-2xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl " +
  "backdrop:bg-slate-950/50 dark:border-ink-700 dark:bg-ink-800 dark:text-slate-100";
export const INPUT =
  "mt-1.5 block w-full rounded-lg border bg-white px-3 py-2.5 text-base shadow-sm outline-none transition " +
  "focus:ring-2 dark:bg-ink-900 sm:text-sm";
export const INPUT_OK = "border-slate-300 focus:border-aura-500 focus:ring-aura-500/30 dark:border-ink-700";
export const INPUT_BAD = "border-red-500 focus:border-red-500 focus:ring-red-500/30";
