import { defaultKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, foldGutter, foldKeymap, indentOnInput } from "@codemirror/language";
import { EditorState, type Extension } from "@codemirror/state";
import {
  crosshairCursor,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
} from "@codemirror/view";
import { type CompletionLoader, lazyCompletion } from "./completion.ts";
import { lazySearch } from "./search.ts";

/**
 * Build the editing features: line numbers, folding, bracket matching, search, multiple
 * cursors, bracket closing and completion (with the language's own sources from `completions`).
 * Use it instead of `basicSetup`, which pulls in lint support and loads search and completion up
 * front. There is no `history()`: in a shared document undo is the live document's own, which
 * undoes only your edits (see mount.ts).
 */
export function editingSetup(completions?: CompletionLoader): Extension {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    foldGutter(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    bracketMatching(),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    lazySearch(),
    // Before the main keymap, as in basicSetup: closeBrackets' Backspace wins over the default.
    lazyCompletion(completions),
    keymap.of([...defaultKeymap, ...foldKeymap, indentWithTab]),
  ];
}
