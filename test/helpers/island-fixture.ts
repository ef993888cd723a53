/**
 * A minimal stand-in for the project page and its file PUT, for browser tests of the editor
 * island alone: it serves the built assets from the manifest, one page with the island's markup
 * contract, `PUT /projects/:id/files/*path` with an in-memory version counter, and empty answers
 * from the AI endpoints (`POST /projects/:id/ai/complete|analyze`).
 */
import { assetFiles } from "../../src/generated/assets.ts";
import { CONTENT_SECURITY_POLICY } from "../../src/plugins/security-headers.ts";

export const FIXTURE_TOKEN = "fixture-csrf-token";
export const FIXTURE_PROJECT = "p1";

export interface FixtureFile {
  content: string;
  version: number;
}

export interface SaveRequest {
  path: string;
  baseVersion: number | undefined;
  content: string;
  status: number;
  at: number;
}

export interface IslandFixture {
  url: string;
  files: Map<string, FixtureFile>;
  saves: SaveRequest[];
  stop(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const asset = (name: string) => (assetFiles as Record<string, { url: string }>)[name]?.url ?? "";

function page(path: string, file: FixtureFile): string {
  const language = path.split(".").pop() ?? "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(path)}</title>
<link rel="stylesheet" href="${asset("app.css")}">
<script src="${asset("htmx.js")}" defer></script>
<script type="module" src="${asset("editor.js")}"></script>
</head>
<body class="flex h-screen flex-col" hx-headers:inherited='${JSON.stringify({ "X-CSRF-Token": FIXTURE_TOKEN })}'>
<main class="min-h-0 flex-1">
<div class="h-full" data-editor data-project="${FIXTURE_PROJECT}" data-path="${escapeHtml(path)}" data-version="${file.version}" data-language="${language}"><textarea hidden>${escapeHtml(file.content)}</textarea></div>
</main>
<footer class="flex gap-4 border-t border-slate-200 px-3 py-1 text-xs dark:border-slate-700" aria-label="Status">
<span data-status-language></span><span data-status-cursor></span><span data-status-save role="status"></span>
</footer>
</body></html>`;
}

/** Start the fixture on a free loopback port with the given files. */
export function startIslandFixture(initial: Record<string, string>): IslandFixture {
  const files = new Map(Object.entries(initial).map(([p, content]) => [p, { content, version: 1 }]));
  const saves: SaveRequest[] = [];
  const byUrl = new Map<string, string>(Object.values(assetFiles).map((a) => [a.url, a.file]));
  const headers = { "content-security-policy": CONTENT_SECURITY_POLICY };
  const json = (body: unknown, status = 200) => Response.json(body, { status, headers });

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      const served = byUrl.get(url.pathname);
      if (served) return new Response(Bun.file(served), { headers });
      // The island asks for AI completions as you type: answer with nothing, quietly (a 404 would
      // log a console error). Tests of the AI features stub these with page.route instead.
      if (request.method === "POST" && /^\/projects\/[^/]+\/ai\/complete$/.test(url.pathname))
        return json({
          suggestions: [],
          contextUsed: 0,
          latency: 0,
          cost: 0,
          model: "fixture",
          cacheHit: false,
        });
      // The project's identifiers for local completion (the real route reads the code index).
      if (request.method === "GET" && /^\/projects\/[^/]+\/words$/.test(url.pathname))
        return json({ words: ["projectWideHelper"] });
      if (request.method === "POST" && /^\/projects\/[^/]+\/ai\/analyze$/.test(url.pathname))
        return json({ summary: "", findings: [], latency: 0, cost: 0, model: "fixture" });
      const match = url.pathname.match(/^\/projects\/([^/]+)\/files\/(.+)$/);
      if (url.pathname === "/favicon.ico") return new Response(null, { status: 204, headers });
      if (!match) return new Response("not found", { status: 404, headers });
      const path = match[2]!.split("/").map(decodeURIComponent).join("/");
      const file = files.get(path);
      if (request.method === "GET") {
        if (!file) return new Response("not found", { status: 404, headers });
        return new Response(page(path, file), {
          headers: { ...headers, "content-type": "text/html; charset=utf-8" },
        });
      }
      if (request.method !== "PUT") return new Response("method not allowed", { status: 405, headers });
      if (request.headers.get("x-csrf-token") !== FIXTURE_TOKEN)
        return json({ error: { code: "csrf", message: "no token" } }, 403);
      const body = (await request.json()) as { content: string; baseVersion?: number };
      const current = file ?? { content: "", version: 0 };
      const stale = body.baseVersion !== undefined && body.baseVersion !== current.version;
      saves.push({
        path,
        baseVersion: body.baseVersion,
        content: body.content,
        status: stale ? 409 : 200,
        at: Date.now(),
      });
      if (stale) {
        return json(
          { error: { code: "conflict", message: "The file changed since you opened it" }, current },
          409,
        );
      }
      const next = { content: body.content, version: current.version + 1 };
      files.set(path, next);
      return json({ path, version: next.version, size: new TextEncoder().encode(body.content).length });
    },
  });
  return {
    url: server.url.href.replace(/\/$/, ""),
    files,
    saves,
    stop: () => server.stop(true),
  };
}
