import { Compartment, type Extension } from "@codemirror/state";
import { type Command, type EditorView, keymap } from "@codemirror/view";

type SearchModule = typeof import("@codemirror/search");

const slot = new Compartment();
let loading: Promise<SearchModule> | undefined;

// Each trigger key names the command it runs once the package is in.
const TRIGGERS: [key: string, pick: (m: SearchModule) => Command][] = [
  ["Mod-f", (m) => m.openSearchPanel],
  ["F3", (m) => m.findNext],
  ["Mod-g", (m) => m.findNext],
  ["Mod-d", (m) => m.selectNextOccurrence],
  ["Mod-Shift-l", (m) => m.selectSelectionMatches],
  ["Mod-Alt-g", (m) => m.gotoLine],
];

function load(view: EditorView, pick: (m: SearchModule) => Command): boolean {
  loading ??= import("@codemirror/search");
  void loading.then((m) => {
    if (!view.dom.isConnected) return;
    if (slot.get(view.state) === triggers) {
      view.dispatch({
        effects: slot.reconfigure([
          m.search({ top: true }),
          m.highlightSelectionMatches(),
          keymap.of(m.searchKeymap),
        ]),
      });
    }
    pick(m)(view);
  });
  return true;
}

const triggers: Extension = keymap.of(
  TRIGGERS.map(([key, pick]) => ({ key, run: (view) => load(view, pick), preventDefault: true })),
);

/**
 * Add search and replace, go-to-line and select-next-occurrence, downloading
 * @codemirror/search on the first use of one of their keys. Use `search()` directly instead
 * when the panel must be open from the start.
 */
export function lazySearch(): Extension {
  return slot.of(triggers);
}
