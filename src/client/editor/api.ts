/** The outcome of one save request, classified for the save queue. */
export type SaveResult =
  | { kind: "saved"; version: number }
  | { kind: "conflict"; version: number; content: string }
  | { kind: "offline" }
  | { kind: "retry"; afterMs: number }
  | { kind: "signed-out" }
  | { kind: "too-large" }
  | { kind: "failed"; message: string };

/** Where a file lives on the server. */
export interface FileRef {
  project: string;
  path: string;
}

/** Read the CSRF token the layout puts on <body> for htmx; undefined on pages without one. */
export function csrfToken(): string | undefined {
  const raw = document.body.getAttribute("hx-headers:inherited") ?? document.body.getAttribute("hx-headers");
  if (!raw) return undefined;
  try {
    const headers = JSON.parse(raw) as Record<string, unknown>;
    const token = headers["X-CSRF-Token"];
    return typeof token === "string" ? token : undefined;
  } catch {
    return undefined; // a malformed attribute: the server will answer 403 and the status bar says so
  }
}

/** Build the HTML-face URL of a file, percent-encoding each path segment on its own. */
export function fileUrl({ project, path }: FileRef): string {
  const segments = path.split("/").map(encodeURIComponent).join("/");
  return `/projects/${encodeURIComponent(project)}/files/${segments}`;
}

/**
 * Send one save with its `baseVersion` and classify the answer. Never throws: a network
 * failure is `offline`, so the caller keeps the text instead of losing it.
 */
export async function saveFile(file: FileRef, content: string, baseVersion: number): Promise<SaveResult> {
  if (!navigator.onLine) return { kind: "offline" };
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  const token = csrfToken();
  if (token) headers["X-CSRF-Token"] = token;
  let response: Response;
  try {
    response = await fetch(fileUrl(file), {
      method: "PUT",
      headers,
      body: JSON.stringify({ content, baseVersion }),
      credentials: "same-origin",
      redirect: "manual", // a 303 to the sign-in page must not look like a successful save
    });
  } catch {
    return { kind: "offline" };
  }
  return classify(response);
}

async function classify(response: Response): Promise<SaveResult> {
  if (response.type === "opaqueredirect" || response.status === 401) return { kind: "signed-out" };
  if (response.status === 413) return { kind: "too-large" };
  if (response.status === 429 || response.status === 503) {
    const seconds = Number(response.headers.get("retry-after"));
    return { kind: "retry", afterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 5000 };
  }
  const body = (await response.json().catch(() => undefined)) as
    | { version?: number; current?: { version: number; content: string }; error?: { message?: string } }
    | undefined;
  if (response.ok && typeof body?.version === "number") return { kind: "saved", version: body.version };
  if (response.status === 409 && body?.current) {
    return { kind: "conflict", version: body.current.version, content: body.current.content };
  }
  if (response.status >= 500) return { kind: "retry", afterMs: 5000 };
  return { kind: "failed", message: body?.error?.message ?? `Save failed (${response.status})` };
}
