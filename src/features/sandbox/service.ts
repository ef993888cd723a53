import type { RunEvent, RunFailure, RunRequest } from "../../adapters/sandbox/types.ts";
import { safeRelativePath } from "../../adapters/sandbox/workdir.ts";
import { recordUsageEvent } from "../../db/queries/analytics.ts";
import type { Deps } from "../../deps.ts";
import { ConflictError, PayloadTooLargeError, UnavailableError, ValidationError } from "../../errors.ts";
import * as fileService from "../files/service.ts";
import { projectAccess } from "../projects/access.ts";
import { entryFile } from "../projects/service.ts";
import { type ExecuteInput, MAX_CODE_BYTES, RUN_LANGUAGES, runLanguageOf } from "./model.ts";

type SandboxDeps = Pick<Deps, "db" | "memo" | "sandbox" | "logger"> & Partial<Pick<Deps, "metrics">>;
type ExitEvent = Extract<RunEvent, { type: "exit" }>;

/** Project files placed in one run's work dir: at most this many bytes in all. */
const MAX_RUN_FILES_BYTES = 20 * 1024 * 1024;

/** The JSON answer of a finished run (docs/api.md, "Sandbox"). */
interface RunResult {
  success: boolean;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  executionTime: number;
  error?: RunFailure;
  truncated: boolean;
}

type RunOutcome = "success" | "error" | "timeout" | "memory" | "cancelled";

const ENVIRONMENTS: Record<ExecuteInput["language"], readonly string[]> = {
  python: ["python3"],
  javascript: ["node", "browser"],
  typescript: ["node", "browser"],
};

/** 503 unless the runner can isolate code; the message says which runner and why. */
export function assertAvailable(deps: Pick<Deps, "sandbox">): void {
  const status = deps.sandbox.status();
  if (status.available) return;
  const runner = deps.sandbox.kind === "local" ? "the local runner (bubblewrap)" : "the E2B runner";
  throw new UnavailableError(
    `Code execution is unavailable: ${runner} cannot run code${status.reason ? ` — ${status.reason}` : ""}`,
  );
}

/**
 * What the project page's Run runs: the open file at `path` — its `content`, saved or not,
 * standing in for the stored text — when it can run, else the project's entry file as stored;
 * a 400 when neither can run.
 */
export async function projectRunInput(
  deps: SandboxDeps,
  userId: string,
  projectId: string,
  open: { path?: string | undefined; content?: string | undefined },
): Promise<ExecuteInput & { entry: string }> {
  let path = open.path || undefined;
  let content = open.content;
  if (!path || !runLanguageOf(path)) {
    const { project } = await projectAccess(deps, userId, projectId, "editor");
    const paths = (await fileService.listProjectFiles(deps, userId, project.id)).map((f) => f.path);
    const entry = entryFile(project.template, paths);
    if (!entry || !runLanguageOf(entry)) {
      throw new ValidationError(
        "path: only JavaScript, TypeScript and Python files can be run (.js, .ts, .py and their variants), and this project's entry file is none of them",
        "path",
      );
    }
    path = entry;
    content = undefined;
  }
  return {
    language: runLanguageOf(path) ?? "javascript",
    projectId,
    entry: path,
    ...(content !== undefined ? { code: content } : {}),
  };
}

/**
 * Check an execute body and turn it into a run request: environment matching the language,
 * code ≤ 10 KiB (413), timeout 1–30 s, and with `projectId` the project's files (for its
 * editors and owner; a viewer is 403, anyone else 404). With `entry` the program is that project file — or
 * `code`, when given, standing in for its (unsaved) content.
 */
export async function prepareRun(
  deps: SandboxDeps,
  userId: string,
  input: ExecuteInput,
  { maxCodeBytes = MAX_CODE_BYTES }: { maxCodeBytes?: number } = {},
): Promise<Omit<RunRequest, "signal" | "userId">> {
  const { language } = input;
  if (input.environment && !ENVIRONMENTS[language].includes(input.environment)) {
    throw new ValidationError(
      `environment: ${input.environment} cannot run ${language} (use ${ENVIRONMENTS[language].join(" or ")})`,
      "environment",
    );
  }
  const timeout = input.timeout ?? 10;
  if (!Number.isFinite(timeout) || timeout < 1 || timeout > 30)
    throw new ValidationError("timeout: must be between 1 and 30 seconds", "timeout");
  if (input.code !== undefined) {
    if (!input.code.isWellFormed()) throw new ValidationError("code: is not valid UTF-8 text", "code");
    const bytes = Buffer.byteLength(input.code, "utf8");
    if (bytes > maxCodeBytes)
      throw new PayloadTooLargeError(`code: ${bytes} bytes is over the ${maxCodeBytes}-byte limit`);
  }
  const entry = input.entry === undefined ? undefined : safeRelativePath(input.entry, "entry").join("/");
  const hasCode = input.code !== undefined && input.code !== "";
  if (!hasCode && !(entry && input.projectId)) {
    throw new ValidationError("code: is required unless projectId and entry name the program", "code");
  }

  let files: Record<string, string | Uint8Array> | undefined;
  if (input.projectId) {
    // Running a project's code is for those who may change it: editors and the owner.
    await projectAccess(deps, userId, input.projectId, "editor");
    const listing = await fileService.listProjectFiles(deps, userId, input.projectId);
    const total = listing.reduce((sum, f) => sum + f.sizeBytes, 0);
    if (total > MAX_RUN_FILES_BYTES) {
      throw new PayloadTooLargeError(
        `The project's files (${total} bytes) are over the ${MAX_RUN_FILES_BYTES}-byte limit for a run`,
      );
    }
    const contents = await Promise.all(
      listing.map((f) => fileService.readFile(deps, userId, input.projectId as string, f.path)),
    );
    // Text files as text; binary ones (images, data) as their bytes, for programs that read them.
    files = Object.fromEntries(
      contents.map((f) => [f.path, f.encoding === "base64" ? Buffer.from(f.content, "base64") : f.content]),
    );
  }

  // A path both a file and a folder (stored before saves refused that) cannot be laid out on disk.
  const clash = files && fileService.folderClash([...Object.keys(files), ...(entry ? [entry] : [])]);
  if (clash) throw new ConflictError(`The project cannot run while ${clash}; rename or delete one of them`);

  let code = input.code ?? "";
  if (entry && files && input.code === undefined) {
    const stored = files[entry];
    if (stored === undefined)
      throw new ValidationError(`entry: ${entry} is not a file of the project`, "entry");
    if (typeof stored !== "string") throw new ValidationError(`entry: ${entry} is a binary file`, "entry");
    code = stored;
  }
  if (entry && files) delete files[entry];
  return {
    language,
    code,
    timeoutMs: Math.round(timeout * 1000),
    ...(files ? { files } : {}),
    ...(entry ? { entry } : {}),
  };
}

