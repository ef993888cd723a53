import type { Config } from "../../config.ts";
import { NotFoundError } from "../../errors.ts";
import type { Ports } from "../../ports.ts";
import { validatePath } from "../files/paths.ts";
import { accessFile } from "../files/service.ts";
import { projectAccess } from "../projects/access.ts";
import { isHtml } from "./content.ts";
import { createPreviewTokens, PREVIEW_TTL_SECONDS, type PreviewTokens } from "./tokens.ts";

type PreviewDeps = Pick<Ports, "db" | "memo"> & { config: Pick<Config, "jwtSecret" | "previewOrigin"> };

/** The page a preview opens when no HTML file is open. */
const DEFAULT_PAGE = "index.html";

const signers = new Map<string, PreviewTokens>();
const tokensFor = (secret: string) => {
  const known = signers.get(secret);
  if (known) return known;
  const tokens = createPreviewTokens(secret);
  signers.set(secret, tokens);
  return tokens;
};

/** A path as a URL's path: each segment percent-encoded, `/` kept. */
export const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/** Where a project's previews are served: PREVIEW_ORIGIN when set, else the IDE's own origin (a relative URL). */
export const previewBase = (config: Pick<Config, "previewOrigin">, projectId: string) =>
  `${config.previewOrigin ?? ""}/preview/${encodeURIComponent(projectId)}/`;

/**
 * A page's preview URL with the token in its path, as a page is served (serve.ts): what the
 * editor's frame loads, without the redirect that `?t=` on a page costs.
 */
export const pageUrl = (
  config: Pick<Config, "previewOrigin">,
  projectId: string,
  page: string,
  token: string,
) => `${previewBase(config, projectId)}~t.${token}/${encodePath(page)}`;

/** A preview link for a member: the project's page `path`, readable with its token until it expires. */
export interface PreviewGrant {
  token: string;
  /** Seconds the token stays valid. */
  expiresIn: number;
  url: string;
}

/**
 * Issue a preview token to a member of the project (any role: a preview only reads). Someone
 * else's project, or none: NotFoundError.
 */
export async function issuePreview(
  deps: PreviewDeps,
  userId: string,
  projectId: string,
  path: string = DEFAULT_PAGE,
): Promise<PreviewGrant> {
  const { project } = await projectAccess(deps, userId, projectId, "viewer");
  const page = validatePath(path);
  const token = await tokensFor(deps.config.jwtSecret).sign({ userId, projectId: project.id });
  const url = `${previewBase(deps.config, project.id)}${encodePath(page)}?t=${encodeURIComponent(token)}`;
  return { token, expiresIn: PREVIEW_TTL_SECONDS, url };
}

/** What a preview request resolves to: a file's bytes, or a folder to be asked for with its slash. */
export type PreviewTarget =
  | { kind: "file"; path: string; body: string | Uint8Array<ArrayBuffer> }
  | { kind: "folder"; path: string };

/**
 * The file a preview URL names, read as the token's holder: the token must be valid and issued
 * for this project (else UnauthorizedError / NotFoundError), its holder still a member (else
 * NotFoundError), and the path valid (ValidationError). An empty path or one ending in `/` is
 * that folder's `index.html`; a folder named without its slash is answered as a folder.
 */
export async function openPreviewFile(
  deps: PreviewDeps,
  token: string,
  projectId: string,
  path: string,
): Promise<PreviewTarget> {
  const claims = await tokensFor(deps.config.jwtSecret).verify(token);
  if (claims.projectId !== projectId.toLowerCase()) throw new NotFoundError("Project");
  const folder = path === "" || path.endsWith("/");
  const wanted = folder ? `${path}${DEFAULT_PAGE}` : path;
  if (!folder) validatePath(path);
  try {
    const { file } = await accessFile(deps, claims.userId, projectId, wanted);
    // Binary files are stored as base64 (docs/decisions.md): served as their bytes.
    const body =
      file.encoding === "base64" ? new Uint8Array(Buffer.from(file.content, "base64")) : file.content;
    return { kind: "file", path: wanted, body };
  } catch (error) {
    if (folder || !(error instanceof NotFoundError) || error.message.startsWith("Project")) throw error;
    // `docs` may be a folder with an index page, linked to without its slash.
    await accessFile(deps, claims.userId, projectId, `${path}/${DEFAULT_PAGE}`);
    return { kind: "folder", path };
  }
}

/** Whether a project is a web project: what its page offers beside (or instead of) Run. */
export function previewMode(language: string | null, paths: readonly string[]): "only" | "also" | undefined {
  if (language === "html" || language === "css") return "only";
  return paths.some(isHtml) ? "also" : undefined;
}

/** The page a preview shows: the open file when it is an HTML page, else `index.html`. */
export function pageFor(openFile: string | undefined): string {
  return openFile && isHtml(openFile) ? openFile : DEFAULT_PAGE;
}
