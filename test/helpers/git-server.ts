import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** What every git CLI call in tests runs with: no user config, a fixed identity. */
const GIT_ENV = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: tmpdir(),
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "CLI Person",
  GIT_AUTHOR_EMAIL: "cli@example.com",
  GIT_COMMITTER_NAME: "CLI Person",
  GIT_COMMITTER_EMAIL: "cli@example.com",
  GIT_TERMINAL_PROMPT: "0",
};

/** Run the git CLI in `cwd` and return its trimmed stdout; throws with stderr on failure. */
export function runGit(cwd: string, ...args: string[]): string {
  const result = Bun.spawnSync(["git", ...args], { cwd, env: GIT_ENV });
  if (result.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr.toString()}`);
  return result.stdout.toString().trim();
}

/** Parse a CGI response: headers (with `Status:`) up to a blank line, then the body. */
function cgiResponse(output: Uint8Array): Response {
  const buffer = Buffer.from(output);
  let end = buffer.indexOf("\r\n\r\n");
  let gap = 4;
  if (end < 0) {
    end = buffer.indexOf("\n\n");
    gap = 2;
  }
  const head = buffer.subarray(0, end).toString("latin1");
  const headers = new Headers();
  let status = 200;
  for (const line of head.split(/\r?\n/)) {
    const at = line.indexOf(":");
    const name = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
    else if (name) headers.append(name, value);
  }
  return new Response(buffer.subarray(end + gap), { status, headers });
}

export interface GitServer {
  /** The server's base URL, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  /** Where bare repositories live on disk. */
  root: string;
  /** A new bare repository `name.git` on branch `main` holding `files` in one commit; returns its URL. */
  createRepo(name: string, files: Record<string, string | Uint8Array>): string;
  /** A new bare repository `name.git` with no commits at all (`git init --bare`); returns its URL. */
  createEmptyRepo(name: string): string;
  /** A working clone of a repository (to commit to it or read it with the CLI). */
  cloneRepo(name: string): string;
  stop(): Promise<void>;
}

/** The password of a request's Basic auth, or "" without one. */
function basicPassword(request: Request): string {
  const given = request.headers.get("authorization") ?? "";
  const decoded = given.startsWith("Basic ") ? Buffer.from(given.slice(6), "base64").toString() : "";
  return decoded.split(":").slice(1).join(":");
}

const unauthorized = () =>
  new Response("auth required", { status: 401, headers: { "www-authenticate": 'Basic realm="git"' } });

/**
 * A real git smart-HTTP server on loopback: `git http-backend` as CGI behind Bun.serve. Push is
 * on (`http.receivepack`). With `password`, every request needs Basic auth with that password,
 * as a host that requires a token does; with `canPush`, pushes need a password it accepts.
 */
export function startGitServer(
  options: { password?: string; canPush?: (password: string) => Promise<boolean> } = {},
): GitServer {
  const root = mkdtempSync(join(tmpdir(), "aura-git-"));
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      if (options.password && basicPassword(request) !== options.password) return unauthorized();
      const pushing = url.pathname.endsWith("git-receive-pack") || url.search.includes("git-receive-pack");
      if (pushing && options.canPush && !(await options.canPush(basicPassword(request))))
        return unauthorized();
      const body = new Uint8Array(await request.arrayBuffer());
      const proc = Bun.spawn(["/usr/lib/git-core/git-http-backend"], {
        env: {
          ...GIT_ENV,
          GIT_PROJECT_ROOT: root,
          GIT_HTTP_EXPORT_ALL: "1",
          PATH_INFO: decodeURIComponent(url.pathname),
          QUERY_STRING: url.search.slice(1),
          REQUEST_METHOD: request.method,
          CONTENT_TYPE: request.headers.get("content-type") ?? "",
          CONTENT_LENGTH: String(body.byteLength),
          HTTP_CONTENT_ENCODING: request.headers.get("content-encoding") ?? "",
          GIT_PROTOCOL: request.headers.get("git-protocol") ?? "",
          REMOTE_USER: "tester",
          REMOTE_ADDR: "127.0.0.1",
        },
        stdin: body,
        stdout: "pipe",
        stderr: "ignore",
      });
      const output = new Uint8Array(await new Response(proc.stdout).arrayBuffer());
      await proc.exited;
      return cgiResponse(output);
    },
  });
  const base = server.url.href.replace(/\/$/, "");
  return {
    url: base,
    root,
    createRepo(name, files) {
      const bare = join(root, `${name}.git`);
      runGit(root, "init", "--bare", "-q", "-b", "main", bare);
      runGit(bare, "config", "http.receivepack", "true");
      const work = mkdtempSync(join(tmpdir(), "aura-git-work-"));
      runGit(work, "init", "-q", "-b", "main");
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), content);
      }
      runGit(work, "add", "-A");
      runGit(work, "commit", "-q", "-m", "Initial commit");
      runGit(work, "push", "-q", bare, "main");
      rmSync(work, { recursive: true, force: true });
      return `${base}/${name}.git`;
    },
    createEmptyRepo(name) {
      const bare = join(root, `${name}.git`);
      runGit(root, "init", "--bare", "-q", "-b", "main", bare);
      runGit(bare, "config", "http.receivepack", "true");
      return `${base}/${name}.git`;
    },
    cloneRepo(name) {
      const work = mkdtempSync(join(tmpdir(), "aura-git-clone-"));
      runGit(work, "clone", "-q", join(root, `${name}.git`), ".");
      return work;
    },
    async stop() {
      await server.stop(true);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
