/** Fuzzy name matching for "Go to": symbols and file paths, letters in order. */

/**
 * How well `query` matches a symbol: its letters must appear in order in the name (or the
 * qualified name). Exact and prefix matches rank first, then matches at word starts, then
 * scattered ones. Undefined when it does not match at all. An empty query matches everything.
 */
export function fuzzyScore(query: string, name: string, qualified: string): number | undefined {
  const q = query.trim().toLowerCase();
  if (!q) return 0;
  const n = name.toLowerCase();
  if (n === q) return 1_000;
  if (n.startsWith(q)) return 800 - n.length;
  if (n.includes(q)) return 600 - n.indexOf(q) - n.length;
  const full = qualified.toLowerCase();
  if (full.includes(q)) return 500 - full.length;
  let at = 0;
  let score = 300;
  for (const ch of q) {
    const found = full.indexOf(ch, at);
    if (found < 0) return undefined;
    // A letter starting a word (after _ . or a lower→upper case change) is a good sign; a gap is not.
    const prev = qualified[found - 1];
    const boundary =
      found === 0 ||
      prev === "_" ||
      prev === "." ||
      (/[a-z]/.test(prev ?? "") && /[A-Z]/.test(qualified[found]!));
    score += boundary ? 5 : -(found - at);
    at = found + 1;
  }
  return score - full.length;
}
