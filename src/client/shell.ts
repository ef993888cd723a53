/**
 * The project page's glue, loaded before the editor: toasts for the island's aura:* events,
 * the file tree's keyboard model (WAI-ARIA tree, roving tabindex), the tree dialogs, and
 * Ctrl/Cmd-S and -P when focus is outside the editor, and Run (button or Ctrl/Cmd-Enter) with
 * its streamed output. Talks to the island only through DOM events and data attributes.
 */

const TOAST_MS = 6000;
const $ = <T extends Element>(selector: string, root: ParentNode = document) =>
  root.querySelector<T>(selector);

function toast(message: string, kind: "success" | "error" | "info" = "info"): void {
  const region = $("#toasts");
  if (!region) return;
  const el = document.createElement("div");
  el.className = `pointer-events-auto rounded-lg border px-4 py-2.5 text-sm shadow-lg ${kind === "error" ? "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100" : "border-slate-300 bg-white text-slate-900 dark:border-ink-700 dark:bg-ink-800 dark:text-slate-100"}`;
  el.dataset.toast = kind;
  el.textContent = message;
  region.append(el);
}

// Every toast leaves after a while, whether the server or this module added it.
function expireToasts(region: Element): void {
  for (const el of region.children) {
    const item = el as HTMLElement;
    if (item.dataset.expires) continue;
    item.dataset.expires = "1";
    setTimeout(() => item.remove(), TOAST_MS);
  }
}

let offline = false;
document.addEventListener("aura:offline", () => {
  if (!offline) toast("You are offline. Edits are kept in this browser and sent when you reconnect.");
  offline = true;
});
document.addEventListener("aura:saved", () => {
  if (offline) toast("Back online: your edits are saved.", "success");
  offline = false;
});
// The server closed the open file's live document for good (signed out, file gone, too large).
document.addEventListener("aura:live-closed", (e) => {
  const { path, message } = (e as CustomEvent<{ path?: string; message?: string }>).detail ?? {};
  toast(`${path ?? "This file"}: ${message ?? "disconnected"}`, "error");
});
document.addEventListener("aura:analyzed", (e) => {
  const { summary, count } = (e as CustomEvent<{ summary?: string; count?: number }>).detail ?? {};
  toast(
    `${summary ?? "Analysis done."} ${count ? `${count} finding(s) are marked in the editor.` : "Nothing to report."}`,
  );
});
document.addEventListener("aura:ai-error", (e) => {
  toast((e as CustomEvent<{ message?: string }>).detail?.message ?? "The AI request failed.", "error");
});

// --- The file tree (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/) ---

const items = (tree: Element) =>
  [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')].filter(
    (el) => !el.parentElement?.closest('[aria-expanded="false"]'),
  );

function focusItem(item: HTMLElement | undefined): void {
  if (!item) return;
  const tree = item.closest('[role="tree"]');
  for (const el of tree?.querySelectorAll<HTMLElement>('[tabindex="0"]') ?? []) el.tabIndex = -1;
  item.tabIndex = 0;
  item.focus();
}

function openDialog(id: string, path: string): void {
  const dialog = document.getElementById(id) as HTMLDialogElement | null;
  if (!dialog) return;
  fillDialog(dialog, path);
  dialog.showModal();
}

function fillDialog(dialog: HTMLDialogElement, path: string): void {
  for (const el of dialog.querySelectorAll<HTMLInputElement>("[data-path-from]")) el.value = path;
  for (const el of dialog.querySelectorAll<HTMLElement>("[data-path-text]")) el.textContent = path;
  const input = $<HTMLInputElement>("[data-path-field]", dialog);
  if (input) {
    // New files go into the folder they were asked for from; a rename starts from the old path.
    input.value = dialog.id === "create-dialog" ? (path ? `${path}/` : "") : path;
    setTimeout(() => input.setSelectionRange(input.value.lastIndexOf("/") + 1, input.value.length));
  }
}

