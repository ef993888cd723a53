/** Prose from the OpenAPI document, with its `backticked` parts set as code. Everything is escaped. */
export function DocText({ text, class: className }: { text: string | undefined; class?: string }) {
  if (!text) return "";
  const parts = text.split("`");
  return (
    <p class={className ?? "mt-1 text-sm text-slate-600 dark:text-slate-300"}>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <code class="rounded bg-slate-100 px-1 font-mono text-[0.85em] dark:bg-ink-800" safe>
            {part}
          </code>
        ) : (
          <span safe>{part}</span>
        ),
      )}
    </p>
  );
}
