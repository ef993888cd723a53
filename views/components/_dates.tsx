/** Dates as every page writes them: in English and in UTC (the server does not know the viewer's zone). */
const MOMENT = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});
const DAY = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
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

/** "4 Dec 2026, 18:56 UTC". */
function formatMoment(at: Date): string {
  return `${MOMENT.format(at)} UTC`;
}

/** "4 December 2026". */
function formatDay(at: Date): string {
  return DAY.format(at);
}

/** "3 minutes ago", "yesterday": the coarsest unit that keeps the number small. */
function relativeTime(at: Date, now = new Date()): string {
  let value = (at.getTime() - now.getTime()) / 1000;
  if (Math.abs(value) < 45) return "just now";
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return RELATIVE.format(Math.round(value), unit);
    value /= size;
  }
  return RELATIVE.format(Math.round(value), "year");
}

/** A moment as a <time>, in UTC: the date and time, or the day alone. */
export function When({ at, dateOnly = false }: { at: Date; dateOnly?: boolean }) {
  return (
    <time datetime={at.toISOString()} safe>
      {dateOnly ? formatDay(at) : formatMoment(at)}
    </time>
  );
}

/** A moment as relative text, with the exact UTC time as its tooltip. */
export function Ago({ at }: { at: Date }) {
  return (
    <time datetime={at.toISOString()} title={formatMoment(at)} safe>
      {relativeTime(at)}
    </time>
  );
}
