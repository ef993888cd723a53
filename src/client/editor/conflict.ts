import { MergeView } from "@codemirror/merge";
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import type { Conflict, Resolution } from "./saver.ts";

/** What the conflict dialog needs besides the two texts. */
export interface ConflictDialogOptions {
  path: string;
  /** Theme and language, so both sides look like the editor. */
  extensions: Extension;
  /** The element whose focus comes back when the dialog closes. */
  returnFocus?: HTMLElement;
}

const BUTTON =
  "rounded-md px-3 py-1.5 text-sm font-medium border border-slate-300 dark:border-slate-600 hover:bg-slate-100 dark:hover:bg-slate-800";
const PRIMARY = "rounded-md px-3 py-1.5 text-sm font-medium bg-aura-600 text-white hover:bg-aura-700";

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * Show a modal dialog with a merge view of the server's text (left) against this browser's
 * (right, editable) and wait for a choice. Escape or closing the dialog answers `cancel`.
 * Load it lazily: it pulls in @codemirror/merge.
 */
export function openConflictDialog(conflict: Conflict, options: ConflictDialogOptions): Promise<Resolution> {
  const dialog = element(
    "dialog",
    "aura-conflict m-auto w-[min(72rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/60 dark:border-slate-700 dark:bg-ink-800 dark:text-slate-100",
  );
  dialog.setAttribute("aria-labelledby", "aura-conflict-title");
  const header = element("div", "border-b border-slate-200 px-5 py-4 dark:border-slate-700");
  header.append(
    Object.assign(element("h2", "text-lg font-semibold", "This file changed somewhere else"), {
      id: "aura-conflict-title",
    }),
    element(
      "p",
      "mt-1 text-sm text-slate-600 dark:text-slate-400",
      `${options.path} was saved elsewhere (now version ${conflict.version}). Nothing has been overwritten: compare, then choose what to keep. Arrows in the middle copy a change from theirs into yours.`,
    ),
  );
  const labels = element(
    "div",
    "grid grid-cols-2 px-5 pt-3 text-xs font-semibold uppercase tracking-wide text-slate-500",
  );
  labels.append(
    element("span", "", `Theirs · version ${conflict.version}`),
    element("span", "pl-4", "Yours (editable)"),
  );
  const body = element(
    "div",
    "mx-5 mt-1 max-h-[60vh] overflow-auto rounded-md border border-slate-200 dark:border-slate-700",
  );
  const footer = element("div", "flex flex-wrap justify-end gap-2 px-5 py-4");
  const mine = element("button", BUTTON, "Keep mine");
  const theirs = element("button", BUTTON, "Take theirs");
  const merged = element("button", PRIMARY, "Save merged");
  for (const b of [mine, theirs, merged]) b.type = "button";
  footer.append(mine, theirs, merged);
  dialog.append(header, labels, body, footer);
  document.body.append(dialog);

  const merge = new MergeView({
    parent: body,
    a: {
      doc: conflict.theirs,
      extensions: [options.extensions, EditorState.readOnly.of(true), EditorView.editable.of(false)],
    },
    b: { doc: conflict.mine, extensions: [options.extensions] },
    revertControls: "a-to-b",
    gutter: true,
  });

  return new Promise((resolve) => {
    let answer: Resolution = { action: "cancel" };
    const choose = (r: Resolution) => () => {
      answer = r;
      dialog.close();
    };
    mine.addEventListener("click", choose({ action: "mine" }));
    theirs.addEventListener("click", choose({ action: "theirs" }));
    merged.addEventListener("click", () =>
      choose({ action: "merged", content: merge.b.state.doc.toString() })(),
    );
    dialog.addEventListener("keydown", (event) => trapTab(dialog, event));
    dialog.addEventListener("close", () => {
      merge.destroy();
      dialog.remove();
      options.returnFocus?.focus();
      resolve(answer);
    });
    dialog.showModal();
    merged.focus();
  });
}

// showModal makes the page inert, but Tab can still leave for the browser's own UI; keep it inside.
function trapTab(dialog: HTMLDialogElement, event: KeyboardEvent): void {
  if (event.key !== "Tab") return;
  const focusable = [...dialog.querySelectorAll<HTMLElement>("button, [contenteditable='true']")].filter(
    (el) => el.offsetParent !== null,
  );
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
