import { Compartment, EditorState, Prec, Transaction } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { languageFor } from "./languages.ts";
import { type Conflict, createSaver, type Resolution, type SaveState } from "./saver.ts";
import { editingSetup } from "./setup.ts";
import { getStash } from "./stash.ts";
import { describeCursor, describeSave, findStatusBar } from "./status.ts";
import { followTheme } from "./theme.ts";

/** Tuning for one editor; the defaults suit the project page. */
export interface MountOptions {
  /** Milliseconds after the last keystroke before an autosave (default 800). */
  autosaveMs?: number;
}

/** A mounted editor. */
export interface EditorHandle {
  view: EditorView;
  /** Send or keep any unsaved text, then tear the editor down. */
  destroy(): void;
}

let active: EditorView | undefined;

/**
 * Mount the editor on a `[data-editor]` element rendered by the project page (file text in a
 * hidden textarea) and start saving it. Do not mount the same element twice; use `destroy`.
 */
export function mount(el: HTMLElement, options: MountOptions = {}): EditorHandle {
  const source = el.querySelector("textarea");
  const doc = source?.value ?? "";
  const file = { project: el.dataset.project ?? "", path: el.dataset.path ?? "" };
  const language = languageFor(file.path, el.dataset.language);
  const languageSlot = new Compartment();
  const status = findStatusBar(el, () => active === view);
  let view: EditorView | undefined;
  const theme = followTheme(() => view);
  const emit = (name: string, detail: unknown) =>
    el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));

  const saver = createSaver({
    file,
    version: Number(el.dataset.version ?? 0),
    content: doc,
    autosaveMs: options.autosaveMs,
    read: () => view?.state.doc.toString() ?? doc,
    write(content) {
      if (!view) return;
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: content },
        annotations: Transaction.remote.of(true),
      });
    },
    onState: (state: SaveState) => status.save(describeSave(state), state.kind),
    onSaved(version) {
      el.dataset.version = String(version);
      emit("aura:saved", { ...file, version });
    },
    onOffline: (unsaved) => emit("aura:offline", { ...file, unsaved }),
    async resolveConflict(conflict: Conflict): Promise<Resolution> {
      emit("aura:conflict", { ...file, version: conflict.version });
      const { openConflictDialog } = await import("./conflict.ts");
      return openConflictDialog(conflict, {
        path: file.path,
        extensions: [theme.extension, languageSlot.of(view ? (languageSlot.get(view.state) ?? []) : [])],
        returnFocus: view?.contentDOM,
      });
    },
  });

  const saveNow = () => {
    saver.saveNow();
    return true;
  };
  view = new EditorView({
    parent: el,
    state: EditorState.create({
      doc,
      extensions: [
        Prec.high(keymap.of([{ key: "Mod-s", preventDefault: true, run: saveNow }])),
        editingSetup(language?.completions),
        theme.extension,
        languageSlot.of([]),
        EditorView.contentAttributes.of({ "aria-label": `Editor: ${file.path}` }),
        EditorView.updateListener.of((update) => {
          if (update.focusChanged && update.view.hasFocus) activate(update.view);
          if (update.docChanged && !update.transactions.some((tr) => tr.annotation(Transaction.remote))) {
            saver.changed();
          }
          if (update.selectionSet || update.docChanged) status.cursor(describeCursor(update.state));
        }),
      ],
    }),
  });
  const activate = (v: EditorView) => {
    active = v;
    status.language(language?.name ?? "Plain text");
    status.cursor(describeCursor(v.state));
  };
  activate(view);
  status.save("Saved", "saved");
  // The page's Run asks for the text as it is now, saved or not.
  const snapshot = (e: Event) => {
    (e as CustomEvent<{ content?: string }>).detail.content = view?.state.doc.toString();
  };
  el.addEventListener("aura:snapshot", snapshot);
  el.dataset.editorReady = "loading";

  void (async () => {
    if (language) {
      const support = await language.load();
      view?.dispatch({ effects: languageSlot.reconfigure(support) });
    }
    const kept = await getStash(file.project, file.path).catch(() => undefined);
    if (kept && kept.content !== doc) saver.restore(kept.content, kept.baseVersion);
    else if (kept) saver.saveNow(); // identical to the server's text: the save just forgets it
    el.dataset.editorReady = "true";
  })();

  return {
    view,
    destroy() {
      el.removeEventListener("aura:snapshot", snapshot);
      saver.close();
      theme.stop();
      if (active === view) active = undefined;
      view?.destroy();
      delete el.dataset.editorReady;
    },
  };
}
