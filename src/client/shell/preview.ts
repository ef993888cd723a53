/**
 * The web preview in the side panel (views/editor/_preview.tsx): opens it for the open HTML file
 * (else index.html), follows the page as HTML tabs change, reloads it when the server says a file
 * of the project changed (server-sent events, which also bring fresh tokens), and writes the
 * page's console to the Output panel — only messages whose source is the preview's own frame.
 */
import { $ } from "./dom.ts";
import { appendOutput } from "./run.ts";

interface Live {
  root: HTMLElement;
  frame: HTMLIFrameElement;
  events: EventSource;
  token: string;
  pending?: ReturnType<typeof setTimeout>;
}

let live: Live | undefined;

const htmlPage = (path: string | undefined) => (path && /\.html?$/i.test(path) ? path : undefined);
const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

function status(text: string, state: "ok" | "error" = "ok"): void {
  const el = live && $<HTMLElement>("[data-preview-status]", live.root);
  if (!el) return;
  el.textContent = text;
  el.dataset.state = state;
}

function pageUrl(preview: Live): string {
  const { previewBase = "", previewPage = "index.html" } = preview.root.dataset;
  // The token in the path, as pages are served: no redirect, and relative URLs keep it.
  return `${previewBase}~t.${preview.token}/${encodePath(previewPage)}`;
}

/** Reload the preview if one is showing (Ctrl-Enter with the preview open); true if it did. */
export function reloadPreview(): boolean {
  if (!live?.root.isConnected) return false;
  reload();
  return true;
}

/** Load the page again, with the newest token; the new-tab link follows. */
function reload(): void {
  if (!live) return;
  const url = pageUrl(live);
  live.frame.src = url;
  const tab = $<HTMLAnchorElement>("[data-preview-tab]", live.root);
  if (tab) tab.href = url;
}

function open(projectId: string): void {
  const page = htmlPage($<HTMLElement>("[data-editor]")?.dataset.path);
  const url = `/projects/${encodeURIComponent(projectId)}/preview${page ? `?file=${encodeURIComponent(page)}` : ""}`;
  const htmx = (window as { htmx?: { ajax(verb: string, url: string, ctx: object): Promise<unknown> } }).htmx;
  void htmx?.ajax("GET", url, { target: "#panel", swap: "innerHTML" });
}

function stop(): void {
  if (!live) return;
  live.events.close();
  clearTimeout(live.pending);
  live = undefined;
}

function start(root: HTMLElement): void {
  const frame = $<HTMLIFrameElement>("[data-preview-frame]", root);
  if (!frame || !root.dataset.previewEvents) return;
  stop();
  const events = new EventSource(root.dataset.previewEvents);
  const preview: Live = {
    root,
    frame,
    events,
    token: /\/~t\.([^/]+)\//.exec(frame.src)?.[1] ?? "",
  };
  live = preview;
  events.addEventListener("token", (e) => {
    preview.token = (JSON.parse(e.data) as { token: string }).token;
    const tab = $<HTMLAnchorElement>("[data-preview-tab]", root);
    if (tab) tab.href = pageUrl(preview);
  });
  // Saves come in bursts (a paste, a rename of a folder): one reload for each burst.
  events.addEventListener("change", () => {
    clearTimeout(preview.pending);
    preview.pending = setTimeout(reload, 100);
  });
  events.addEventListener("gone", () => {
    status("No longer available", "error");
    events.close();
  });
  // The stream reconnects by itself; changes made meanwhile were not announced, so reload then.
  let broken = false;
  events.addEventListener("open", () => {
    status("Live");
    if (broken) reload();
    broken = false;
  });
  events.addEventListener("error", () => {
    broken = true;
    status("Reconnecting…", "error");
  });
}

/** When the open file becomes another HTML page, the preview shows that page. */
function followOpenFile(): void {
  const page = htmlPage($<HTMLElement>("[data-editor]")?.dataset.path);
  if (!live || !page || page === live.root.dataset.previewPage) return;
  live.root.dataset.previewPage = page;
  const title = $<HTMLElement>("[data-preview-title]", live.root);
  if (title) title.textContent = page;
  reload();
}

function onConsole(e: MessageEvent): void {
  if (!live || e.source !== live.frame.contentWindow) return;
  const data = e.data as { aura?: unknown; level?: unknown; text?: unknown } | null;
  if (data?.aura !== "preview-console" || typeof data.text !== "string") return;
  const output = $<HTMLElement>("#output");
  if (output) output.hidden = false;
  const error = data.level === "error" || data.level === "warn";
  appendOutput(error ? "stderr" : "stdout", `${data.text}\n`);
}

export function listenForPreview(): void {
  document.addEventListener("click", (e) => {
    const target = e.target as Element;
    const opener = target.closest?.<HTMLElement>("[data-preview-open]");
    if (opener?.dataset.previewOpen) open(opener.dataset.previewOpen);
    if (target.closest?.("[data-preview-reload]")) reload();
  });
  document.addEventListener("htmx:after:swap", () => {
    const root = $<HTMLElement>("[data-preview]");
    if (root && root !== live?.root) start(root);
    else if (!root) stop();
    else followOpenFile();
  });
  // The panel's close button empties it without a swap.
  const panel = $("#panel");
  if (panel)
    new MutationObserver(() => {
      if (live && !live.root.isConnected) stop();
    }).observe(panel, { childList: true });
  window.addEventListener("message", onConsole);
}
