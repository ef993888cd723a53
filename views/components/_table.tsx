import type { PropsWithChildren } from "@kitajs/html";

const CELL = "px-3 py-2 first:pl-0 last:pr-0";

/**
 * A plain data table: a row of column headings, then the rows (Tr of Td). Its first and last
 * columns line up with the text around it. Headings are plain text (escaped here).
 */
export function Table({
  columns,
  caption,
  class: layout,
  children,
}: PropsWithChildren<{ columns: string[]; caption?: string; class?: string }>) {
  return (
    <table class={`w-full text-left text-sm${layout ? ` ${layout}` : ""}`}>
      {caption ? (
        <caption class="sr-only" safe>
          {caption}
        </caption>
      ) : (
        ""
      )}
      <thead class="text-xs text-slate-500 dark:text-slate-400">
        <tr>
          {columns.map((column) => (
            <th scope="col" class={`${CELL} font-medium`} safe>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** A body row of a Table; `id` makes it a link target. */
export function Tr({ id, children }: PropsWithChildren<{ id?: string }>) {
  return (
    <tr id={id} class={`border-t border-slate-100 align-top dark:border-ink-700${id ? " scroll-mt-4" : ""}`}>
      {children}
    </tr>
  );
}

/** A cell of a Table; `class` sets its type (font-mono, tabular-nums, a colour), not its spacing. */
export function Td({
  class: type,
  children,
  ...attrs
}: PropsWithChildren<{ class?: string } & Omit<JSX.HtmlTag, "class">>) {
  return (
    <td {...attrs} class={type ? `${CELL} ${type}` : CELL}>
      {children}
    </td>
  );
}
