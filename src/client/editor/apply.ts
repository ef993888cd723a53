import { MergeView, presentableDiff } from "@codemirror/merge";
import { type ChangeSpec, EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

/** What the apply dialog needs besides the two texts. */
export interface ApplyDialogOptions {
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

/** One button of a merge dialog: its label, and the answer it gives (from the right side's text). */
interface Choice<T> {
  label: string;
  primary?: boolean;
  answer: (right: string) => T;
}

/**
 * A modal dialog with a merge view of `left` (read-only) against `right` (editable, with arrows
 * that copy a change from left to right, unless `text.readOnly`) that resolves with the answer of
 * the button pressed, or `cancelled` on Escape. Load it lazily: it pulls in @codemirror/merge.
 */
function mergeDialog<T>(
  text: { kind: string; title: string; intro: string; left: string; right: string; readOnly?: boolean },
  docs: { left: string; right: string },
  choices: Choice<T>[],
  cancelled: T,
  options: ApplyDialogOptions,
): Promise<T> {
  const dialog = element(
    "dialog",
    `aura-${text.kind} m-auto w-[min(72rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/60 dark:border-slate-700 dark:bg-ink-800 dark:text-slate-100`,
  );
  dialog.setAttribute("aria-labelledby", "aura-merge-title");
  const header = element("div", "border-b border-slate-200 px-5 py-4 dark:border-slate-700");
  header.append(
    Object.assign(element("h2", "text-lg font-semibold", text.title), { id: "aura-merge-title" }),
    element("p", "mt-1 text-sm text-slate-600 dark:text-slate-400", text.intro),
  );
  const labels = element(
    "div",
    "grid grid-cols-2 px-5 pt-3 text-xs font-semibold uppercase tracking-wide text-slate-500",
  );
  labels.append(element("span", "", text.left), element("span", "pl-4", text.right));
  const body = element(
    "div",
    "mx-5 mt-1 max-h-[60vh] overflow-auto rounded-md border border-slate-200 dark:border-slate-700",
  );
  const footer = element("div", "flex flex-wrap justify-end gap-2 px-5 py-4");
  dialog.append(header, labels, body, footer);
  document.body.append(dialog);
  const readOnly = [options.extensions, EditorState.readOnly.of(true), EditorView.editable.of(false)];
  const merge = new MergeView({
    parent: body,
    a: { doc: docs.left, extensions: readOnly },
    b: { doc: docs.right, extensions: text.readOnly ? readOnly : [options.extensions] },
    ...(text.readOnly ? {} : { revertControls: "a-to-b" as const }),
    gutter: true,
  });

  return new Promise((resolve) => {
    let answer = cancelled;
    const buttons = choices.map((choice) => {
      const button = element("button", choice.primary ? PRIMARY : BUTTON, choice.label);
      button.type = "button";
      button.addEventListener("click", () => {
        answer = choice.answer(merge.b.state.doc.toString());
        dialog.close();
      });
      return button;
    });
    footer.append(...buttons);
    dialog.addEventListener("keydown", (event) => trapTab(dialog, event));
    dialog.addEventListener("close", () => {
      merge.destroy();
      dialog.remove();
      options.returnFocus?.focus();
      resolve(answer);
    });
    dialog.showModal();
    buttons.at(-1)?.focus();
  });
}

/**
 * Show an AI suggestion for the open file: the file as it is now (left) against the suggestion
 * (right, editable). Resolves with the text to put in the editor, or undefined when cancelled.
 */
export function openApplyDialog(
  current: string,
  suggested: string,
  options: ApplyDialogOptions,
): Promise<string | undefined> {
  return mergeDialog<string | undefined>(
    {
      kind: "apply",
      title: `Apply the suggestion to ${options.path}`,
      intro:
        "Review the change. Edit the right side, or use the arrows to keep single lines as they are; Apply puts the right side in the editor as your edit, which everyone with the file open sees.",
      left: "Now",
      right: "Suggested (editable)",
    },
    { left: current, right: suggested },
    [
      { label: "Cancel", answer: () => undefined },
      { label: "Apply", primary: true, answer: (content) => content },
    ],
    undefined,
    options,
  );
}

/**
 * Show a changed file of a git project side by side: its text at the last commit (left) against
 * its text now (right), both read-only. Resolves when it is closed (Close or Escape).
 */
export function openCompareDialog(
  before: string,
  after: string,
  options: ApplyDialogOptions & { status: "added" | "modified" | "deleted" },
): Promise<void> {
  const said = { added: "added since", modified: "changed since", deleted: "deleted since" };
  return mergeDialog<void>(
    {
      kind: "compare",
      title: options.path,
      intro: `The file as it is now, ${said[options.status]} the last commit. Commit from the Source control panel.`,
      left: "Last commit",
      right: "Now",
      readOnly: true,
    },
    { left: before, right: after },
    [{ label: "Close", primary: true, answer: () => undefined }],
    undefined,
    options,
  );
}

/**
 * The edits that turn `from` into `to`, as small as a diff finds: applied to a shared document,
 * they leave the rest of the text (and everyone's cursors in it) where it was.
 */
export function editsBetween(from: string, to: string): ChangeSpec[] {
  return presentableDiff(from, to).map((c) => ({
    from: c.fromA,
    to: c.toA,
    insert: to.slice(c.fromB, c.toB),
  }));
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
