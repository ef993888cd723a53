import type { CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";

/** Extra completion sources for one language, loaded together with the completion package. */
export type CompletionLoader = () => Promise<Extension>;

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** The open project's identifiers from its code index (most used first), fetched once per project. */
let projectWords: { project: string; words: string[]; pending: boolean } | undefined;
/** Called once when the pending words arrive, so an open completion list can include them. */
const wordsArrived = new Set<() => void>();

export function loadProjectWords(project: string): void {
  if (!project || projectWords?.project === project) return;
  projectWords = { project, words: [], pending: true };
  fetch(`/projects/${encodeURIComponent(project)}/words`)
    .then((res) => (res.ok ? res.json() : { words: [] }))
    .then((body: { words?: string[] }) => {
      if (projectWords?.project !== project) return;
      projectWords.words = body.words ?? [];
      projectWords.pending = false;
      for (const listener of wordsArrived) listener();
      wordsArrived.clear();
    })
    .catch(() => {
      if (projectWords?.project === project) projectWords = undefined; // retried on the next mount
    });
}

/**
 * Offer the identifiers (3 characters or more) found in the document and, after them, the
 * project's (from its code index), so names from the project complete instantly, before any AI answer. The options carry no type, so the completion
 * list merges them with a language's own option of the same name (JavaScript's and Python's
 * names in scope) instead of listing the name twice. Scans the first 200,000 characters.
 */
export function documentWords(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/[A-Za-z_$][\w$]*/);
  if (!word && !context.explicit) return null;
  const from = word?.from ?? context.pos;
  const seen = new Set<string>();
  for (const m of context.state.doc.sliceString(0, 200_000).matchAll(IDENTIFIER)) {
    // Skip the word being typed, at the cursor.
    if (m[0].length >= 3 && m.index !== from) seen.add(m[0]);
  }
  for (const w of projectWords?.words ?? []) seen.add(w);
  return { from, options: [...seen].map((label) => ({ label })), validFor: /^[\w$]*$/ };
}

type Loaded = [typeof import("@codemirror/autocomplete"), Extension];

/**
 * Add completion and bracket closing, downloading @codemirror/autocomplete (and the language's
 * completion sources, plus `documentWords`) when the editor first takes focus or is typed in,
 * not with the page.
 * Until then brackets are not closed and no completion pops up. A failed download (offline)
 * is retried on the next focus or keystroke.
 */
export function lazyCompletion(languageCompletions?: CompletionLoader): Extension {
  const slot = new Compartment();
  let loading: Promise<Loaded> | undefined;
  /** Typed while the package downloaded: those keystrokes asked for completions nobody gave. */
  let typedMeanwhile = false;
  const load = (view: EditorView) => {
    if (loading) return;
    loading = Promise.all([import("@codemirror/autocomplete"), languageCompletions?.() ?? []]);
    loading.then(
      ([m, extra]) => {
        if (!view.dom.isConnected || slot.get(view.state) !== trigger) return;
        view.dispatch({
          effects: slot.reconfigure([
            m.closeBrackets(),
            m.autocompletion(),
            EditorState.languageData.of(() => [{ autocomplete: documentWords }]),
            keymap.of([...m.closeBracketsKeymap, ...m.completionKeymap]),
            extra,
          ]),
        });
        if (typedMeanwhile && view.hasFocus) m.startCompletion(view);
        // Words still on their way join the list if it is open when they arrive.
        if (projectWords?.pending)
          wordsArrived.add(() => {
            if (view.dom.isConnected && m.completionStatus(view.state) === "active") m.startCompletion(view);
          });
      },
      () => {
        loading = undefined;
      },
    );
  };
  const trigger: Extension = EditorView.updateListener.of((update) => {
    if (loading && update.transactions.some((tr) => tr.isUserEvent("input"))) typedMeanwhile = true;
    if (
      (update.focusChanged && update.view.hasFocus) ||
      update.transactions.some((tr) => tr.isUserEvent("input"))
    ) {
      load(update.view);
    }
  });
  return slot.of(trigger);
}
