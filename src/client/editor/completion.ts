import { Compartment, type Extension } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";

/** Extra completion sources for one language, loaded together with the completion package. */
export type CompletionLoader = () => Promise<Extension>;

type Loaded = [typeof import("@codemirror/autocomplete"), Extension];

/**
 * Add completion and bracket closing, downloading @codemirror/autocomplete (and the language's
 * completion sources) when the editor first takes focus or is typed in, not with the page.
 * Until then brackets are not closed and no completion pops up. A failed download (offline)
 * is retried on the next focus or keystroke.
 */
export function lazyCompletion(languageCompletions?: CompletionLoader): Extension {
  const slot = new Compartment();
  let loading: Promise<Loaded> | undefined;
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
            keymap.of([...m.closeBracketsKeymap, ...m.completionKeymap]),
            extra,
          ]),
        });
      },
      () => {
        loading = undefined;
      },
    );
  };
  const trigger: Extension = EditorView.updateListener.of((update) => {
    if (
      (update.focusChanged && update.view.hasFocus) ||
      update.transactions.some((tr) => tr.isUserEvent("input"))
    ) {
      load(update.view);
    }
  });
  return slot.of(trigger);
}
