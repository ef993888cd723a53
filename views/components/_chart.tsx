/** The colours of a chart's series, in order: the bar's fill and the legend's swatch. */
const SERIES = [
  { fill: "fill-aura-500", swatch: "bg-aura-500" },
  { fill: "fill-emerald-500", swatch: "bg-emerald-500" },
] as const;
const seriesOf = (i: number) => SERIES[i % SERIES.length] ?? SERIES[0];
const LABEL = "fill-slate-500 text-[11px]";

export interface Bar {
  label: string;
  value: number;
  /** Shown on hover and read by screen readers. */
  title: string;
}

/**
 * A vertical bar chart as inline SVG: one bar per item, the largest value as the scale, the
 * first and last labels under the axis. No script; each bar's <title> is its tooltip.
 */
export function BarChart({
  bars,
  caption,
  unit,
}: {
  bars: Bar[];
  caption: string;
  unit: (n: number) => string;
}) {
  const width = 600;
  const height = 140;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const step = width / Math.max(1, bars.length);
  const gap = Math.min(4, step * 0.2);
  return (
    <figure class="mt-3">
      <svg
        viewBox={`0 0 ${width} ${height + 18}`}
        class="h-auto w-full"
        role="img"
        aria-label={`${caption}: highest ${unit(max)}`}
      >
        <line
          x1="0"
          y1={String(height)}
          x2={String(width)}
          y2={String(height)}
          class="stroke-slate-300 dark:stroke-ink-700"
        />
        {bars.map((b, i) => {
          const h = max > 0 ? Math.max(b.value > 0 ? 1 : 0, (b.value / max) * (height - 8)) : 0;
          return (
            <rect
              x={(i * step + gap / 2).toFixed(1)}
              y={(height - h).toFixed(1)}
              width={(step - gap).toFixed(1)}
              height={h.toFixed(1)}
              rx="1.5"
              class={seriesOf(0).fill}
            >
              <title safe>{b.title}</title>
            </rect>
          );
        })}
        <text x="0" y={String(height + 14)} class={LABEL} safe>
          {bars[0]?.label ?? ""}
        </text>
        <text x={String(width)} y={String(height + 14)} text-anchor="end" class={LABEL} safe>
          {bars.at(-1)?.label ?? ""}
        </text>
        <text x="2" y="10" class={LABEL} safe>
          {unit(max)}
        </text>
      </svg>
      <figcaption class="sr-only" safe>
        {caption}
      </figcaption>
    </figure>
  );
}

export interface StackedRow {
  label: string;
  /** One part per series, in the order of the legend. */
  parts: { value: number; title: string }[];
  /** The row's total as written after its bar. */
  total: string;
}

/**
 * Horizontal bars, one row per item, each the series' parts stacked, the longest row as the
 * scale. Drawn at about the size it is shown (half the page), so its text stays readable.
 */
export function StackedBarChart({ rows, label }: { rows: StackedRow[]; label: string }) {
  const width = 380;
  const row = 26;
  const labelWidth = 130;
  const sum = (r: StackedRow) => r.parts.reduce((s, p) => s + p.value, 0);
  const max = Math.max(1, ...rows.map(sum));
  const scale = (n: number) => (n / max) * (width - labelWidth - 60);
  return (
    <svg
      viewBox={`0 0 ${width} ${Math.max(1, rows.length) * row}`}
      class="mt-3 h-auto w-full"
      role="img"
      aria-label={label}
    >
      {rows.map((r, i) => {
        const y = i * row;
        let x = labelWidth;
        return (
          <g>
            <text x="0" y={String(y + 17)} class="fill-current text-[12px]" safe>
              {r.label.length > 19 ? `${r.label.slice(0, 18)}…` : r.label}
            </text>
            {r.parts.map((p, j) => {
              const at = x;
              x += scale(p.value);
              return (
                <rect
                  x={at.toFixed(1)}
                  y={String(y + 5)}
                  width={scale(p.value).toFixed(1)}
                  height="16"
                  class={seriesOf(j).fill}
                >
                  <title safe>{p.title}</title>
                </rect>
              );
            })}
            <text x={(labelWidth + scale(sum(r)) + 6).toFixed(1)} y={String(y + 17)} class={LABEL} safe>
              {r.total}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** What each colour of a chart stands for, in the order of its series. */
export function ChartLegend({ series }: { series: string[] }) {
  return (
    <p class="mt-2 flex gap-4 text-xs text-slate-500">
      {series.map((name, i) => (
        <span>
          <span class={`mr-1 inline-block size-2.5 rounded-sm ${seriesOf(i).swatch}`}></span>
          <span safe>{name}</span>
        </span>
      ))}
    </p>
  );
}
