/**
 * The project page's glue, loaded before the editor: toasts for the island's aura:* events, the
 * file tree's keyboard model and dialogs, keyboard shortcuts, re-indexing, Run and the
 * assistant with their streamed answers, and the terminal panel's lazy module. Talks to the island only through DOM events and data
 * attributes.
 */
import { listenToAssistant } from "./assistant.ts";
import { closeAnswered, listenToDialogs } from "./dialogs.ts";
import { $ } from "./dom.ts";
import { listenForHotkeys } from "./hotkeys.ts";
import { listenForPreview } from "./preview.ts";
import { listenForReindex } from "./reindex.ts";
import { listenForRun } from "./run.ts";
import { listenForTerminal } from "./terminal.ts";
import { expireToasts, listenForToasts } from "./toasts.ts";
import { listenToTree, syncTree } from "./tree.ts";
import { listenForUploads } from "./upload.ts";

function sync(): void {
  syncTree();
  expireToasts();
}

listenForToasts();
listenToTree();
listenToDialogs();
listenForHotkeys();
listenForReindex();
listenToAssistant();
listenForRun();
listenForPreview();
listenForTerminal();
listenForUploads();

document.addEventListener("htmx:after:swap", (e) => {
  sync();
  const source = e.target as Element;
  if (source.id === "panel") source.querySelector<HTMLElement>("[autofocus]")?.focus();
  closeAnswered(source);
  // On a phone the tree is a drawer: opening a file closes it.
  if (source.closest?.("[data-open]")) {
    const drawer = $<HTMLElement>("#sidebar");
    if (drawer?.matches(":popover-open")) drawer.hidePopover();
  }
});

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", sync);
else sync();

// The offline worker: this page and its scripts open again without a network (src/features/offline).
navigator.serviceWorker?.register("/sw.js").catch(() => {});
