import { Elysia, t } from "elysia";
import type { Deps } from "../../deps.ts";
import { AppError, NotFoundError, ValidationError } from "../../errors.ts";
import { FILE_PATH_RULES } from "../docs/api-schema.ts";
import { contentTypeOf, isHtml, withConsoleBridge } from "./content.ts";
import { encodePath, openPreviewFile } from "./service.ts";

/**
 * Every preview answer, errors included: a sandbox without `allow-same-origin` gives the page an
 * opaque origin, so its scripts can read no cookie, storage or page of the IDE, and its requests
 * to the IDE are cross-site (no cookies). Module scripts of an opaque origin are fetched in CORS
 * mode, hence the wildcard: the token in the URL, not the origin, is what lets a request read.
 */
const ISOLATION = {
  "content-security-policy": "sandbox allow-scripts allow-forms allow-popups",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
  "access-control-allow-origin": "*",
  "cross-origin-resource-policy": "cross-origin",
};

/** The token carried in the path: `/preview/{id}/~t.{token}/{path}`, so relative URLs keep it. */
const IN_PATH = /^~t\.([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)(?:\/|$)/;
const PREVIEW_URL = /^\/preview\/([^/]+)\/(.*)$/;

interface PreviewRequest {
  projectId: string;
  token: string | undefined;
  /** Where the file paths of this URL start: with the token in the path, after it. */
  base: string;
  tokenInPath: boolean;
  path: string;
}

/** The parts of a preview URL, its path percent-decoded exactly once (as the files routes do). */
function parse(url: URL): PreviewRequest {
  const [, id = "", rest = ""] = PREVIEW_URL.exec(url.pathname) ?? [];
  const inPath = IN_PATH.exec(rest);
  const encoded = inPath ? rest.slice(inPath[0].length) : rest;
  let path: string;
  try {
    path = decodeURIComponent(encoded);
  } catch {
    throw new ValidationError("path: is not valid percent-encoding", "path");
  }
  const base = `/preview/${id}/${inPath ? `~t.${inPath[1]}/` : ""}`;
  const token = inPath?.[1] ?? url.searchParams.get("t") ?? undefined;
  return { projectId: decodeURIComponent(id), token, base, tokenInPath: Boolean(inPath), path };
}

const text = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(`${message}\n`, {
    status,
    headers: { ...ISOLATION, "content-type": "text/plain; charset=utf-8", ...headers },
  });

async function answer(deps: Deps, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const target = parse(url);
  if (!target.token)
    return text(401, "A preview link needs its token (t=); open the preview from the project.");
  const found = await openPreviewFile(deps, target.token, target.projectId, target.path).catch((error) => {
    // Name the missing file (plain text, never rendered): "index.html not found".
    if (error instanceof NotFoundError && error.message === "File not found")
      throw new NotFoundError(
        target.path === "" || target.path.endsWith("/") ? `${target.path}index.html` : target.path,
      );
    throw error;
  });
  const query = target.tokenInPath ? "" : `?t=${encodeURIComponent(target.token)}`;
  if (found.kind === "folder")
    return text(302, "This is a folder.", { location: `${target.base}${encodePath(found.path)}/${query}` });
  // A page's relative URLs resolve against its own URL: a page is always served with the token
  // in its path, so the stylesheets, scripts, images and links it names carry it too.
  if (isHtml(found.path) && !target.tokenInPath)
    return text(302, "The page moved.", {
      location: `${target.base}~t.${target.token}/${encodePath(target.path)}`,
    });
  const body =
    isHtml(found.path) && typeof found.body === "string" ? withConsoleBridge(found.body) : found.body;
  return new Response(body, { headers: { ...ISOLATION, "content-type": contentTypeOf(found.path) } });
}

/**
 * `GET /preview/{projectId}/{path}`: a project's files as a static site, for whoever holds a
 * preview token of that project (no session cookie is read or set). Registered outside the HTML
 * face: its answers carry the sandbox policy instead of the IDE's headers, and errors are short
 * texts rather than IDE pages.
 */
export function previewSite(deps: Deps) {
  return new Elysia({ name: "preview-site" }).get(
    "/preview/:projectId/*",
    async ({ request }) => {
      try {
        return await answer(deps, request);
      } catch (error) {
        if (error instanceof AppError) return text(error.status, error.message);
        throw error;
      }
    },
    {
      // The path is parsed from the raw URL and checked like every file path (parse, openPreviewFile).
      query: t.Object({ t: t.Optional(t.String({ maxLength: 4096 })) }),
      detail: {
        operationId: "previewFile",
        tags: ["Preview"],
        summary: "A project's file, served as a static site",
        description:
          "Serves the project's files to a browser as a static site: `index.html` for an empty path or one " +
          "ending in `/`, the content type by extension, and `Content-Security-Policy: sandbox allow-scripts " +
          "allow-forms allow-popups` (an opaque origin: the page cannot read the IDE's cookies or call its " +
          "API as the user), `X-Content-Type-Options: nosniff`, `Cache-Control: no-store`. No session is " +
          "read: the preview token (`t`, from `POST /api/v1/projects/{id}/preview-tokens`) is the " +
          "credential, for 15 minutes and this project only, while its holder is a member. An HTML page " +
          "asked for with `?t=` is redirected (302) to `/preview/{projectId}/~t.{token}/{path}`, so the " +
          "relative URLs it names keep the token; HTML pages get a small script that forwards console " +
          "output to the editor's preview pane. 401 without a valid token, 404 for a missing file or " +
          "another project, 400 for a bad path. Errors are plain text.",
        security: [],
        parameters: [
          {
            name: "projectId",
            in: "path",
            required: true,
            description: "The project's id.",
            schema: { type: "string" },
          },
          {
            name: "path",
            in: "path",
            required: true,
            description: `${FILE_PATH_RULES} Empty or ending in \`/\`: that folder's \`index.html\`.`,
            schema: { type: "string" },
          },
        ],
        responses: {
          "200": { description: "The file, with the sandbox headers." },
          "302": { description: "An HTML page or a folder: the same file at its canonical preview URL." },
          "400": { description: "The path breaks the rules." },
          "401": { description: "No preview token, or an expired or invalid one." },
          "404": { description: "No such file, or a token of another project, or its holder is no member." },
          "500": { description: "An unexpected failure (logged with its error id)." },
          "503": { description: "The database is unavailable." },
        },
      },
    },
  );
}
