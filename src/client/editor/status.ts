import type { EditorState } from "@codemirror/state";
import type { SaveState } from "./saver.ts";

/** Describe a save state in the words the status bar uses. */
export function describeSave(state: SaveState): string {
  switch (state.kind) {
    case "saved":
      return "Saved";
    case "saving":
      return "Saving…";
    case "dirty":
      return "Unsaved changes";
    case "offline":
      return `Offline — ${state.unsaved} unsaved`;
    case "conflict":
      return "Conflict";
    case "error":
      return state.message;
  }
}

/** Describe the main cursor as `Ln x, Col y` (1-based, columns in UTF-16 units like most editors). */
export function describeCursor(state: EditorState): string {
  const head = state.selection.main.head;
  const line = state.doc.lineAt(head);
  const extra = state.selection.ranges.length > 1 ? ` (${state.selection.ranges.length} cursors)` : "";
  return `Ln ${line.number}, Col ${head - line.from + 1}${extra}`;
}

/** The status bar slots of a page; any of them may be missing. */
export interface StatusBar {
  language(text: string): void;
  cursor(text: string): void;
  save(text: string, kind: SaveState["kind"]): void;
}

/**
 * Find the status bar for an editor: the nearest `[data-status-bar]` ancestor's slots, else
 * the page's. Writes go through `isActive` so only the focused editor of a page speaks.
 */
export function findStatusBar(el: HTMLElement, isActive: () => boolean): StatusBar {
  const root: ParentNode = el.closest("[data-status-scope]") ?? document;
  const slot = (name: string) => root.querySelector<HTMLElement>(`[data-status-${name}]`);
  const write = (name: string, text: string) => {
    const target = slot(name);
    if (target && isActive() && target.textContent !== text) target.textContent = text;
  };
  return {
    language: (text) => write("language", text),
    cursor: (text) => write("cursor", text),
    save(text, kind) {
      write("save", text);
      const target = slot("save");
      if (target && isActive()) target.dataset.state = kind;
    },
  };
}
