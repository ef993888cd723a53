import {
  Annotation,
  type EditorState,
  type Extension,
  Prec,
  StateEffect,
  StateField,
} from "@codemirror/state";
import { Decoration, EditorView, keymap, ViewPlugin, type ViewUpdate, WidgetType } from "@codemirror/view";
import { type AiClient, type AiSuggestion, postAi } from "./ai.ts";

/** What `POST /projects/:id/ai/complete` takes: the whole text and the cursor's offset in it. */
export interface CompletionRequest {
  code: string;
  language: string;
  cursorPosition: number;
  contextWindow?: number;
}

/**
 * Ask the server for an inline completion and return the first suggestion's text, or undefined
 * when there is none or the request failed (429, 5xx, offline: ghost text is optional, so errors
 * are silent; a 503 turns the client off for good, a 429 pauses asking for 30 s). Rejects only
 * when `signal` aborts.
 */
export async function requestCompletion(
  client: AiClient,
  request: CompletionRequest,
  signal?: AbortSignal,
  fetchImpl?: typeof fetch,
): Promise<string | undefined> {
  if (client.off || Date.now() < (client.pausedUntil ?? 0)) return undefined;
  const result = await postAi<{ suggestions?: AiSuggestion[] }>(
    client,
    "complete",
    request,
    signal,
    fetchImpl,
  );
  if (!result.ok && result.status === 429) client.pausedUntil = Date.now() + 30_000;
  const text = result.ok ? result.body.suggestions?.[0]?.text : undefined;
  return typeof text === "string" && text.length > 0 ? text : undefined;
}

interface Ghost {
  pos: number;
  text: string;
}

const setGhost = StateEffect.define<Ghost | null>();
/** Marks the insertion of accepted ghost text, which must not ask for another completion. */
const accepted = Annotation.define<boolean>();

class GhostWidget extends WidgetType {
  constructor(readonly text: string) {
    super();
  }
  override eq(other: GhostWidget): boolean {
    return other.text === this.text;
  }
  toDOM(): HTMLElement {
    const span = document.createElement("span");
    span.className = "cm-ghost";
    span.setAttribute("aria-hidden", "true");
    span.textContent = this.text;
    return span;
  }
}

// The ghost text lives in the state, so any edit or cursor move clears it without a dispatch.
const ghostField = StateField.define<Ghost | null>({
  create: () => null,
  update(ghost, tr) {
    for (const effect of tr.effects) if (effect.is(setGhost)) return effect.value;
    return tr.docChanged || tr.selection ? null : ghost;
  },
  provide: (field) =>
    EditorView.decorations.from(field, (ghost) =>
      ghost
        ? Decoration.set(Decoration.widget({ widget: new GhostWidget(ghost.text), side: 1 }).range(ghost.pos))
        : Decoration.none,
    ),
});

/**
 * Ask only with a single empty cursor and something other than blanks before it on its line:
 * a fresh or indented empty line is where people pause to think, and asking there on every Enter
 * would cost a model call each time for little gain.
 */
function wantsCompletion(state: EditorState): boolean {
  const { ranges, main } = state.selection;
  if (ranges.length > 1 || !main.empty) return false;
  const line = state.doc.lineAt(main.head);
  return line.text.slice(0, main.head - line.from).trim() !== "";
}

/** Accept the shown ghost text: insert it and put the cursor after it. False when none is shown. */
export function acceptGhost(view: EditorView): boolean {
  const ghost = view.state.field(ghostField, false);
  if (!ghost) return false;
  view.dispatch({
    changes: { from: ghost.pos, insert: ghost.text },
    selection: { anchor: ghost.pos + ghost.text.length },
    userEvent: "input.complete",
    annotations: accepted.of(true),
    scrollIntoView: true,
  });
  return true;
}

/** Hide the ghost text. False when none is shown, so Escape keeps its other uses. */
export function dismissGhost(view: EditorView): boolean {
  if (!view.state.field(ghostField, false)) return false;
  view.dispatch({ effects: setGhost.of(null) });
  return true;
}

export interface GhostOptions {
  client: AiClient;
  /** Sent as `language`: the page's `data-language` or the file's extension. */
  language: string;
  /** Milliseconds of quiet after a keystroke before asking (default 250). */
  delayMs?: number;
}

/**
 * Inline AI completion shown as dim ghost text at the cursor. Typing (userEvent `input.type`)
 * starts a timer; when it fires the whole document and cursor offset go to the server, and the
 * first suggestion appears after the cursor. Any edit, remote change or cursor move cancels the
 * timer, aborts a request in flight (the server then aborts its model call) and clears the text.
 * Tab accepts and Escape dismisses, only while ghost text is shown.
 */
export function ghostText(options: GhostOptions): Extension {
  const delay = options.delayMs ?? 250;
  const requester = ViewPlugin.define((view) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: AbortController | undefined;
    const cancel = () => {
      clearTimeout(timer);
      timer = undefined;
      pending?.abort();
      pending = undefined;
    };
    const ask = async () => {
      timer = undefined;
      const { state } = view;
      if (!wantsCompletion(state)) return;
      const controller = new AbortController();
      pending = controller;
      const pos = state.selection.main.head;
      const request: CompletionRequest = {
        code: state.doc.toString(),
        language: options.language,
        cursorPosition: pos,
        contextWindow: 2000,
      };
      let text: string | undefined;
      try {
        text = await requestCompletion(options.client, request, controller.signal);
      } catch {
        return; // aborted: a newer keystroke or cursor move owns the editor now
      }
      if (pending === controller) pending = undefined;
      // An answer for an older text or cursor would land in the wrong place.
      if (controller.signal.aborted || view.state.doc !== state.doc || view.state.selection.main.head !== pos)
        return;
      if (text) view.dispatch({ effects: setGhost.of({ pos, text }) });
    };
    return {
      update(update: ViewUpdate) {
        if (!update.docChanged && !update.selectionSet) return;
        cancel();
        const typed = update.transactions.some(
          (tr) => tr.isUserEvent("input.type") && !tr.annotation(accepted),
        );
        if (typed) timer = setTimeout(ask, delay);
      },
      destroy: cancel,
    };
  });
  return [
    ghostField,
    requester,
    Prec.highest(
      keymap.of([
        { key: "Tab", run: acceptGhost },
        { key: "Escape", run: dismissGhost },
      ]),
    ),
    EditorView.baseTheme({
      ".cm-ghost": { opacity: "0.5", fontStyle: "italic", whiteSpace: "pre", pointerEvents: "none" },
    }),
  ];
}
