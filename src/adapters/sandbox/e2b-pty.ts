/**
 * Terminals on E2B: each terminal is a sandbox (a Firecracker microVM) of its own, with the
 * project's files in WORK_DIR and a shell on the SDK's PTY (`sandbox.pty.create`). Its E2B
 * lifetime is kept a little ahead of the terminal (renewed while it is open), so a terminal
 * this process forgets is reaped by E2B. Limits are the VM's own (the template's size).
 */
import { UnavailableError, UpstreamError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type { PtyExit, PtyRequest, PtySession } from "./types.ts";
import { safeRelativePath } from "./workdir.ts";

/** The PTY handle the SDK returns: wait for the shell's end, kill it. */
interface E2BPtyHandle {
  readonly pid: number;
  wait(): Promise<{ exitCode: number }>;
}

/** The part of an E2B `Sandbox` a terminal uses. */
interface E2BPtySandbox {
  readonly sandboxId: string;
  files: {
    write(path: string, data: string | Blob): Promise<unknown>;
    list(
      path: string,
      opts?: { depth?: number },
    ): Promise<{ path: string; type?: string; size: number; symlinkTarget?: string | undefined }[]>;
    read(path: string): Promise<string>;
  };
  pty: {
    create(opts: {
      cols: number;
      rows: number;
      onData: (data: Uint8Array) => void;
      timeoutMs?: number;
      cwd?: string;
      envs?: Record<string, string>;
    }): Promise<E2BPtyHandle>;
    sendInput(pid: number, data: Uint8Array): Promise<void>;
    resize(pid: number, size: { cols: number; rows: number }): Promise<void>;
    kill(pid: number): Promise<boolean>;
  };
  setTimeout(timeoutMs: number): Promise<unknown>;
  kill(): Promise<unknown>;
}

export type CreatePtySandbox = (opts: { apiKey: string; timeoutMs: number }) => Promise<E2BPtySandbox>;

const WORK_DIR = "/home/user/work";
/** E2B's lifetime of a terminal's sandbox, renewed every RENEW_MS while the terminal is open. */
const LIFETIME_MS = 10 * 60_000;
const RENEW_MS = 5 * 60_000;
const READ_LIMITS = { fileBytes: 1024 * 1024, totalBytes: 50 * 1024 * 1024, files: 5000 };
const SKIP = /(^|\/)(\.git|node_modules|__pycache__)(\/|$)/;
/** How deep the work dir is listed; a path deeper than that is never taken for deleted. */
const LIST_DEPTH = 32;

type EntryKind = "dir" | "link" | "file";

/**
 * Whether `path` (a project file the terminal started with, not read back) is gone from the
 * listing: not listed at all, a folder in its place, or a file in place of one of its folders.
 * A path in a tool folder, behind a link or past the listing's depth stays.
 */
function isGone(path: string, kinds: Map<string, EntryKind>): boolean {
  const parts = path.split("/");
  if (SKIP.test(path) || parts.length >= LIST_DEPTH) return false;
  const own = kinds.get(path);
  if (own !== undefined) return own === "dir";
  for (let i = 1; i < parts.length; i++) {
    const folder = kinds.get(parts.slice(0, i).join("/"));
    if (folder === "link") return false;
    if (folder === "file") return true;
  }
  return true;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Open a terminal in a new E2B sandbox. Throws 503 when E2B cannot give one, 502 when it fails after. */
export async function openE2BPty(
  create: CreatePtySandbox,
  apiKey: string,
  request: PtyRequest,
  logger: Logger,
): Promise<PtySession> {
  let sandbox: E2BPtySandbox;
  try {
    sandbox = await create({ apiKey, timeoutMs: LIFETIME_MS });
  } catch (error) {
    throw new UnavailableError(`E2B unavailable: ${describe(error)}`, error);
  }
  let handle: E2BPtyHandle;
  try {
    for (const [path, content] of Object.entries(request.files)) {
      const data = typeof content === "string" ? content : new Blob([Uint8Array.from(content)]);
      await sandbox.files.write(`${WORK_DIR}/${safeRelativePath(path, `files.${path}`).join("/")}`, data);
    }
    handle = await sandbox.pty.create({
      cols: request.cols,
      rows: request.rows,
      onData: (data) => request.onData(data),
      // No wall clock: the terminal's owner (or its idle timeout) ends it.
      timeoutMs: 0,
      cwd: WORK_DIR,
      envs: { TERM: "xterm-256color" },
    });
  } catch (error) {
    await sandbox.kill().catch(() => undefined);
    throw new UpstreamError(`E2B failed: ${describe(error)}`, error);
  }
  const renew = setInterval(() => {
    sandbox
      .setTimeout(LIFETIME_MS)
      .catch((error: unknown) => logger.warn({ err: error }, "E2B: not renewed"));
  }, RENEW_MS);
  const exited: Promise<PtyExit> = handle.wait().then(
    (result) => ({ exitCode: result.exitCode }),
    (error: unknown) => {
      const code = (error as { exitCode?: unknown }).exitCode;
      return { exitCode: typeof code === "number" ? code : null };
    },
  );
  let closing: Promise<void> | undefined;
  const encoder = new TextEncoder();
  const quietly = (what: string) => (error: unknown) => logger.warn({ err: error }, `E2B terminal: ${what}`);
  return {
    write(data) {
      const bytes = typeof data === "string" ? encoder.encode(data) : data;
      sandbox.pty.sendInput(handle.pid, bytes).catch(quietly("input lost"));
    },
    resize(cols, rows) {
      sandbox.pty.resize(handle.pid, { cols, rows }).catch(quietly("not resized"));
    },
    exited,
    async readFiles(known = []) {
      const out: Record<string, string> = Object.create(null);
      const kinds = new Map<string, EntryKind>();
      let total = 0;
      try {
        const entries = await sandbox.files.list(WORK_DIR, { depth: LIST_DEPTH });
        for (const entry of entries) {
          const relative = entry.path.slice(WORK_DIR.length + 1);
          kinds.set(relative, entry.symlinkTarget ? "link" : entry.type === "dir" ? "dir" : "file");
          const skipped = entry.type !== "file" || entry.symlinkTarget || SKIP.test(relative);
          if (skipped || entry.size > READ_LIMITS.fileBytes) continue;
          if (total + entry.size > READ_LIMITS.totalBytes || Object.keys(out).length >= READ_LIMITS.files)
            continue;
          const text = await sandbox.files.read(entry.path);
          if (text.includes("\u0000") || text.includes("\uFFFD")) continue;
          out[relative] = text;
          total += entry.size;
        }
      } catch (error) {
        throw new UpstreamError(`E2B failed: ${describe(error)}`, error);
      }
      return { files: out, gone: known.filter((path) => !Object.hasOwn(out, path) && isGone(path, kinds)) };
    },
    close() {
      closing ??= (async () => {
        clearInterval(renew);
        await sandbox.pty.kill(handle.pid).catch(quietly("shell not killed"));
        await sandbox.kill().catch(quietly("sandbox not killed"));
      })();
      return closing;
    },
  };
}