function toggle(item: HTMLElement, open?: boolean): void {
  if (item.dataset.kind !== "folder") return;
  item.setAttribute("aria-expanded", String(open ?? item.getAttribute("aria-expanded") !== "true"));
}

function onTreeKey(e: KeyboardEvent): void {
  const item = (e.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
  const tree = item?.closest('[role="tree"]');
  if (!item || !tree || e.target !== item) return;
  const list = items(tree);
  const at = list.indexOf(item);
  const folder = item.dataset.kind === "folder";
  const expanded = item.getAttribute("aria-expanded") === "true";
  const parent = item.parentElement?.closest<HTMLElement>('[role="treeitem"]') ?? undefined;
  const moves: Record<string, () => void> = {
    ArrowDown: () => focusItem(list[at + 1]),
    ArrowUp: () => focusItem(list[at - 1]),
    Home: () => focusItem(list[0]),
    End: () => focusItem(list.at(-1)),
    ArrowRight: () => (folder && !expanded ? toggle(item, true) : folder && focusItem(list[at + 1])),
    ArrowLeft: () => (folder && expanded ? toggle(item, false) : focusItem(parent)),
    Enter: () => (folder ? toggle(item) : $<HTMLElement>("[data-open]", item)?.click()),
    " ": () => (folder ? toggle(item) : $<HTMLElement>("[data-open]", item)?.click()),
    F2: () => openDialog("rename-dialog", item.dataset.path ?? ""),
    Delete: () => openDialog("delete-dialog", item.dataset.path ?? ""),
  };
  const move = moves[e.key];
  if (!move || e.altKey || e.ctrlKey || e.metaKey) return;
  e.preventDefault();
  move();
}

document.addEventListener("keydown", onTreeKey);
document.addEventListener("click", (e) => {
  const target = e.target as HTMLElement;
  const item = target.closest<HTMLElement>('[role="treeitem"]');
  if (item && !target.closest("button")) {
    if (target.closest("[data-toggle]")) toggle(item);
    focusItem(item);
  }
  if (target.closest("[data-panel-close]")) {
    chatting?.abort();
    $("#panel")?.replaceChildren();
  }
});

// Invoker buttons (commandfor/command) open the dialogs; the row's data-path fills the form.
document.addEventListener(
  "command",
  (e) => {
    const dialog = e.target as HTMLElement;
    const source = (e as Event & { source?: HTMLElement }).source;
    if (dialog instanceof HTMLDialogElement && (e as Event & { command?: string }).command === "show-modal")
      fillDialog(dialog, source?.dataset.path ?? "");
  },
  true,
);

/** Keep tree selection and roving focus in step with the open file and the swapped-in tree. */
function sync(): void {
  const tree = $('[role="tree"]');
  const path = $<HTMLElement>("[data-editor]")?.dataset.path;
  if (tree) {
    for (const el of tree.querySelectorAll<HTMLElement>('[role="treeitem"]')) {
      const selected = el.dataset.path === path && el.dataset.kind === "file";
      el.setAttribute("aria-selected", String(selected));
      el.tabIndex = selected ? 0 : -1;
    }
    if (!tree.querySelector('[tabindex="0"]')) {
      const first = tree.querySelector<HTMLElement>('[role="treeitem"]');
      if (first) first.tabIndex = 0;
    }
  }
  const region = $("#toasts");
  if (region) expireToasts(region);
}

// A dialog closes once its form has been answered — except Go to and Share, whose content swaps inside them.
const staysOpen = (dialog: HTMLDialogElement) => dialog.id === "goto-dialog" || "stayOpen" in dialog.dataset;

document.addEventListener("htmx:after:swap", (e) => {
  sync();
  const source = e.target as Element;
  if (source.id === "panel") source.querySelector<HTMLElement>("[autofocus]")?.focus();
  const dialog = source.closest?.("dialog");
  if (dialog?.open && !staysOpen(dialog)) dialog.close();
  // On a phone the tree is a drawer: opening a file closes it.
  if (source.closest?.("[data-open]")) {
    const drawer = $<HTMLElement>("#sidebar");
    if (drawer?.matches(":popover-open")) drawer.hidePopover();
  }
});
document.addEventListener("htmx:after:request", (e) => {
  const dialog = (e.target as Element).closest?.("dialog");
  if (dialog?.open && !staysOpen(dialog)) dialog.close();
});

// Ctrl/Cmd-S anywhere goes to the open file (edits are stored as they are typed; the island's
// binding shows how far that got) instead of saving the page; Ctrl/Cmd-P opens Go to.
document.addEventListener("keydown", (e) => {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
  const key = e.key.toLowerCase();
  const content = $<HTMLElement>("[data-editor] .cm-content");
  if (key === "s" && content && !content.contains(e.target as Node)) {
    e.preventDefault();
    content.focus();
    content.dispatchEvent(
      new KeyboardEvent("keydown", {
        key: "s",
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        bubbles: true,
        cancelable: true,
      }),
    );
  } else if (key === "p") {
    // Go to a file or symbol.
    const dialog = $<HTMLDialogElement>("#goto-dialog");
    if (!dialog) return;
    e.preventDefault();
    dialog.showModal();
    $<HTMLInputElement>("[data-goto-q]")?.select();
  }
});

// Ctrl/Cmd-Shift-F searches the project (the panel opens, or its box takes focus); in the
// Go to box, Enter opens the first match.
document.addEventListener("keydown", (e) => {
  const target = e.target as Element;
  if (e.key === "Enter" && target.matches?.("[data-goto-q]")) {
    e.preventDefault();
    $<HTMLElement>("#goto-results a")?.click();
  } else if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === "f") {
    e.preventDefault();
    const box = $<HTMLInputElement>("[data-search-q]");
    box ? box.select() : $<HTMLElement>("[data-search-open]")?.click();
  }
});

