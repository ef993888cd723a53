import type { EditorState } from "@codemirror/state";

/** What the status bar shows about the open file's edits reaching the server. */
export type SaveState =
  | { kind: "saved" }
  | { kind: "saving" }
  /** No connection; `kept` when this browser holds edits the server has not stored yet. */
  | { kind: "offline"; kept: boolean }
  | { kind: "read-only" }
  /** The server closed the document for good (signed out, file gone, over the limit…). */
  | { kind: "error"; message: string };

/** Describe a save state in the words the status bar uses. */
export function describeSave(state: SaveState): string {
  switch (state.kind) {
    case "saved":
      return "Saved";
    case "saving":
      return "Saving…";
    case "offline":
      return state.kept ? "Offline — kept in this browser" : "Offline";
    case "read-only":
      return "Read only";
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
  save(state: SaveState): void;
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
    save(state) {
      write("save", describeSave(state));
      const target = slot("save");
      if (target && isActive()) target.dataset.state = state.kind;
    },
  };
}
