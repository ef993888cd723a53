/** Re-index with a progress bar; Cancel closes the stream, which stops it between files. */
import { $ } from "./dom.ts";
import { postStream } from "./sse.ts";

let indexing: AbortController | undefined;

async function reindex(url: string): Promise<void> {
  const bar = $<HTMLProgressElement>("[data-reindex-progress]");
  const note = $<HTMLElement>("[data-reindex-note]");
  const cancel = $<HTMLElement>("[data-reindex-cancel]");
  if (indexing || !bar || !note || !cancel) return;
  const controller = new AbortController();
  indexing = controller;
  bar.hidden = cancel.hidden = false;
  try {
    note.textContent =
      (await postStream(url, new URLSearchParams(), controller.signal, (event, d) => {
        if (event === "progress") {
          bar.max = Number(d.total);
          bar.value = Number(d.done);
          note.textContent = `${d.done}/${d.total} ${d.path}`;
        } else
          note.textContent = `${d.cancelled ? "Cancelled" : "Done"}: ${d.files} files, ${d.chunks} chunks`;
      })) ?? note.textContent;
  } catch {
    note.textContent = controller.signal.aborted ? "Cancelled" : "The connection dropped.";
  } finally {
    indexing = undefined;
    bar.hidden = cancel.hidden = true;
  }
}

export function listenForReindex(): void {
  document.addEventListener("click", (e) => {
    const target = e.target as Element;
    const start = target.closest?.<HTMLElement>("[data-reindex]");
    if (start) void reindex(start.dataset.reindex ?? "");
    else if (target.closest?.("[data-reindex-cancel]")) indexing?.abort();
  });
}