// --- Re-index with a progress bar; Cancel closes the stream, which stops it between files ---

let indexing: AbortController | undefined;

async function reindex(url: string): Promise<void> {
  const bar = $<HTMLProgressElement>("[data-reindex-progress]");
  const note = $<HTMLElement>("[data-reindex-note]");
  const cancel = $<HTMLElement>("[data-reindex-cancel]");
  if (indexing || !bar || !note || !cancel) return;
  const controller = new AbortController();
  indexing = controller;
  bar.hidden = cancel.hidden = false;
  try {
    note.textContent =
      (await postStream(url, new URLSearchParams(), controller.signal, (event, d) => {
        if (event === "progress") {
          bar.max = Number(d.total);
          bar.value = Number(d.done);
          note.textContent = `${d.done}/${d.total} ${d.path}`;
        } else
          note.textContent = `${d.cancelled ? "Cancelled" : "Done"}: ${d.files} files, ${d.chunks} chunks`;
      })) ?? note.textContent;
  } catch {
    note.textContent = controller.signal.aborted ? "Cancelled" : "The connection dropped.";
  } finally {
    indexing = undefined;
    bar.hidden = cancel.hidden = true;
  }
}

document.addEventListener("click", (e) => {
  const target = e.target as Element;
  const start = target.closest?.<HTMLElement>("[data-reindex]");
  if (start) void reindex(start.dataset.reindex ?? "");
  else if (target.closest?.("[data-reindex-cancel]")) indexing?.abort();
  else if (target.closest?.("#goto-results a")) $<HTMLDialogElement>("#goto-dialog")?.close();
});

// --- Streams: a POST answered with server-sent events (Run and the assistant) ---

/**
 * POST `body` and hand each server-sent event to `onEvent` as it arrives. An answer that is not
 * a stream (a 4xx/5xx, signed out) resolves with its error message; a stream resolves with
 * undefined when it ends. Throws when aborted or when the connection drops.
 */
