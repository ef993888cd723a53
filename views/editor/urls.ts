/** URLs of the project page, built in one place so every link percent-encodes the same way. */
export const projectUrl = (id: string, file?: string, line?: number) =>
  `/projects/${encodeURIComponent(id)}${file ? `?file=${encodeURIComponent(file)}` : ""}${file && line ? `&line=${line}` : ""}`;

export const projectPart = (id: string, part: string, query: Record<string, string> = {}) => {
  const search = new URLSearchParams(query).toString();
  return `/projects/${encodeURIComponent(id)}/${part}${search ? `?${search}` : ""}`;
};
