/**
 * The project page's glue, loaded before the editor: toasts for the island's aura:* events,
 * the file tree's keyboard model (WAI-ARIA tree, roving tabindex), the tree dialogs, and
 * Ctrl/Cmd-S and -P when focus is outside the editor. Talks to the island only through DOM
 * events and data attributes.
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
document.addEventListener("aura:conflict", (e) => {
  const path = (e as CustomEvent<{ path?: string }>).detail?.path ?? "This file";
  toast(`${path} changed elsewhere. Nothing was overwritten: choose what to keep.`, "error");
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
  if (target.closest("[data-panel-close]")) $("#panel")?.replaceChildren();
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

document.addEventListener("htmx:after:swap", (e) => {
  sync();
  const source = e.target as Element;
  const dialog = source.closest?.("dialog");
  if (dialog?.open) dialog.close();
  // On a phone the tree is a drawer: opening a file closes it.
  if (source.closest?.("[data-open]")) {
    const drawer = $<HTMLElement>("#sidebar");
    if (drawer?.matches(":popover-open")) drawer.hidePopover();
  }
});
document.addEventListener("htmx:after:request", (e) => {
  const dialog = (e.target as Element).closest?.("dialog");
  if (dialog?.open) dialog.close();
});

// Ctrl/Cmd-S anywhere saves the open file (the island's own key binding, re-sent into it);
// Ctrl/Cmd-P goes to the file tree instead of printing.
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
    e.preventDefault();
    const drawer = $<HTMLElement>("#sidebar");
    if (drawer && getComputedStyle(drawer).display === "none") drawer.showPopover();
    focusItem(
      $<HTMLElement>('[role="tree"] [tabindex="0"]') ?? $<HTMLElement>('[role="treeitem"]') ?? undefined,
    );
  }
});

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", sync);
else sync();
