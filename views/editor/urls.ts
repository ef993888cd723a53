/**
 * URLs of the project page, built in one place so every link percent-encodes the same way. A
 * link to a line also names it as the fragment (`#L42`): the server's static copy of the file
 * gives that line the id, so the browser scrolls to it before any script runs.
 */
export const projectUrl = (id: string, file?: string, line?: number) =>
  `/projects/${encodeURIComponent(id)}${file ? `?file=${encodeURIComponent(file)}` : ""}${file && line ? `&line=${line}#${lineAnchor(line)}` : ""}`;

/** The id of a line in the static copy of the open file. */
export const lineAnchor = (line: number) => `L${line}`;

export const projectPart = (id: string, part: string, query: Record<string, string> = {}) => {
  const search = new URLSearchParams(query).toString();
  return `/projects/${encodeURIComponent(id)}/${part}${search ? `?${search}` : ""}`;
};
