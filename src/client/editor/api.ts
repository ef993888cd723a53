/** Read the CSRF token the layout puts on <body> for htmx; undefined on pages without one. */
export function csrfToken(): string | undefined {
  const raw = document.body.getAttribute("hx-headers:inherited") ?? document.body.getAttribute("hx-headers");
  if (!raw) return undefined;
  try {
    const headers = JSON.parse(raw) as Record<string, unknown>;
    const token = headers["X-CSRF-Token"];
    return typeof token === "string" ? token : undefined;
  } catch {
    return undefined; // a malformed attribute: the server will answer 403 and the caller says so
  }
}
