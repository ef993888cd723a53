import { type Range, StateEffect, StateField, type Text } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, WidgetType } from "@codemirror/view";
import { type AiClient, postAi } from "./ai.ts";

export type AnalysisKind = "explain" | "review" | "bugs";
export interface Finding {
  line?: number;
  severity: "info" | "warning" | "error";
  message: string;
  fix?: string;
}

// Findings are drawn without @codemirror/lint (its tooltips and panel would not fit the
// "everything" budget): the line is underlined in its severity's colour and the message, with
// an "Apply fix" button when the finding has a fix, follows at the end of the line.
const setFindings = StateEffect.define<DecorationSet>();

class Note extends WidgetType {
  constructor(
    readonly finding: Finding,
    readonly severity: Finding["severity"],
    readonly message: string,
  ) {
    super();
  }
  toDOM(view: EditorView) {
    const box = document.createElement("span");
    box.className = `cm-aiNote cm-aiNote-${this.severity}`;
    box.setAttribute("role", "note");
    box.textContent = this.message;
    const fix = this.finding.fix;
    if (fix !== undefined) {
      const button = box.appendChild(document.createElement("button"));
      button.type = "button";
      button.className = "cm-aiFix";
      button.textContent = "Apply fix";
      button.onclick = () => {
        const line = view.state.doc.lineAt(view.posAtDOM(box));
        const rest = view.state
          .field(findings)
          .update({ filter: (_f, _t, d) => d.spec.finding !== this.finding });
        view.dispatch({
          changes: { from: line.from, to: line.to, insert: fix },
          effects: setFindings.of(rest),
        });
      };
    }
    return box;
  }
}

const findings = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(set, tr) {
    for (const e of tr.effects) if (e.is(setFindings)) return e.value;
    return set.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

const theme = EditorView.baseTheme({
  ".cm-lintRange-error": { textDecoration: "underline wavy #d11 1px" },
  ".cm-lintRange-warning": { textDecoration: "underline wavy #d97706 1px" },
  ".cm-lintRange-info": { textDecoration: "underline wavy #94a3b8 1px" },
  ".cm-aiNote": { marginLeft: "1.5em", fontStyle: "italic", opacity: "0.85", fontSize: "0.9em" },
  ".cm-aiNote-error": { color: "#dc2626" },
  ".cm-aiNote-warning": { color: "#b45309" },
  ".cm-aiFix": {
    marginLeft: "0.75em",
    fontStyle: "normal",
    border: "1px solid currentColor",
    borderRadius: "4px",
    padding: "0 0.4em",
    cursor: "pointer",
  },
});

/** Underline each finding's line and put its message (and fix) after it; no line means line 1, "File: …". */
export function toDecorations(doc: Text, list: Finding[]): DecorationSet {
  const out: Range<Decoration>[] = [];
  for (const finding of list) {
    const numbered = typeof finding.line === "number" && finding.line >= 1;
    const line = doc.line(numbered ? Math.min(Math.floor(finding.line as number), doc.lines) : 1);
    const severity = ["info", "warning", "error"].includes(finding.severity) ? finding.severity : "info";
    if (line.to > line.from) {
      out.push(
        Decoration.mark({ class: `cm-lintRange cm-lintRange-${severity}`, finding }).range(
          line.from,
          line.to,
        ),
      );
    }
    const message = numbered ? finding.message : `File: ${finding.message}`;
    out.push(
      Decoration.widget({ widget: new Note(finding, severity, message), side: 1, finding }).range(line.to),
    );
  }
  return Decoration.set(out, true);
}

/** Ask for an analysis of the editor's text and show its findings; resolves with the summary and count. */
export async function analyze(
  view: EditorView,
  client: AiClient,
  request: { path: string; kind?: AnalysisKind },
  signal?: AbortSignal,
) {
  if (client.off) throw new Error(client.off);
  const result = await postAi<{ summary: string; findings: Finding[] }>(
    client,
    "analyze",
    { path: request.path, code: view.state.doc.toString(), kind: request.kind },
    signal,
  );
  if (!result.ok) throw new Error(result.message);
  const list = Array.isArray(result.body.findings) ? result.body.findings : [];
  const effects: StateEffect<unknown>[] = [setFindings.of(toDecorations(view.state.doc, list))];
  if (!view.state.field(findings, false)) effects.push(StateEffect.appendConfig.of([findings, theme]));
  view.dispatch({ effects });
  return { summary: String(result.body.summary ?? ""), count: list.length };
}
