/** The first element matching `selector` under `root` (the document by default). */
export const $ = <T extends Element>(selector: string, root: ParentNode = document) =>
  root.querySelector<T>(selector);

/** What the island holds for the open file now: its path, text, selection and cursor line. */
export function snapshot(): { path?: string; content?: string; selection?: string; line?: number } {
  const editor = $<HTMLElement>("[data-editor]");
  const path = editor?.dataset.path;
  if (!editor || !path) return {};
  const detail: { content?: string; selection?: string; line?: number } = {};
  editor.dispatchEvent(new CustomEvent("aura:snapshot", { detail }));
  return { path, ...detail };
}
