import { ChangeSet, Compartment, EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import * as Y from "yjs";
import type { AiClient } from "./ai.ts";
import type { AnalysisKind } from "./analyze.ts";
import { loadProjectWords } from "./completion.ts";
import { ghostText } from "./ghost.ts";
import { languageFor } from "./languages.ts";
import { documentEnded, openLive } from "./live.ts";
import { showPresence } from "./presence.ts";
import { editingSetup } from "./setup.ts";
import { describeCursor, describeSave, findStatusBar, type SaveState } from "./status.ts";
import { followTheme } from "./theme.ts";

/** A mounted editor. */
export interface EditorHandle {
  view: EditorView;
  /** Disconnect from the live document and tear the editor down (unacknowledged edits stay journaled). */
  destroy(): void;
}

let active: EditorView | undefined;

/**
 * Mount the editor on a `[data-editor]` element rendered by the project page and join the file's
 * live document: `data-doc-state` is the server's document, `data-doc-id` keys what this browser
 * keeps, `data-user-id`/`-name` are who you are to the others. Every edit is shared as you type;
 * the status bar says when the server has stored it. Do not mount the same element twice; use
 * `destroy`.
 */
export function mount(el: HTMLElement): EditorHandle {
  const file = { project: el.dataset.project ?? "", path: el.dataset.path ?? "" };
  // A viewer of the project reads it: no edits, and nothing kept in this browser.
  const viewer = el.dataset.role === "viewer";
  const language = languageFor(file.path, el.dataset.language);
  const languageSlot = new Compartment();
  const editable = new Compartment();
  const status = findStatusBar(el, () => active === view);
  let view: EditorView | undefined;
  let gone = false;
  const theme = followTheme(() => view);
  const emit = (name: string, detail: unknown) =>
    el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));

  let lastKind: SaveState["kind"] | undefined;
  const { userId, userName } = el.dataset;
  const live = openLive({
    ...file,
    docId: el.dataset.docId || undefined,
    docState: el.dataset.docState || undefined,
    readOnly: viewer,
    user: userId && userName ? { id: userId, name: userName } : undefined,
    onState(state) {
      status.save(state);
      // The page's toasts: going offline, and everything stored again after that.
      if (state.kind === "offline" && lastKind !== "offline")
        emit("aura:offline", { ...file, kept: state.kept });
      if (state.kind === "saved" && lastKind !== "saved") emit("aura:saved", file);
      lastKind = state.kind;
    },
    onClosed(code) {
      if (documentEnded(code)) {
        gone = true;
        view?.dispatch({ effects: editable.reconfigure(EditorState.readOnly.of(true)) });
      }
      emit("aura:live-closed", { ...file, code, message: describeSave(live.state()) });
    },
  });
  // The page offers this when the server will never take the edits (too large): drop them here
  // and load the server's text again.
  const discardLocal = () => void live.discardLocal().then(() => location.reload());
  el.addEventListener("aura:discard-local", discardLocal);
  // Undo takes back only your own edits: the manager tracks the sync plugin's origin alone
  // (yCollab adds it), never the changes that arrive from the others.
  const undoManager = new Y.UndoManager(live.text, { trackedOrigins: new Set() });
  const readOnly = () => viewer || gone || !live.loaded;

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
  // Whoever waits for the document's changes from now on (the apply dialog, while it is open).
  const watchers = new Set<(changes: ChangeSet) => void>();
  const extension = file.path.includes(".") ? file.path.slice(file.path.lastIndexOf(".") + 1) : "";
  // The server's copy of the code (`.cm-static`, views/editor/_editor-area.tsx) stays on screen
  // until this editor has drawn the same lines, highlighted; see `reveal`.
  const staticCopy = el.querySelector<HTMLElement>(":scope > [data-static-editor]");
  view = new EditorView({
    parent: el,
    state: EditorState.create({
      doc: live.text.toString(),
      extensions: [
        Prec.high(
          keymap.of([
            // Every edit is shared and stored as it is typed; Ctrl/Cmd-S only says how far that got.
            {
              key: "Mod-s",
              preventDefault: true,
              run: () => {
                status.save(live.state());
                return true;
              },
            },
            { key: "Mod-Alt-r", preventDefault: true, run: () => analyze("review") },
          ]),
        ),
        keymap.of(yUndoManagerKeymap),
        ghostText({ client: ai, language: el.dataset.language || extension }),
        editingSetup(language?.completions),
        theme.extension,
        languageSlot.of([]),
        yCollab(live.text, live.provider.awareness, { undoManager }),
        EditorView.contentAttributes.of({ "aria-label": `Editor: ${file.path}` }),
        editable.of(EditorState.readOnly.of(readOnly())),
        EditorView.updateListener.of((update) => {
          if (update.focusChanged && update.view.hasFocus) activate(update.view);
          if (update.docChanged) for (const watch of watchers) watch(update.changes);
          if (update.selectionSet || update.docChanged) status.cursor(describeCursor(update.state));
        }),
      ],
    }),
  });
  if (staticCopy) view.dom.style.cssText = "position:absolute;inset:0;visibility:hidden";
  const activate = (v: EditorView) => {
    active = v;
    status.language(language?.name ?? "Plain text");
    status.cursor(describeCursor(v.state));
    status.save(live.state());
  };
  activate(view);
  const stopPresence = showPresence(live.provider.awareness, userId);
  loadProjectWords(file.project);
  // Opened from a search result or a reference: the cursor on that line, scrolled to the middle.
  const line = Number(el.dataset.line);
  if (line > 0) {
    const at = view.state.doc.line(Math.min(line, view.state.doc.lines)).from;
    view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "center" }) });
    view.focus();
  }
  // The page's Run and assistant ask for the text and the selection as they are now.
  const snapshot = (e: Event) => {
    const detail = (e as CustomEvent<{ content?: string; selection?: string; line?: number }>).detail;
    const state = view?.state;
    detail.content = state?.doc.toString();
    detail.selection = state?.sliceDoc(state.selection.main.from, state.selection.main.to);
    detail.line = state?.doc.lineAt(state.selection.main.head).number;
  };
  el.addEventListener("aura:snapshot", snapshot);
  // The assistant's Apply: the suggestion against the text as a merge view. The result goes in
  // as your edit, the smallest one a diff finds, moved past whatever the others typed while the
  // dialog was open — so it is shared, stored and undoable like typing.
  const onApply = (e: Event) => {
    const code = (e as CustomEvent<{ code?: string }>).detail?.code;
    const v = view;
    if (!v || code === undefined || readOnly()) return;
    const before = v.state.doc;
    let since = ChangeSet.empty(before.length);
    const watch = (changes: ChangeSet) => {
      since = since.compose(changes);
    };
    watchers.add(watch);
    void import("./apply.ts")
      .then(async ({ editsBetween, openApplyDialog }) => {
        const text = await openApplyDialog(before.toString(), code, {
          path: file.path,
          extensions: [theme.extension, languageSlot.of(languageSlot.get(v.state) ?? [])],
          returnFocus: v.contentDOM,
        });
        if (text === undefined || view !== v || readOnly()) return;
        v.dispatch({
          changes: ChangeSet.of(editsBetween(before.toString(), text), before.length).map(since),
        });
      })
      .finally(() => watchers.delete(watch));
  };
  el.addEventListener("aura:apply", onApply);
  el.dataset.editorReady = "loading";
  // Swap the static copy for the editor in one frame, after CodeMirror's own measuring, at the
  // static copy's scroll position (unless the editor was opened at a line, which it scrolls to).
  // A hidden tab draws no frames: there, and should a frame not come, it is swapped at once.
  const reveal = () =>
    new Promise<void>((resolve) => {
      const v = view;
      if (!v || !staticCopy?.isConnected) return resolve();
      const swap = () => {
        resolve();
        if (view !== v || !staticCopy.isConnected) return;
        const scroller = staticCopy.querySelector<HTMLElement>(".cm-scroller");
        const top = scroller?.scrollTop ?? 0;
        const left = scroller?.scrollLeft ?? 0;
        staticCopy.remove();
        v.dom.style.cssText = "";
        if (line > 0) v.focus();
        else {
          v.scrollDOM.scrollTop = top;
          v.scrollDOM.scrollLeft = left;
        }
      };
      if (document.hidden) return swap();
      v.requestMeasure({ read: () => null, write: swap });
      setTimeout(swap, 500);
    });

  void (async () => {
    if (language) {
      // Without its grammar the file is still editable, as plain text.
      const support = await language.load().catch(() => undefined);
      if (support) view?.dispatch({ effects: languageSlot.reconfigure(support) });
    }
    await reveal();
    await live.whenLoaded;
    if (!view) return;
    view.dispatch({ effects: editable.reconfigure(EditorState.readOnly.of(readOnly())) });
    // A User Timing mark at the moment the editor takes typing: what "typeable" is measured by
    // (the bench, the budget test), taken before anything that follows starts loading.
    performance.mark("aura:editor-ready");
    el.dataset.editorReady = "true";
    live.keepLocalCopy();
  })();

  return {
    view,
    destroy() {
      el.removeEventListener("aura:snapshot", snapshot);
      el.removeEventListener("aura:discard-local", discardLocal);
      el.removeEventListener("aura:apply", onApply);
      el.removeEventListener("aura:analyze", onAnalyze);
      analysis?.abort();
      stopPresence();
      theme.stop();
      if (active === view) active = undefined;
      view?.destroy();
      view = undefined;
      undoManager.destroy();
      live.destroy();
      delete el.dataset.editorReady;
    },
  };
}
