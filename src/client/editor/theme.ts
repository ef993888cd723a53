import { syntaxHighlighting } from "@codemirror/language";
import { Compartment, type Extension } from "@codemirror/state";
import { oneDarkTheme } from "@codemirror/theme-one-dark";
import { EditorView } from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";

const lightTheme = EditorView.theme(
  {
    "&": { backgroundColor: "#ffffff", color: "#1e293b" },
    ".cm-gutters": { backgroundColor: "#f8fafc", color: "#94a3b8", borderRight: "1px solid #e2e8f0" },
    ".cm-activeLine": { backgroundColor: "#f1f5f9" },
    ".cm-activeLineGutter": { backgroundColor: "#e2e8f0", color: "#334155" },
    "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
      backgroundColor: "#dbd4ff",
    },
    "&.cm-focused .cm-cursor": { borderLeftColor: "#6845f5" },
  },
  { dark: false },
);

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
  return dark ? oneDarkTheme : lightTheme;
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