async function postStream(
  url: string,
  body: URLSearchParams,
  signal: AbortSignal,
  onEvent: (event: string, data: Record<string, unknown>) => void,
): Promise<string | undefined> {
  const token = /"X-CSRF-Token":"([^"]+)"/.exec(
    document.body.getAttribute("hx-headers:inherited") ?? "",
  )?.[1];
  const res = await fetch(url, {
    method: "POST",
    body,
    signal,
    redirect: "manual",
    headers: { accept: "text/event-stream, application/json", ...(token ? { "X-CSRF-Token": token } : {}) },
  });
  if (!res.ok || !res.body) {
    const answer = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    return answer?.error?.message ?? `The server answered ${res.status || "with a redirect (signed out?)"}`;
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return undefined;
    buffer += value;
    // One read may hold hundreds of events: walk them, and keep only the unfinished rest.
    let start = 0;
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n", start)) {
      const block = buffer.slice(start, end);
      start = end + 2;
      const event = /^event: ?(.*)$/m.exec(block)?.[1];
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).replace(/^ /, ""))
        .join("\n");
      if (event && data) onEvent(event, JSON.parse(data));
    }
    buffer = buffer.slice(start);
  }
}

/** What the island holds for the open file now: its path, text, selection and cursor line. */
function snapshot(): { path?: string; content?: string; selection?: string; line?: number } {
  const editor = $<HTMLElement>("[data-editor]");
  const path = editor?.dataset.path;
  if (!editor || !path) return {};
  const detail: { content?: string; selection?: string; line?: number } = {};
  editor.dispatchEvent(new CustomEvent("aura:snapshot", { detail }));
  return { path, ...detail };
}

// --- Run: the open file in the sandbox, its output streamed as server-sent events ---

let running: AbortController | undefined;
let runPath = "";

function runStatus(text: string, state: "running" | "ok" | "error"): void {
  const el = $<HTMLElement>("[data-run-status]");
  if (!el) return;
  el.textContent = text;
  el.dataset.state = state;
}

// Consecutive output of one stream shares a span; stderr and notes are set apart by colour.
function appendOutput(stream: "stdout" | "stderr" | "note", text: string): void {
  const log = $<HTMLElement>("[data-run-log]");
  if (!log) return;
  const last = log.lastElementChild as HTMLElement | null;
  if (last?.dataset.stream === stream) last.append(text);
  else {
    const span = document.createElement("span");
    span.dataset.stream = stream;
    if (stream === "stderr") span.className = "text-red-600 dark:text-red-400";
    if (stream === "note") span.className = "text-slate-500 italic";
    span.textContent = text;
    log.append(span);
  }
  log.scrollTop = log.scrollHeight;
}

interface Exit {
  exitCode: number | null;
  executionTime: number;
  error?: string;
  truncated?: boolean;
}

function describeExit({ exitCode, executionTime, error, truncated }: Exit): void {
  const time = executionTime < 1000 ? `${executionTime} ms` : `${(executionTime / 1000).toFixed(1)} s`;
  if (truncated) appendOutput("note", "\n[output cut off at the limit]");
  if (error === "timeout") runStatus(`Stopped: over the time limit (${time})`, "error");
  else if (error === "memory") runStatus(`Stopped: out of memory (${time})`, "error");
  else if (error === "cancelled") runStatus("Stopped", "error");
  else runStatus(`Exited with code ${exitCode ?? "?"} · ${time}`, exitCode === 0 ? "ok" : "error");
}

function onRunMessage(event: string, data: Record<string, unknown>): void {
  // `start` names the file that runs; queued position 0 means starting now.
  if (event === "start") runPath = String(data.path);
  if (event === "start" || (event === "queued" && Number(data.position) === 0))
    runStatus(`Running ${runPath}…`, "running");
  else if (event === "queued") runStatus(`Waiting for a free sandbox: ${data.position} ahead…`, "running");
  else if (event === "stdout" || event === "stderr") appendOutput(event, String(data.text));
  else if (event === "exit") describeExit(data as unknown as Exit);
}

