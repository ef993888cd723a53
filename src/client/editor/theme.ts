import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { Compartment, type Extension } from "@codemirror/state";
import { oneDark } from "@codemirror/theme-one-dark";
import { EditorView } from "@codemirror/view";

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
});

/** Tell whether the page wants dark colours: `data-theme` on <html> wins over the system setting. */
export function prefersDark(): boolean {
  const forced = document.documentElement.dataset.theme;
  if (forced === "dark" || forced === "light") return forced === "dark";
  return matchMedia("(prefers-color-scheme: dark)").matches;
}

function themeFor(dark: boolean): Extension {
  return dark ? oneDark : [lightTheme, syntaxHighlighting(defaultHighlightStyle)];
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
    extension: [shared, slot.of(themeFor(dark))],
    stop() {
      media.removeEventListener("change", update);
      observer.disconnect();
    },
  };
}
