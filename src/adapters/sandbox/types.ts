/** Languages a sandbox can run. */
export type RunLanguage = "javascript" | "typescript" | "python";

/** Why a run ended other than by exiting on its own. */
export type RunFailure = "timeout" | "memory" | "cancelled" | "error";

/** What a run emits, in order: output as it arrives, then exactly one `exit`. */
export type RunEvent =
  | { type: "stdout"; data: string }
  | { type: "stderr"; data: string }
  | {
      type: "exit";
      /** The process's exit code; null when it was killed. */
      exitCode: number | null;
      /** Set when the run did not end by itself (limit hit, cancelled, runner error). */
      error?: RunFailure;
      /** Wall-clock milliseconds from start to exit. */
      executionTime: number;
      /** True when output past the limit was dropped. */
      truncated: boolean;
    };

/**
 * Emitted by the scheduler before a run starts: `position` runs are ahead (0 = starting
 * now). Repeated while waiting whenever the position changes; never emitted by runners.
 */
export interface QueuedEvent {
  type: "queued";
  position: number;
}

export interface RunRequest {
  language: RunLanguage;
  /** The program; written to `entry` (or a default name) in the working directory. */
  code: string;
  /** Project files to place in the working directory first (path → text, or bytes for a binary file). */
  files?: Record<string, string | Uint8Array>;
  /** Path of the program inside the working directory. */
  entry?: string;
  /** Wall-clock limit, 1–30 s. */
  timeoutMs: number;
  /** Cancels the run: the whole process group is killed and `exit` has error "cancelled". */
  signal?: AbortSignal;
  /** Whose run it is; runners that keep state per user (E2B's warm sandboxes) key on it. */
  userId?: string;
}

/** Limits a runner enforces on every run. */
export interface RunLimits {
  timeoutMs: { default: number; max: number };
  memoryBytes: number;
  processes: number;
  fileSizeBytes: number;
  outputBytes: number;
}

/**
 * What bounds a run: "cgroup" (local: memory and processes per run, kernel-enforced),
 * "rlimit" (local: per-process rlimits only, when no cgroup could be made), "microvm" (E2B:
 * each sandbox is its own Firecracker VM).
 */
type Isolation = "cgroup" | "rlimit" | "microvm";

/**
 * The sandbox port: run untrusted code and stream what it prints. A runner that cannot
 * isolate (no bubblewrap, no E2B key) reports itself unavailable and never runs code.
 */
export interface SandboxRunner {
  readonly kind: "local" | "e2b";
  readonly limits: RunLimits;
  status(): {
    available: boolean;
    reason?: string;
    languages: RunLanguage[];
    isolation?: Isolation;
    /** Local runner: whether runs get the seccomp filter. */
    seccomp?: boolean;
  };
  run(request: RunRequest): AsyncIterable<RunEvent>;
  /**
   * Start an interactive shell in a sandbox of its own, with the project's files in its working
   * directory: the same isolation and memory and process limits as a run, but no wall-clock
   * limit (its owner ends it, or closes it when idle). Throws UnavailableError when it cannot.
   */
  openPty(request: PtyRequest): Promise<PtySession>;
  close(): Promise<void>;
}

/** What a terminal starts with. */
export interface PtyRequest {
  /** Project files to place in the working directory first (path → text, or bytes for a binary file). */
  files: Record<string, string | Uint8Array>;
  cols: number;
  rows: number;
  /** Every byte the terminal prints, in order, from the first one. */
  onData(data: Uint8Array): void;
  /** Whose terminal it is (E2B keys its sandboxes on it). */
  userId?: string;
}

/** How a terminal's shell ended. */
export interface PtyExit {
  /** The shell's exit code; null when it was killed. */
  exitCode: number | null;
  /** Set when a limit ended it rather than the shell itself. */
  error?: "memory" | "processes";
}

/** A terminal's working directory as a sync reads it. */
export interface WorkDirFiles {
  /** Its regular UTF-8 text files within the read limits (path → text). */
  files: Record<string, string>;
  /**
   * Of the paths asked about, those with no file there any more: nothing at the path, a folder
   * in its place, or a file in place of one of its folders. A path that still holds something
   * unread (a link, a binary or too large file, one past the limits), or lies in a tool folder
   * (`.git`, `node_modules`, `__pycache__`) or behind a link, is never listed.
   */
  gone: string[];
}

/** An interactive shell in a sandbox. Bytes go both ways; nothing here knows of sockets. */
export interface PtySession {
  /** Keystrokes (or pasted text) to the shell. */
  write(data: string | Uint8Array): void;
  resize(cols: number, rows: number): void;
  /** Settles once the shell and everything it started have ended. */
  readonly exited: Promise<PtyExit>;
  /**
   * The regular text files of the working directory as the sandbox sees them, and which of the
   * `known` paths (the project files it started with) were deleted there: read inside the
   * sandbox, so a link the shell made cannot point the server at its own files.
   */
  readFiles(known?: readonly string[]): Promise<WorkDirFiles>;
  /** End the shell and everything it started, and remove its files. Safe to call twice. */
  close(): Promise<void>;
}