function showRunning(on: boolean): void {
  const stop = $<HTMLElement>("[data-run-stop]");
  if (stop) stop.hidden = !on;
  for (const el of document.querySelectorAll<HTMLButtonElement>("[data-run]")) el.disabled = on;
}

async function run(): Promise<void> {
  const panel = $<HTMLElement>("#output");
  const project = $<HTMLElement>("[data-project-id]")?.dataset.projectId;
  if (running || !panel || !project) return;
  // The open file as the editor holds it; without one, or when it cannot run, the server
  // runs the project's entry file.
  const { path, content } = snapshot();
  const body = new URLSearchParams();
  if (path) body.set("path", path);
  if (path && content !== undefined) body.set("content", content);

  panel.hidden = false;
  const log = $<HTMLElement>("[data-run-log]");
  if (log) log.textContent = "";
  runPath = path ?? "";
  runStatus("Starting…", "running");
  const controller = new AbortController();
  running = controller;
  showRunning(true);
  try {
    const refused = await postStream(
      `/projects/${encodeURIComponent(project)}/run`,
      body,
      controller.signal,
      onRunMessage,
    );
    if (refused) runStatus(refused, "error");
  } catch {
    if (controller.signal.aborted) {
      appendOutput("note", "\n[stopped]");
      runStatus("Stopped", "error");
    } else runStatus("The connection dropped before the run finished.", "error");
  } finally {
    running = undefined;
    showRunning(false);
  }
}

// --- The assistant: a question, its answer streamed token by token, then rendered ---

let chatting: AbortController | undefined;

async function ask(form: HTMLFormElement): Promise<void> {
  const field = form.elements.namedItem("message") as HTMLTextAreaElement | null;
  const log = $<HTMLElement>("#ai-log");
  const message = field?.value.trim();
  if (chatting || !field || !log || !message) return;
  const status = $<HTMLElement>("[data-ai-status]", form);
  const stop = $<HTMLElement>("[data-ai-stop]", form);
  const say = (text: string) => {
    if (status) status.textContent = text;
  };
  $("[data-ai-empty]", log)?.remove();
  const question = document.createElement("div");
  question.className = "ml-8 whitespace-pre-wrap rounded-lg bg-aura-50 px-3 py-2 text-sm dark:bg-ink-700";
  question.dataset.role = "user";
  question.textContent = message;
  const answer = document.createElement("div");
  answer.className = "mr-2 whitespace-pre-wrap text-sm";
  answer.dataset.role = "assistant";
  answer.setAttribute("aria-busy", "true");
  log.append(question, answer);
  log.scrollTop = log.scrollHeight;

  const { path, selection, line } = snapshot();
  const body = new URLSearchParams({ message });
  if (path) body.set("currentFile", path);
  if (line) body.set("cursorLine", String(line));
  if (selection) body.set("selectedCode", selection);
  field.value = "";
  const controller = new AbortController();
  chatting = controller;
  if (stop) stop.hidden = false;
  say("Thinking…");
  // Text that arrived since the last frame: the page is touched (and laid out) once per frame,
  // not once per token, which for a long answer would lay out the growing answer every time.
  let pending = "";
  let frame = 0;
  const show = () => {
    frame = 0;
    if (pending) answer.append(pending);
    pending = "";
    log.scrollTop = log.scrollHeight;
  };
  try {
    const refused = await postStream(form.action, body, controller.signal, (event, data) => {
      if (event === "token") {
        if (!pending && !frame) say("Answering…");
        pending += String(data.text);
        frame ||= requestAnimationFrame(show);
      } else if (event === "done") {
        cancelAnimationFrame(frame);
        frame = 0;
        pending = "";
        // Rendered and sanitized by the server; hx-* links in it (references) need processing.
        answer.classList.remove("whitespace-pre-wrap");
        answer.innerHTML = String(data.html);
        (window as { htmx?: { process(el: Element): void } }).htmx?.process(answer);
        say("");
        log.scrollTop = log.scrollHeight;
      } else if (event === "error") {
        show();
        say(String(data.message));
      }
    });
    if (refused) {
      // Not asked after all (a limit, a budget, signed out): the question goes back to the box.
      question.remove();
      answer.remove();
      field.value = message;
      say(refused);
    }
  } catch {
    say(controller.signal.aborted ? "Stopped." : "The connection dropped before the answer finished.");
  } finally {
    cancelAnimationFrame(frame);
    if (pending) show();
    answer.removeAttribute("aria-busy");
    chatting = undefined;
    if (stop) stop.hidden = true;
  }
}

