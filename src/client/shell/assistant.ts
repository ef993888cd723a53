/**
 * The assistant: a question, its answer streamed token by token and rendered block by block as
 * it arrives, then whole; Apply puts an answer's code into its file, and Analyze asks the island
 * for findings.
 */
import { $, snapshot } from "./dom.ts";
import { postStream } from "./sse.ts";
import { toast } from "./toasts.ts";

let chatting: AbortController | undefined;

export async function ask(form: HTMLFormElement): Promise<void> {
  const field = form.elements.namedItem("message") as HTMLTextAreaElement | null;
  const log = $<HTMLElement>("#ai-log");
  const message = field?.value.trim();
  if (chatting || !field || !log || !message) return;
  const status = $<HTMLElement>("[data-ai-status]", form);
  const stop = $<HTMLElement>("[data-ai-stop]", form);
  const say = (text: string) => {
    if (status) status.textContent = text;
  };
  $("[data-ai-empty]", log)?.remove();
  const question = document.createElement("div");
  question.className = "ml-8 whitespace-pre-wrap rounded-lg bg-aura-50 px-3 py-2 text-sm dark:bg-ink-700";
  question.dataset.role = "user";
  question.textContent = message;
  const answer = document.createElement("div");
  answer.className = "mr-2 text-sm";
  answer.dataset.role = "assistant";
  answer.setAttribute("aria-busy", "true");
  // While it streams: the blocks the server has rendered (each arrives once, sanitized), then
  // the raw text after them — the only part rewritten as tokens come.
  const blocks = document.createElement("div");
  blocks.className = "ai-prose";
  const tail = document.createElement("div");
  tail.className = "whitespace-pre-wrap [.ai-prose:not(:empty)+&]:mt-2";
  answer.append(blocks, tail);
  log.append(question, answer);
  log.scrollTop = log.scrollHeight;

  const { path, selection, line } = snapshot();
  const body = new URLSearchParams({ message });
  if (path) body.set("currentFile", path);
  if (line) body.set("cursorLine", String(line));
  if (selection) body.set("selectedCode", selection);
  field.value = "";
  const controller = new AbortController();
  chatting = controller;
  if (stop) stop.hidden = false;
  say("Thinking…");
  // The text after the last rendered block; the page is touched (and laid out) once per frame,
  // not once per token, and then only the tail, however long the answer has grown.
  let streamed = "";
  let frame = 0;
  const show = () => {
    frame = 0;
    if (tail.textContent !== streamed) tail.textContent = streamed;
    log.scrollTop = log.scrollHeight;
  };
  try {
    const refused = await postStream(form.action, body, controller.signal, (event, data) => {
      if (event === "token") {
        if (!streamed && !blocks.hasChildNodes()) say("Answering…");
        streamed += String(data.text);
        frame ||= requestAnimationFrame(show);
      } else if (event === "block") {
        // Rendered and sanitized by the server, like the whole answer below.
        blocks.insertAdjacentHTML("beforeend", String(data.html));
        streamed = streamed.slice(Number(data.length));
        frame ||= requestAnimationFrame(show);
      } else if (event === "done") {
        cancelAnimationFrame(frame);
        frame = 0;
        streamed = "";
        // Rendered and sanitized by the server; hx-* links in it (references) need processing.
        answer.innerHTML = String(data.html);
        (window as { htmx?: { process(el: Element): void } }).htmx?.process(answer);
        say("");
        log.scrollTop = log.scrollHeight;
      } else if (event === "error") {
        show();
        say(String(data.message));
      }
    });
    if (refused) {
      // Not asked after all (a limit, a budget, signed out): the question goes back to the box.
      question.remove();
      answer.remove();
      field.value = message;
      say(refused);
    }
  } catch {
    const stopped = controller.signal.aborted;
    say(stopped ? "Stopped." : "The connection dropped before the answer finished.");
    // What arrived is kept, on the server too (the panel shows it again, marked the same way).
    if (stopped && (streamed || blocks.hasChildNodes())) {
      const note = document.createElement("p");
      note.className = "mt-1.5 text-xs font-medium text-amber-700 dark:text-amber-400";
      note.dataset.aiStopped = "";
      note.textContent = "Stopped before the end";
      answer.append(note);
    }
  } finally {
    cancelAnimationFrame(frame);
    show();
    answer.removeAttribute("aria-busy");
    chatting = undefined;
    if (stop) stop.hidden = true;
  }
}

/**
 * Apply an answer's code to its file: open the file if it is not the open one, then let the
 * island show the change as a merge view; what is applied goes in as an edit of the shared
 * document, on top of whatever others typed meanwhile. A path that is not a file of the project
 * is refused.
 */
async function apply(path: string, code: string): Promise<void> {
  const project = $<HTMLElement>("[data-project-id]")?.dataset.projectId;
  if (!project) return;
  if (!$(`[role="treeitem"][data-path="${CSS.escape(path)}"]`)) {
    return toast(`${path} is not a file of this project. Create it first, then Apply again.`, "error");
  }
  const ready = `[data-editor][data-path="${CSS.escape(path)}"][data-editor-ready="true"]`;
  if (!$(ready)) {
    const tabs = $<HTMLInputElement>('#tab-state input[name="tabs"]')?.value ?? "";
    const url = `/projects/${encodeURIComponent(project)}/open?${new URLSearchParams({ file: path, tabs })}`;
    const htmx = (window as { htmx?: { ajax(verb: string, url: string, ctx: object): Promise<unknown> } })
      .htmx;
    await htmx?.ajax("GET", url, { target: "#editor-area", swap: "outerHTML" });
    for (let i = 0; i < 100 && !$(ready); i++) await new Promise((r) => setTimeout(r, 50));
  }
  const editor = $<HTMLElement>(ready);
  if (!editor) return toast(`Could not open ${path} to apply the change.`, "error");
  editor.dispatchEvent(new CustomEvent("aura:apply", { detail: { code } }));
}

/** Put `text` on the clipboard and say so; a page without clipboard access (plain HTTP) says how instead. */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast("Copied to the clipboard.", "success");
  } catch {
    toast("This page may not use the clipboard: select the text and copy it.", "error");
  }
}

export function listenToAssistant(): void {
  document.addEventListener("click", (e) => {
    const target = e.target as Element;
    if (target.closest?.("[data-panel-close]")) {
      chatting?.abort();
      $("#panel")?.replaceChildren();
    }
    const button = target.closest?.<HTMLElement>("[data-apply-path]");
    if (button) void apply(button.dataset.applyPath ?? "", button.dataset.applyCode ?? "");
    const analyze = target.closest?.<HTMLElement>("[data-analyze]");
    if (analyze) {
      $("[data-editor]")?.dispatchEvent(
        new CustomEvent("aura:analyze", { detail: { kind: analyze.dataset.analyze } }),
      );
    }
    if (target.closest?.("[data-ai-stop]")) chatting?.abort();
    const copy = target.closest?.<HTMLElement>("[data-copy]");
    if (copy) void copyText(copy.dataset.copy ?? "");
  });

  document.addEventListener("submit", (e) => {
    const form = (e.target as Element).closest?.<HTMLFormElement>("form[data-ai-chat]");
    if (!form) return;
    e.preventDefault();
    void ask(form);
  });
}