/** The outcome recorded for a run. */
function outcomeOf(exit: ExitEvent | undefined): RunOutcome {
  if (!exit) return "cancelled";
  if (exit.error === "timeout" || exit.error === "memory" || exit.error === "cancelled") return exit.error;
  if (exit.error) return "error";
  return exit.exitCode === 0 ? "success" : "error";
}

/** The JSON answer built from what a run printed and how it ended. */
function resultOf(stdout: string, stderr: string, exit: ExitEvent): RunResult {
  return {
    success: exit.exitCode === 0 && !exit.error,
    stdout,
    stderr,
    exitCode: exit.exitCode,
    executionTime: exit.executionTime,
    ...(exit.error ? { error: exit.error } : {}),
    truncated: exit.truncated,
  };
}

/**
 * Run through the scheduler and yield its events (`queued`, output, one `exit`); when the
 * run ends — finished, failed or abandoned by the consumer — a `sandbox_run` usage event is
 * recorded with its outcome.
 */
export async function* execute(
  deps: SandboxDeps,
  userId: string,
  request: Omit<RunRequest, "signal" | "userId">,
  signal: AbortSignal | undefined,
  meta: { ip?: string; userAgent?: string } = {},
): AsyncGenerator<RunEvent | { type: "queued"; position: number }> {
  const started = performance.now();
  let exit: ExitEvent | undefined;
  let failed = false;
  try {
    for await (const event of deps.sandbox.run({ ...request, ...(signal ? { signal } : {}) }, userId)) {
      if (event.type === "exit") exit = event;
      yield event;
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    const outcome: RunOutcome = failed ? "error" : outcomeOf(exit);
    deps.metrics?.sandboxRuns.inc({ language: request.language, outcome });
    await recordUsageEvent(await deps.db.get(), {
      userId,
      eventType: "sandbox_run",
      data: {
        language: request.language,
        durationMs: Math.round(exit?.executionTime ?? performance.now() - started),
        outcome,
        truncated: exit?.truncated ?? false,
      },
      ...meta,
    }).catch((err: unknown) => deps.logger.warn({ err }, "sandbox_run usage event not recorded"));
  }
}

/** One server-sent message of a run. */
export type RunMessage =
  | { event: "queued"; data: { position: number } }
  | { event: "stdout" | "stderr"; data: { text: string } }
  | { event: "exit"; data: RunResult };

/**
 * A run's events as the messages both faces stream: `queued` (position), `stdout`/`stderr`
 * text as it arrives, and one final `exit` carrying the whole JSON result.
 */
export async function* messagesOf(
  events: AsyncIterable<RunEvent | { type: "queued"; position: number }>,
): AsyncGenerator<RunMessage> {
  let stdout = "";
  let stderr = "";
  for await (const event of events) {
    if (event.type === "exit") {
      yield { event: "exit", data: resultOf(stdout, stderr, event) };
      return;
    }
    if (event.type === "queued") {
      yield { event: "queued", data: { position: event.position } };
      continue;
    }
    if (event.type === "stdout") stdout += event.data;
    else stderr += event.data;
    yield { event: event.type, data: { text: event.data } };
  }
  throw new Error("sandbox run ended without an exit event");
}

/** What `GET /sandbox/status` answers; limits in seconds and bytes. */
export function sandboxStatus(deps: Pick<Deps, "sandbox">) {
  const status = deps.sandbox.status();
  const { running, queued } = deps.sandbox.stats();
  const limits = deps.sandbox.limits;
  return {
    runner: deps.sandbox.kind,
    available: status.available,
    ...(status.reason ? { reason: status.reason } : {}),
    languages: status.languages.filter((l) => (RUN_LANGUAGES as readonly string[]).includes(l)),
    running,
    queued,
    limits: {
      timeoutSeconds: { default: limits.timeoutMs.default / 1000, max: limits.timeoutMs.max / 1000 },
      memoryBytes: limits.memoryBytes,
      processes: limits.processes,
      fileSizeBytes: limits.fileSizeBytes,
      outputBytes: limits.outputBytes,
      codeBytes: MAX_CODE_BYTES,
    },
  };
}
