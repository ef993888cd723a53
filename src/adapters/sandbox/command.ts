import { realpathSync } from "node:fs";
import { joinCgroupArgs } from "./cgroup.ts";
import type { RunCgroup } from "./cgroup-versions.ts";
import type { RunLanguage, RunLimits } from "./types.ts";

/** Host tools the runner needs, resolved to absolute paths once (the spawn gets no PATH). */
export interface HostTools {
  bwrap: string;
  prlimit: string;
  setpriv: string;
  python: string | undefined;
  /** The binary that runs JS/TS, and whether it needs BUN_BE_BUN=1 (a compiled Aura binary). */
  bun: { path: string; beBun: boolean } | undefined;
}

const SANDBOX_BUN = "/opt/aura/bun";
const SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin:/opt/aura";

/**
 * Find the Bun binary. Inside a compiled Aura binary `process.execPath` is Aura itself,
 * which behaves as plain bun when started with BUN_BE_BUN=1.
 */
function resolveBun(explicit?: string): HostTools["bun"] {
  const real = (path: string): string | undefined => {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  };
  if (explicit) {
    const path = real(explicit);
    return path ? { path, beBun: false } : undefined;
  }
  const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.includes("~BUN");
  const self = real(process.execPath);
  if (self) return { path: self, beBun: compiled };
  const which = Bun.which("bun");
  const path = which ? real(which) : undefined;
  return path ? { path, beBun: false } : undefined;
}

export function resolveTools(options: { bunPath?: string; pythonPath?: string; bwrapPath?: string }): {
  tools: HostTools | undefined;
  missing: string[];
} {
  const find = (name: string, explicit?: string): string | undefined =>
    explicit
      ? (Bun.which(explicit) ?? undefined)
      : (Bun.which(name, { PATH: "/usr/bin:/bin:/usr/sbin:/sbin" }) ?? undefined);
  const bwrap = find("bwrap", options.bwrapPath);
  const prlimit = find("prlimit");
  const setpriv = find("setpriv");
  const missing = [
    ...(bwrap ? [] : ["bwrap (bubblewrap)"]),
    ...(prlimit ? [] : ["prlimit"]),
    ...(setpriv ? [] : ["setpriv"]),
  ];
  if (!bwrap || !prlimit || !setpriv) return { tools: undefined, missing };
  const python = find("python3", options.pythonPath ?? "/usr/bin/python3");
  return { tools: { bwrap, prlimit, setpriv, python, bun: resolveBun(options.bunPath) }, missing };
}

/** The program's own argv inside the sandbox, or undefined when its runtime is missing. */
function programArgs(tools: HostTools, language: RunLanguage, entry: string): string[] | undefined {
  if (language === "python") {
    // -E/-s: ignore PYTHON* variables and the user site; -u: unbuffered so output streams.
    // Not -I: that would drop the script's directory from sys.path and break project imports.
    return tools.python ? [tools.python, "-E", "-s", "-u", `/work/${entry}`] : undefined;
  }
  return tools.bun ? [SANDBOX_BUN, "--no-install", "run", `/work/${entry}`] : undefined;
}

/** Marks the shell that waits for a run inside a pre-started sandbox (tests tell idle sandboxes apart by it). */
export const LAUNCHER_MARK = "aura-sandbox-launcher";

const shellQuote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * The program of a pre-started sandbox: a shell that waits on stdin for two lines — the
 * language and the entry path — then closes stdin and becomes that language's runtime on
 * `/work/<entry>`. The sandbox (namespaces, mounts, uid, rlimits) is set up before the run is
 * known, so a run only pays for its runtime's own start. The entry arrives as data and is
 * only ever expanded inside double quotes, never evaluated.
 */
export function launcherArgs(tools: HostTools): string[] {
  const branch = (language: RunLanguage) => {
    const argv = programArgs(tools, language, "ENTRY");
    if (!argv) return "";
    const words = argv.map((a) => (a === "/work/ENTRY" ? '"/work/$entry"' : shellQuote(a)));
    return `  ${language}) exec ${words.join(" ")} ;;\n`;
  };
  const script =
    `# ${LAUNCHER_MARK}\n` +
    "IFS= read -r language || exit 125\n" +
    "IFS= read -r entry || exit 125\n" +
    "exec </dev/null\n" +
    'case "$language" in\n' +
    branch("python") +
    branch("javascript") +
    branch("typescript") +
    "esac\n" +
    "exit 127\n";
  return ["/usr/bin/sh", "-c", script];
}

