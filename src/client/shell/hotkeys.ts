/** Keyboard shortcuts of the project page (the tree's own keys are in tree.ts). */
import { ask } from "./assistant.ts";
import { $ } from "./dom.ts";
import { reloadPreview } from "./preview.ts";
import { run } from "./run.ts";

export function listenForHotkeys(): void {
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

  // Escape closes the side panel (history, search, the assistant) and goes back to the editor —
  // but not from inside the editor, where Escape is CodeMirror's (Escape then Tab leaves it),
  // nor from a dialog, which Escape closes by itself.
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    if ((e.target as Element).closest?.("dialog[open], .cm-editor")) return;
    const close = $<HTMLElement>("#panel [data-panel-close]");
    if (!close) return;
    e.preventDefault();
    close.click();
    $<HTMLElement>("[data-editor] .cm-content")?.focus();
  });

  // Following a Go to result closes the dialog.
  document.addEventListener("click", (e) => {
    if ((e.target as Element).closest?.("#goto-results a")) $<HTMLDialogElement>("#goto-dialog")?.close();
  });

  // Ctrl/Cmd-Enter runs (or reloads the web preview when it is showing), also inside the
  // editor: caught before CodeMirror's own Mod-Enter.
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
      // With the web preview showing, the page is what runs: load it again.
      if (!reloadPreview()) void run();
    },
    true,
  );
}
