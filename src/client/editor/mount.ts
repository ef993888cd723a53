import { Compartment, EditorState, Prec, Transaction } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import type { AiClient } from "./ai.ts";
import type { AnalysisKind } from "./analyze.ts";
import { loadProjectWords } from "./completion.ts";
import { ghostText } from "./ghost.ts";
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
  // A viewer of the project reads it: no edits, so nothing to save or restore from this browser.
  const readOnly = el.dataset.role === "viewer";
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
  // AI: ghost-text completion as you type, and analysis on `aura:analyze` or Mod-Alt-r, whose
  // code downloads on first use. `data-ai="off"` on the element
  // (AI not configured) keeps it from asking at all.
  const ai: AiClient = {
    project: file.project,
    off: el.dataset.ai === "off" ? "AI is not available" : undefined,
  };
  let analysis: AbortController | undefined;
  const analyze = (kind?: AnalysisKind) => {
    const current = view;
    if (!current) return false;
    analysis?.abort();
    const controller = new AbortController();
    analysis = controller;
    import("./analyze.ts")
      .then((m) => m.analyze(current, ai, { path: file.path, kind }, controller.signal))
      .then(
        (result) => emit("aura:analyzed", result),
        (error: unknown) => {
          if (!controller.signal.aborted)
            emit("aura:ai-error", { message: error instanceof Error ? error.message : String(error) });
        },
      );
    return true;
  };
  const onAnalyze = (e: Event) => analyze((e as CustomEvent<{ kind?: AnalysisKind } | null>).detail?.kind);
  el.addEventListener("aura:analyze", onAnalyze);
  const extension = file.path.includes(".") ? file.path.slice(file.path.lastIndexOf(".") + 1) : "";
  view = new EditorView({
    parent: el,
    state: EditorState.create({
      doc,
      extensions: [
        Prec.high(
          keymap.of([
            { key: "Mod-s", preventDefault: true, run: saveNow },
            { key: "Mod-Alt-r", preventDefault: true, run: () => analyze("review") },
          ]),
        ),
        ghostText({ client: ai, language: el.dataset.language || extension }),
        editingSetup(language?.completions),
        theme.extension,
        languageSlot.of([]),
        EditorView.contentAttributes.of({ "aria-label": `Editor: ${file.path}` }),
        EditorState.readOnly.of(readOnly),
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
  status.save(readOnly ? "Read only" : "Saved", "saved");
  loadProjectWords(file.project);
  // Opened from a search result or a reference: the cursor on that line, scrolled to the middle.
  const line = Number(el.dataset.line);
  if (line > 0) {
    const at = view.state.doc.line(Math.min(line, view.state.doc.lines)).from;
    view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "center" }) });
    view.focus();
  }
  // The page's Run and assistant ask for the text (saved or not) and the selection as they are now.
  const snapshot = (e: Event) => {
    const detail = (e as CustomEvent<{ content?: string; selection?: string; line?: number }>).detail;
    const state = view?.state;
    detail.content = state?.doc.toString();
    detail.selection = state?.sliceDoc(state.selection.main.from, state.selection.main.to);
    detail.line = state?.doc.lineAt(state.selection.main.head).number;
  };
  el.addEventListener("aura:snapshot", snapshot);
  // The assistant's Apply: the suggestion against the text as a merge view; the result is saved
  // like any edit (with its version, so a change made elsewhere still meets the conflict dialog).
  const onApply = (e: Event) => {
    const code = (e as CustomEvent<{ code?: string }>).detail?.code;
    const v = view;
    if (!v || code === undefined) return;
    void import("./conflict.ts").then(async ({ openApplyDialog }) => {
      const text = await openApplyDialog(v.state.doc.toString(), code, {
        path: file.path,
        extensions: [theme.extension, languageSlot.of(languageSlot.get(v.state) ?? [])],
        returnFocus: v.contentDOM,
      });
      if (text === undefined || view !== v) return;
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
      saver.saveNow();
    });
  };
  el.addEventListener("aura:apply", onApply);
  el.dataset.editorReady = "loading";

  void (async () => {
    if (language) {
      const support = await language.load();
      view?.dispatch({ effects: languageSlot.reconfigure(support) });
    }
    const kept = readOnly ? undefined : await getStash(file.project, file.path).catch(() => undefined);
    if (kept && kept.content !== doc) saver.restore(kept.content, kept.baseVersion);
    else if (kept) saver.saveNow(); // identical to the server's text: the save just forgets it
    el.dataset.editorReady = "true";
  })();

  return {
    view,
    destroy() {
      el.removeEventListener("aura:snapshot", snapshot);
      el.removeEventListener("aura:apply", onApply);
      el.removeEventListener("aura:analyze", onAnalyze);
      analysis?.abort();
      saver.close();
      theme.stop();
      if (active === view) active = undefined;
      view?.destroy();
      delete el.dataset.editorReady;
    },
  };
}
