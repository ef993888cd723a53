import { diffLines } from "diff";
import type * as Y from "yjs";

/**
 * Turn `text` into `target` with as few edits as a line diff finds, so collaborators' cursors
 * and their work outside the changed lines stay where they are (a whole-text replace would
 * move every cursor to the end). Call inside a Yjs transaction.
 */
export function applyTextDiff(text: Y.Text, target: string): void {
  const current = text.toString();
  if (current === target) return;
  // The common prefix and suffix first: cheap, and most edits touch one region.
  let start = 0;
  const max = Math.min(current.length, target.length);
  while (start < max && current.charCodeAt(start) === target.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    current.charCodeAt(current.length - 1 - end) === target.charCodeAt(target.length - 1 - end)
  )
    end++;
  // Never split a surrogate pair: Yjs encodes text as UTF-8, where half a pair is not a character.
  const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
  const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;
  if (start > 0 && isHigh(current.charCodeAt(start - 1))) start--;
  if (end > 0 && isLow(current.charCodeAt(current.length - end))) end--;
  const before = current.slice(start, current.length - end);
  const after = target.slice(start, target.length - end);
  let at = start;
  for (const part of diffLines(before, after)) {
    if (part.added) {
      text.insert(at, part.value);
      at += part.value.length;
    } else if (part.removed) text.delete(at, part.value.length);
    else at += part.value.length;
  }
}
