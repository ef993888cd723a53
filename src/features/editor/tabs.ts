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

/** The cookie that keeps a project's tabs across reloads; its path scopes it to the project's pages. */
const TABS_COOKIE = "aura-tabs";
const TABS_COOKIE_DAYS = 30;
/** Encoded, at most this long: a browser keeps about 4 KB per cookie. */
const TABS_COOKIE_CHARS = 3000;

const projectPath = (projectId: string) => `/projects/${encodeURIComponent(projectId)}`;

/**
 * The Set-Cookie header that remembers `tabs` (and `current`, the open one) for the project in
 * this browser: the oldest other tabs go when they would not fit. No current file clears it.
 */
export function tabsCookie(projectId: string, tabs: string[], current: string | undefined, secure: boolean) {
  const attrs = `Path=${projectPath(projectId)}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
  const cleared = `${TABS_COOKIE}=; ${attrs}; Max-Age=0`;
  if (!current) return cleared;
  // The open file first, then the tab strip in its order.
  const encode = (strip: string[]) => encodeURIComponent(encodeTabs([current, ...strip]));
  let strip = tabs.includes(current) ? tabs : [...tabs, current];
  while (encode(strip).length > TABS_COOKIE_CHARS && strip.length > 1) {
    const drop = strip.findIndex((p) => p !== current);
    strip = strip.filter((_, i) => i !== drop);
  }
  if (encode(strip).length > TABS_COOKIE_CHARS) return cleared;
  return `${TABS_COOKIE}=${encode(strip)}; ${attrs}; Max-Age=${TABS_COOKIE_DAYS * 86_400}`;
}

/** The tabs this browser had open in the project (from tabsCookie), and which one was showing. */
export function savedTabs(request: Request): { tabs: string[]; current: string | undefined } {
  const none = { tabs: [], current: undefined };
  const part = (request.headers.get("cookie") ?? "")
    .split(/;\s*/)
    .find((c) => c.startsWith(`${TABS_COOKIE}=`));
  if (!part) return none;
  let value: string;
  try {
    value = decodeURIComponent(part.slice(TABS_COOKIE.length + 1));
  } catch {
    // Not written by tabsCookie (a hand-edited cookie): as if there were none.
    return none;
  }
  const [current, ...tabs] = decodeTabs(value);
  return current ? { tabs, current } : none;
}
