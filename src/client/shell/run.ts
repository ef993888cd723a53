/** Run: the open file in the sandbox (button or Ctrl/Cmd-Enter), its output streamed as server-sent events. */
import { $, snapshot } from "./dom.ts";
import { postStream } from "./sse.ts";

let running: AbortController | undefined;
let runPath = "";

function runStatus(text: string, state: "running" | "ok" | "error"): void {
  const el = $<HTMLElement>("[data-run-status]");
  if (!el) return;
  el.textContent = text;
  el.dataset.state = state;
}

/** Append to the Output panel's log. Consecutive output of one stream shares a span; stderr and notes are set apart by colour. */
export function appendOutput(stream: "stdout" | "stderr" | "note", text: string): void {
  const log = $<HTMLElement>("[data-run-log]");
  if (!log) return;
  const last = log.lastElementChild as HTMLElement | null;
  if (last?.dataset.stream === stream) last.append(text);
  else {
    const span = document.createElement("span");
    span.dataset.stream = stream;
    if (stream === "stderr") span.className = "text-red-600 dark:text-red-400";
    if (stream === "note") span.className = "text-slate-500 italic";
    span.textContent = text;
    log.append(span);
  }
  log.scrollTop = log.scrollHeight;
}

interface Exit {
  exitCode: number | null;
  executionTime: number;
  error?: string;
  truncated?: boolean;
}

function describeExit({ exitCode, executionTime, error, truncated }: Exit): void {
  const time = executionTime < 1000 ? `${executionTime} ms` : `${(executionTime / 1000).toFixed(1)} s`;
  if (truncated) appendOutput("note", "\n[output cut off at the limit]");
  if (error === "timeout") runStatus(`Stopped: over the time limit (${time})`, "error");
  else if (error === "memory") runStatus(`Stopped: out of memory (${time})`, "error");
  else if (error === "cancelled") runStatus("Stopped", "error");
  else runStatus(`Exited with code ${exitCode ?? "?"} · ${time}`, exitCode === 0 ? "ok" : "error");
}

function onRunMessage(event: string, data: Record<string, unknown>): void {
  // `start` names the file that runs; queued position 0 means starting now.
  if (event === "start") runPath = String(data.path);
  if (event === "start" || (event === "queued" && Number(data.position) === 0))
    runStatus(`Running ${runPath}…`, "running");
  else if (event === "queued") runStatus(`Waiting for a free sandbox: ${data.position} ahead…`, "running");
  else if (event === "stdout" || event === "stderr") appendOutput(event, String(data.text));
  else if (event === "exit") describeExit(data as unknown as Exit);
}

function showRunning(on: boolean): void {
  const stop = $<HTMLElement>("[data-run-stop]");
  if (stop) stop.hidden = !on;
  for (const el of document.querySelectorAll<HTMLButtonElement>("[data-run]")) el.disabled = on;
}

export async function run(): Promise<void> {
  const panel = $<HTMLElement>("#output");
  const project = $<HTMLElement>("[data-project-id]")?.dataset.projectId;
  // A web project without Run (HTML, CSS) has nothing to run: its page is previewed instead.
  if (running || !panel || !project || !$("[data-run]")) return;
  // The open file as the editor holds it; without one, or when it cannot run, the server
  // runs the project's entry file.
  const { path, content } = snapshot();
  const body = new URLSearchParams();
  if (path) body.set("path", path);
  if (path && content !== undefined) body.set("content", content);

  panel.hidden = false;
  const log = $<HTMLElement>("[data-run-log]");
  if (log) log.textContent = "";
  runPath = path ?? "";
  runStatus("Starting…", "running");
  const controller = new AbortController();
  running = controller;
  showRunning(true);
  try {
    const refused = await postStream(
      `/projects/${encodeURIComponent(project)}/run`,
      body,
      controller.signal,
      onRunMessage,
    );
    if (refused) runStatus(refused, "error");
  } catch {
    if (controller.signal.aborted) {
      appendOutput("note", "\n[stopped]");
      runStatus("Stopped", "error");
    } else runStatus("The connection dropped before the run finished.", "error");
  } finally {
    running = undefined;
    showRunning(false);
  }
}

export function listenForRun(): void {
  document.addEventListener("click", (e) => {
    const target = e.target as Element;
    if (target.closest("[data-run]")) void run();
    else if (target.closest("[data-run-stop]")) running?.abort();
    else if (target.closest("[data-run-close]")) {
      running?.abort();
      const panel = $<HTMLElement>("#output");
      if (panel) panel.hidden = true;
    }
  });
}
