import type { ITheme } from "@xterm/xterm";

/** ANSI colours readable on the page's white: xterm's own palette is made for a dark screen. */
const LIGHT_ANSI: ITheme = {
  black: "#1e293b",
  red: "#b91c1c",
  green: "#15803d",
  yellow: "#a16207",
  blue: "#1d4ed8",
  magenta: "#a21caf",
  cyan: "#0e7490",
  white: "#64748b",
  brightBlack: "#475569",
  brightRed: "#dc2626",
  brightGreen: "#16a34a",
  brightYellow: "#ca8a04",
  brightBlue: "#2563eb",
  brightMagenta: "#c026d3",
  brightCyan: "#0891b2",
  brightWhite: "#94a3b8",
};

/** Whether the page is dark: `data-theme` on <html> wins over the system setting (as in the editor). */
function dark(): boolean {
  const forced = document.documentElement.dataset.theme;
  if (forced === "dark" || forced === "light") return forced === "dark";
  return matchMedia("(prefers-color-scheme: dark)").matches;
}

/** The terminal's colours: the editor's palette (app.css custom properties), so both are one surface. */
export function currentTheme(): ITheme {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string) => style.getPropertyValue(name).trim() || undefined;
  const base: ITheme = {
    background: v("--editor-bg"),
    foreground: v("--editor-fg"),
    cursor: v("--editor-cursor"),
    cursorAccent: v("--editor-bg"),
    selectionBackground: v("--editor-selection"),
  };
  return dark() ? base : { ...LIGHT_ANSI, ...base };
}

/** Call `apply` whenever the colour scheme or `data-theme` changes; returns the stop function. */
export function followTheme(apply: () => void): () => void {
  const media = matchMedia("(prefers-color-scheme: dark)");
  media.addEventListener("change", apply);
  const observer = new MutationObserver(apply);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => {
    media.removeEventListener("change", apply);
    observer.disconnect();
  };
}