/**
 * Apply an answer's code to its file: open the file if it is not the open one, then let the
 * island show the change as a merge view; what is applied goes in as an edit of the shared
 * document, on top of whatever others typed meanwhile. A path that is not a file of the project
 * is refused.
 */
async function apply(path: string, code: string): Promise<void> {
  const project = $<HTMLElement>("[data-project-id]")?.dataset.projectId;
  if (!project) return;
  if (!$(`[role="treeitem"][data-path="${CSS.escape(path)}"]`)) {
    return toast(`${path} is not a file of this project. Create it first, then Apply again.`, "error");
  }
  const ready = `[data-editor][data-path="${CSS.escape(path)}"][data-editor-ready="true"]`;
  if (!$(ready)) {
    const tabs = $<HTMLInputElement>('#tab-state input[name="tabs"]')?.value ?? "";
    const url = `/projects/${encodeURIComponent(project)}/open?${new URLSearchParams({ file: path, tabs })}`;
    const htmx = (window as { htmx?: { ajax(verb: string, url: string, ctx: object): Promise<unknown> } })
      .htmx;
    await htmx?.ajax("GET", url, { target: "#editor-area", swap: "outerHTML" });
    for (let i = 0; i < 100 && !$(ready); i++) await new Promise((r) => setTimeout(r, 50));
  }
  const editor = $<HTMLElement>(ready);
  if (!editor) return toast(`Could not open ${path} to apply the change.`, "error");
  editor.dispatchEvent(new CustomEvent("aura:apply", { detail: { code } }));
}

document.addEventListener("click", (e) => {
  const target = e.target as Element;
  const button = target.closest?.<HTMLElement>("[data-apply-path]");
  if (button) void apply(button.dataset.applyPath ?? "", button.dataset.applyCode ?? "");
  const analyze = target.closest?.<HTMLElement>("[data-analyze]");
  if (analyze) {
    $("[data-editor]")?.dispatchEvent(
      new CustomEvent("aura:analyze", { detail: { kind: analyze.dataset.analyze } }),
    );
  }
});

document.addEventListener("submit", (e) => {
  const form = (e.target as Element).closest?.<HTMLFormElement>("form[data-ai-chat]");
  if (!form) return;
  e.preventDefault();
  void ask(form);
});

document.addEventListener("click", (e) => {
  const target = e.target as Element;
  if (target.closest("[data-run]")) void run();
  else if (target.closest("[data-run-stop]")) running?.abort();
  else if (target.closest("[data-ai-stop]")) chatting?.abort();
  else if (target.closest("[data-run-close]")) {
    running?.abort();
    const panel = $<HTMLElement>("#output");
    if (panel) panel.hidden = true;
  }
});

// Ctrl/Cmd-Enter runs, also inside the editor: caught before CodeMirror's own Mod-Enter.
document.addEventListener(
  "keydown",
  (e) => {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    // In the assistant's box it sends the question instead.
    const form = (e.target as Element).closest?.<HTMLFormElement>("form[data-ai-chat]");
    if (form) {
      e.preventDefault();
      void ask(form);
      return;
    }
    if (!$("#output")) return;
    e.preventDefault();
    e.stopPropagation();
    void run();
  },
  true,
);

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", sync);
else sync();

// The offline worker: this page and its scripts open again without a network (src/features/offline).
navigator.serviceWorker?.register("/sw.js").catch(() => {});
