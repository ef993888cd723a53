/** The most files kept open as tabs; the oldest other tab goes first. */
const MAX_TABS = 8;

// Paths never contain control characters (paths.ts), so a newline can join them in one field.
const SEPARATOR = "\n";

export function encodeTabs(tabs: string[]): string {
  return tabs.join(SEPARATOR);
}

export function decodeTabs(value: string | null | undefined): string[] {
  return (value ?? "").split(SEPARATOR).filter((p) => p.length > 0 && p.length <= 600);
}

/**
 * The tab strip after opening `file`: the open tabs in their order, `file` appended when new,
 * `close` removed, only paths that still `exist` (when known), at most MAX_TABS.
 */
export function nextTabs(
  open: string[],
  file: string | undefined,
  { close, exists }: { close?: string | undefined; exists?: (path: string) => boolean } = {},
): string[] {
  let tabs = [...new Set(open)].filter((p) => p !== close && (!exists || exists(p)));
  if (file && !tabs.includes(file)) tabs.push(file);
  while (tabs.length > MAX_TABS) {
    const drop = tabs.findIndex((p) => p !== file);
    tabs = tabs.filter((_, i) => i !== drop);
  }
  return tabs;
}

/** Where a path lands after `from` is renamed to `to` (a file, or a folder and all under it). */
export function renamedPath(path: string, from: string, to: string): string {
  if (path === from) return to;
  return path.startsWith(`${from}/`) ? to + path.slice(from.length) : path;
}

/** True when `path` is `target` or lies under the folder `target`. */
export function isUnder(path: string, target: string): boolean {
  return path === target || path.startsWith(`${target}/`);
}
