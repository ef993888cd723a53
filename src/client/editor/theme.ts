import { syntaxHighlighting } from "@codemirror/language";
import { Compartment, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";

// One palette for page and editor: the colours are app.css's --editor-* variables, which follow
// the colour scheme there (and in the server's static copy of the editor). The `dark` flag only
// picks CodeMirror's base defaults for what this does not restate.
const palette = {
  "&": { backgroundColor: "var(--editor-bg)", color: "var(--editor-fg)" },
  ".cm-gutters": {
    backgroundColor: "var(--editor-gutter-bg)",
    color: "var(--editor-gutter-fg)",
    borderRight: "1px solid var(--editor-border)",
  },
  ".cm-activeLine": { backgroundColor: "var(--editor-active-line)" },
  ".cm-activeLineGutter": {
    backgroundColor: "var(--editor-active-gutter-bg)",
    color: "var(--editor-active-gutter-fg)",
  },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--editor-selection)",
  },
  "&.cm-focused .cm-cursor, .cm-cursor": { borderLeftColor: "var(--editor-cursor)" },
  ".cm-panels": { backgroundColor: "var(--editor-panel-bg)", color: "var(--editor-fg)" },
  ".cm-panels.cm-panels-top": { borderBottom: "1px solid var(--editor-border)" },
  ".cm-panels.cm-panels-bottom": { borderTop: "1px solid var(--editor-border)" },
  ".cm-tooltip": {
    backgroundColor: "var(--editor-panel-bg)",
    color: "var(--editor-fg)",
    border: "1px solid var(--editor-border)",
  },
  ".cm-foldPlaceholder": {
    backgroundColor: "var(--editor-active-line)",
    color: "var(--editor-gutter-fg)",
    border: "none",
  },
};
const lightTheme = EditorView.theme(palette, { dark: false });
const darkTheme = EditorView.theme(palette, { dark: true });

const shared = EditorView.theme({
  "&": { height: "100%", fontSize: "14px" },
  ".cm-scroller": { fontFamily: 'ui-monospace, "SF Mono", "JetBrains Mono", Menlo, Consolas, monospace' },
  // The others' cursors (y-codemirror.next draws them in each person's colour): a 2px caret
  // with the name always shown in a small tag above it, in the page's font, not the code's.
  ".cm-ySelectionCaret": { borderLeftWidth: "1px", borderRightWidth: "1px" },
  ".cm-ySelectionCaretDot": { display: "none" },
  ".cm-ySelectionInfo": {
    opacity: "1",
    top: "-1.4em",
    left: "-2px",
    padding: "1px 5px",
    borderRadius: "4px 4px 4px 0",
    fontFamily: 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    fontSize: "11px",
    fontWeight: "600",
    lineHeight: "1.3",
    color: "#ffffff",
    pointerEvents: "none",
  },
  // Hovering the caret hides its tag, so the text under it can be read.
  ".cm-ySelectionCaret:hover > .cm-ySelectionInfo": { opacity: "0" },
  // Room above the first line, where a tag would otherwise be cut off.
  ".cm-content": { paddingTop: "14px" },
});

// Tokens get @lezer/highlight's `tok-*` classes, coloured in app.css for light and dark: the
// server highlights the page's first copy of the code with the same classes (src/features/
// editor/code.ts), so the colours cannot change when the island takes over.
const highlighting = syntaxHighlighting(classHighlighter);

/** Tell whether the page wants dark colours: `data-theme` on <html> wins over the system setting. */
export function prefersDark(): boolean {
  const forced = document.documentElement.dataset.theme;
  if (forced === "dark" || forced === "light") return forced === "dark";
  return matchMedia("(prefers-color-scheme: dark)").matches;
}

function themeFor(dark: boolean): Extension {
  return dark ? darkTheme : lightTheme;
}

/**
 * Create the theme extension and keep it following the colour scheme and `data-theme` until
 * the returned `stop` runs. Use one per editor view.
 */
export function followTheme(getView: () => EditorView | undefined): { extension: Extension; stop(): void } {
  const slot = new Compartment();
  let dark = prefersDark();
  const update = () => {
    const next = prefersDark();
    if (next === dark) return;
    dark = next;
    getView()?.dispatch({ effects: slot.reconfigure(themeFor(dark)) });
  };
  const media = matchMedia("(prefers-color-scheme: dark)");
  media.addEventListener("change", update);
  const observer = new MutationObserver(update);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return {
    extension: [shared, highlighting, slot.of(themeFor(dark))],
    stop() {
      media.removeEventListener("change", update);
      observer.disconnect();
    },
  };
}
