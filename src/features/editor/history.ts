import { structuredPatch } from "diff";

export interface DiffLine {
  kind: "add" | "del" | "ctx" | "hunk";
  text: string;
}

/** The most diff lines shown per version; the rest is summarised. */
const MAX_DIFF_LINES = 400;

/**
 * A line diff from `before` to `after` (jsdiff, two lines of context), as plain lines for
 * escaped rendering, with counts of added and removed lines.
 */
export function lineDiff(before: string, after: string) {
  const patch = structuredPatch("before", "after", before, after, "", "", { context: 2 });
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    lines.push({
      kind: "hunk",
      text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
    });
    for (const line of hunk.lines) {
      const mark = line[0];
      if (mark === "\\") continue; // "\ No newline at end of file"
      if (mark === "+") added++;
      if (mark === "-") removed++;
      lines.push({ kind: mark === "+" ? "add" : mark === "-" ? "del" : "ctx", text: line.slice(1) });
    }
  }
  const truncated = Math.max(0, lines.length - MAX_DIFF_LINES);
  return { lines: lines.slice(0, MAX_DIFF_LINES), truncated, added, removed };
}
