const FORMAT = new Intl.DateTimeFormat("en-GB", {
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

/** A moment as a <time>, in UTC (the server does not know the viewer's zone). */
export function When({ at, dateOnly = false }: { at: Date; dateOnly?: boolean }) {
  const text = dateOnly ? DAY.format(at) : `${FORMAT.format(at)} UTC`;
  return (
    <time datetime={at.toISOString()} safe>
      {text}
    </time>
  );
}
