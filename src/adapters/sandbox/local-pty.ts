import type { Subprocess } from "bun";
import { UnavailableError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type { CgroupHost, RunCgroup } from "./cgroup-versions.ts";
import { type HostTools, sandboxCommand } from "./command.ts";
import { killGroup } from "./process.ts";
import type { PtyExit, PtyRequest, PtySession, RunLimits, WorkDirFiles } from "./types.ts";
import { createEmptyWorkDir, removeWorkDir, writeFiles } from "./workdir.ts";

/** What a terminal shares with the runs of its local runner: tools, limits, cgroups, seccomp. */
export interface PtyHost {
  tools: HostTools;
  limits: RunLimits;
  tmpBytes: number;
  runRoot: string;
  cgroups: CgroupHost | undefined;
  /** The child's fd of the seccomp program, when there is one. */
  seccompFd: number | undefined;
  /** Spawn with the seccomp program open as the child's extra fds (see local.ts). */
  withFilter<T>(spawn: (extra: number[]) => T): T;
  logger: Logger;
}

/** A shell's processes may each use this much CPU time (an rlimit, not a wall clock). */
const CPU_MS = 60 * 60 * 1000;
/** How often a terminal's cgroup is asked whether it hit its memory or process limit. */
const LIMIT_POLL_MS = 250;
/** What readFiles brings back: text files up to 1 MiB each, 50 MiB and 5,000 files in all. */
const READ_LIMITS = { fileBytes: 1024 * 1024, totalBytes: 50 * 1024 * 1024, files: 5000 };

/** RLIMIT_NPROC above the group's process limit, when there is a group. */
const NPROC_HEADROOM = 8;

const SHELL = ["/usr/bin/bash", "--noprofile", "--norc", "-i"];
const SHELL_ENV = { TERM: "xterm-256color", PS1: "\\W \\$ ", HISTFILE: "/tmp/.bash_history" };

/**
 * Runs inside the sandbox, as its uid, to list the work dir: regular files only (links are
 * skipped, so nothing outside /work is read), UTF-8 text without NUL, within READ_LIMITS.
 * Tool folders (.git, node_modules, __pycache__) stay out, as do folders it may not read.
 * Then, for each path on stdin (a JSON array: the project files the terminal started with)
 * that was not read, whether it is gone: looked up with lstat one segment at a time, it is
 * gone only when a segment is missing (or is a file where a folder was, or a folder where the
 * file was) below real folders — a path that still holds something unread, or that a link or
 * an unreadable folder hides, stays.
 */
const READER = `
const fs = require("node:fs");
const L = ${JSON.stringify(READ_LIMITS)};
const skip = new Set([".git", "node_modules", "__pycache__", ".bash_history"]);
const decoder = new TextDecoder("utf-8", { fatal: true });
const out = Object.create(null); let total = 0; let count = 0;
const walk = (dir, rel) => {
  let names;
  try { names = fs.readdirSync(dir).sort(); } catch { return; }
  for (const name of names) {
    if (skip.has(name)) continue;
    const path = dir + "/" + name, relative = rel ? rel + "/" + name : name;
    let st;
    try { st = fs.lstatSync(path); } catch { continue; }
    if (st.isDirectory()) { walk(path, relative); continue; }
    if (!st.isFile() || st.size > L.fileBytes || total + st.size > L.totalBytes || count >= L.files) continue;
    let text;
    try { text = decoder.decode(fs.readFileSync(path)); } catch { continue; }
    if (text.includes("\\u0000")) continue;
    out[relative] = text; total += st.size; count++;
  }
};
walk("/work", "");
const kind = (path) => {
  try {
    const st = fs.lstatSync(path);
    return st.isDirectory() ? "dir" : st.isSymbolicLink() ? "link" : "file";
  } catch (error) { return error.code === "ENOENT" ? "none" : "unknown"; }
};
const isGone = (known) => {
  const parts = known.split("/");
  if (parts.some((s) => s === "" || s === "." || s === ".." || skip.has(s))) return false;
  let dir = "/work";
  for (let i = 0; i < parts.length; i++) {
    const k = kind(dir + "/" + parts[i]), last = i === parts.length - 1;
    if (k === "none" || (k === "file" && !last) || (k === "dir" && last)) return true;
    if (k !== "dir") return false;
    dir += "/" + parts[i];
  }
  return false;
};
const known = JSON.parse(fs.readFileSync(0, "utf8") || "[]");
const gone = known.filter((p) => typeof p === "string" && !Object.hasOwn(out, p) && isGone(p));
process.stdout.write(JSON.stringify({ files: out, gone }));
`;

/**
 * Start a shell in a sandbox of its own: the project's files in a fresh work dir owned by
 * `uid`, the runs' isolation (namespaces, seccomp, uid, rlimits) and, with cgroups, a group
 * with the runs' memory and process limits. A terminal that hits either limit is ended whole
 * (a fork bomb leaves a shell that cannot start anything; a memory bomb may have taken a
 * process the shell needed), and `exited` says so.
 */
export async function openLocalPty(
  host: PtyHost,
  request: PtyRequest,
  params: { uid: number; name: string },
): Promise<PtySession> {
  const { tools, limits, tmpBytes, logger } = host;
  if (!tools.bun) throw new UnavailableError("Terminals need the Bun binary inside the sandbox");
  const { uid } = params;
  const workDir = await createEmptyWorkDir(host.runRoot, uid);
  let cgroup: RunCgroup | undefined;
  let proc: Subprocess | undefined;
  try {
    await writeFiles(workDir, request.files, uid);
    cgroup = host.cgroups?.create(params.name, limits);
    // With a group, its pids.max must be the limit that bites (RLIMIT_NPROC a little above it):
    // only the group counts the refused forks that tell a fork bomb apart.
    const rlimits = cgroup ? { ...limits, processes: limits.processes + NPROC_HEADROOM } : limits;
    const command = (program: string[], interactive: boolean) =>
      sandboxCommand(tools, {
        uid,
        limits: rlimits,
        tmpBytes,
        timeoutMs: CPU_MS,
        cgroup,
        ...(host.seccompFd === undefined ? {} : { seccompFd: host.seccompFd }),
        workDir,
        program,
        interactive,
        env: interactive ? SHELL_ENV : {},
      });
    const shell = command(SHELL, true);
    const reader = command(["/opt/aura/bun", "--no-install", "-e", READER], false);
    proc = host.withFilter((extra) =>
      Bun.spawn(shell, {
        env: {},
        detached: true,
        stdio: ["ignore", "ignore", "ignore", ...extra],
        terminal: {
          cols: request.cols,
          rows: request.rows,
          data: (_terminal, data) => request.onData(data),
        },
      }),
    );
    return session({ host, proc, cgroup, workDir, reader });
  } catch (error) {
    if (proc) killGroup(proc);
    await cgroup?.remove();
    await removeWorkDir(workDir);
    logger.warn({ err: error }, "terminal did not start");
    throw error instanceof UnavailableError
      ? error
      : new UnavailableError("The terminal's sandbox did not start", error);
  }
}

function session(state: {
  host: PtyHost;
  proc: Subprocess;
  cgroup: RunCgroup | undefined;
  workDir: string;
  reader: string[];
}): PtySession {
  const { host, proc, cgroup, workDir, reader } = state;
  const terminal = proc.terminal!;
  let limit: PtyExit["error"];
  let closing: Promise<void> | undefined;
  const poll = cgroup
    ? setInterval(() => {
        if (limit) return;
        if (cgroup.oomKilled()) limit = "memory";
        else if (cgroup.pidsExhausted()) limit = "processes";
        if (limit) killGroup(proc);
      }, LIMIT_POLL_MS)
    : undefined;
  const exited = proc.exited.then((code): PtyExit => {
    clearInterval(poll);
    if (limit === "memory" || cgroup?.oomKilled()) return { exitCode: null, error: "memory" };
    if (limit === "processes") return { exitCode: null, error: "processes" };
    return { exitCode: proc.signalCode ? null : code };
  });
  const close = async (): Promise<void> => {
    clearInterval(poll);
    killGroup(proc);
    await proc.exited;
    terminal.close();
    if (cgroup && !(await cgroup.remove()))
      host.logger.error({ workDir }, "a terminal's cgroup would not go: its processes outlive it");
    await removeWorkDir(workDir).catch((error: unknown) =>
      host.logger.error({ err: error, workDir }, "terminal work dir not removed"),
    );
  };
  return {
    write(data) {
      if (!terminal.closed) terminal.write(data);
    },
    resize(cols, rows) {
      if (!terminal.closed) terminal.resize(cols, rows);
    },
    exited,
    async readFiles(known = []) {
      const asked = new Blob([JSON.stringify(known)]);
      const child = host.withFilter((extra) =>
        Bun.spawn(reader, { env: {}, detached: true, stdio: [asked, "pipe", "pipe", ...extra] }),
      );
      const [text, status] = await Promise.all([new Response(child.stdout).text(), child.exited]);
      if (status !== 0) throw new UnavailableError("The terminal's files could not be read");
      return JSON.parse(text) as WorkDirFiles;
    },
    close() {
      closing ??= close();
      return closing;
    },
  };
}