/**
 * The full command line: with a cgroup, a root shell that joins it first (memory and processes
 * of the whole run); rlimits (prlimit; without a cgroup also the address space, the only memory
 * bound left); a per-slot unprivileged uid (setpriv: root ignores RLIMIT_NPROC, and the limit
 * counts per uid host-wide); then bubblewrap with no namespaces shared, no user namespaces
 * inside, the seccomp filter when there is one, only /usr and the Bun binary visible, every writable tmpfs sized, and `workDir` at
 * /work. Spawn it with an empty environment: bwrap is PID 1 inside and its /proc/1/environ is
 * readable.
 */
export function sandboxCommand(
  tools: HostTools,
  params: {
    uid: number;
    limits: RunLimits;
    tmpBytes: number;
    timeoutMs: number;
    cgroup?: RunCgroup;
    /** An open file descriptor of the child holding the seccomp BPF program (see seccomp.ts). */
    seccompFd?: number;
    workDir?: string;
    program: string[];
    /**
     * A terminal's shell: keep the PTY the spawn gives as the controlling terminal (no
     * `--new-session`), so Ctrl-C reaches the foreground job and the shell has job control.
     * `--new-session` guards against TIOCSTI typing into the server's terminal; a terminal's
     * PTY is its own and its master is only read by the server, so what is typed into it
     * reaches the same shell and nothing else.
     */
    interactive?: boolean;
    /** Further variables for the program (names and values are Aura's own, never the user's). */
    env?: Record<string, string>;
  },
): string[] {
  const { uid, limits, tmpBytes, timeoutMs, cgroup, seccompFd, workDir, program } = params;
  const extraEnv = Object.entries(params.env ?? {}).flatMap(([name, value]) => ["--setenv", name, value]);
  const cpuSeconds = Math.ceil(timeoutMs / 1000) + 1;
  const args = [
    ...(cgroup ? joinCgroupArgs(cgroup) : []),
    tools.prlimit,
    ...(cgroup ? [] : [`--as=${limits.memoryBytes}`]),
    `--nproc=${limits.processes}`,
    `--fsize=${limits.fileSizeBytes}`,
    `--cpu=${cpuSeconds}`,
    "--core=0",
    tools.setpriv,
    `--reuid=${uid}`,
    `--regid=${uid}`,
    "--clear-groups",
    tools.bwrap,
    "--unshare-all",
    // A user namespace of its own (not just "if possible"), in which no further one can be
    // made: `unshare -U` inside would hand the program a root uid and a new kernel surface.
    "--unshare-user",
    "--disable-userns",
    ...(seccompFd === undefined ? [] : ["--seccomp", String(seccompFd)]),
    "--die-with-parent",
    ...(params.interactive ? [] : ["--new-session"]),
    "--clearenv",
    "--setenv",
    "PATH",
    SANDBOX_PATH,
    "--setenv",
    "HOME",
    "/work",
    "--setenv",
    "LANG",
    "C.UTF-8",
    "--setenv",
    "TMPDIR",
    "/tmp",
    // Bun would otherwise write its transpiler cache under HOME (the user's work dir).
    "--setenv",
    "BUN_RUNTIME_TRANSPILER_CACHE_PATH",
    "0",
    "--setenv",
    "PYTHONDONTWRITEBYTECODE",
    "1",
    ...(tools.bun?.beBun ? ["--setenv", "BUN_BE_BUN", "1"] : []),
    ...extraEnv,
    "--ro-bind",
    "/usr",
    "/usr",
    "--symlink",
    "usr/bin",
    "/bin",
    "--symlink",
    "usr/lib",
    "/lib",
    "--symlink",
    "usr/lib64",
    "/lib64",
    "--proc",
    "/proc",
    // /dev is a tmpfs the sandbox user owns: size its shm and make the rest read-only, or it
    // is a second, unbounded /tmp in the host's memory.
    "--dev",
    "/dev",
    "--size",
    String(tmpBytes),
    "--tmpfs",
    "/dev/shm",
    "--remount-ro",
    "/dev",
    "--size",
    String(tmpBytes),
    "--tmpfs",
    "/tmp",
    ...(tools.bun ? ["--ro-bind", tools.bun.path, SANDBOX_BUN] : []),
    ...(workDir ? ["--bind", workDir, "/work", "--chdir", "/work"] : ["--chdir", "/"]),
    // bwrap's root is a tmpfs the sandbox user owns; freeze it once every mount point exists.
    "--remount-ro",
    "/",
    "--",
    ...program,
  ];
  return args;
}
