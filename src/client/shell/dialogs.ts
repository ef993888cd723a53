/** The tree's dialogs (new file, rename, delete, Go to, Share): filled from the row they were opened for. */
import { $ } from "./dom.ts";

export function fillDialog(dialog: HTMLDialogElement, path: string): void {
  showFieldError(dialog, "");
  for (const el of dialog.querySelectorAll<HTMLInputElement>("[data-path-from]")) el.value = path;
  for (const el of dialog.querySelectorAll<HTMLElement>("[data-path-text]")) el.textContent = path;
  const input = $<HTMLInputElement>("[data-path-field]", dialog);
  if (input) {
    // New files go into the folder they were asked for from; a rename starts from the old path.
    input.value = dialog.id === "create-dialog" ? (path ? `${path}/` : "") : path;
    setTimeout(() => input.setSelectionRange(input.value.lastIndexOf("/") + 1, input.value.length));
  }
}

export function openDialog(id: string, path: string): void {
  const dialog = document.getElementById(id) as HTMLDialogElement | null;
  if (!dialog) return;
  fillDialog(dialog, path);
  dialog.showModal();
}

// A dialog closes once its form has been answered — except Go to and Share, whose content swaps inside them.
const staysOpen = (dialog: HTMLDialogElement) => dialog.id === "goto-dialog" || "stayOpen" in dialog.dataset;

/** Close the dialog around `source` (what htmx swapped or requested from) once it has been answered. */
export function closeAnswered(source: Element): void {
  const dialog = source.closest?.("dialog");
  if (dialog?.open && !staysOpen(dialog)) dialog.close();
}

/** Show `message` under the dialog's path field (or clear it with ""), marking the field invalid. */
function showFieldError(scope: Element, message: string): void {
  const note = $<HTMLElement>("[data-field-error]", scope);
  const input = $<HTMLInputElement>("[data-path-field]", scope);
  if (!note || !input) return;
  note.textContent = message;
  note.hidden = !message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

/** The reason in an error answer (the server's HTML error notice): "path: must …" reads "The path must …". */
function reasonOf(html: string): string {
  const text = new DOMParser().parseFromString(html, "text/html").querySelector("p")?.textContent?.trim();
  if (!text) return "That path cannot be used.";
  const field = /^\w+: (.+)$/s.exec(text);
  return field ? `The path ${field[1]}` : text;
}

interface RequestDetail {
  ctx?: { response?: { status: number }; text?: string };
}

export function listenToDialogs(): void {
  // Invoker buttons (commandfor/command) open the dialogs; the row's data-path fills the form.
  document.addEventListener(
    "command",
    (e) => {
      const dialog = e.target as HTMLElement;
      const source = (e as Event & { source?: HTMLElement }).source;
      if (dialog instanceof HTMLDialogElement && (e as Event & { command?: string }).command === "show-modal")
        fillDialog(dialog, source?.dataset.path ?? "");
    },
    true,
  );
  document.addEventListener("htmx:after:request", (e) => {
    const source = e.target as Element;
    const { ctx } = (e as CustomEvent<RequestDetail>).detail ?? {};
    const status = ctx?.response?.status ?? 0;
    const form = source.closest?.("form");
    // A refused path stays in its dialog, with the reason under it: nothing typed is lost.
    if (form && status >= 400 && status < 500 && $("[data-field-error]", form)) {
      e.preventDefault();
      showFieldError(form, reasonOf(ctx?.text ?? ""));
      $<HTMLInputElement>("[data-path-field]", form)?.focus();
      return;
    }
    closeAnswered(source);
  });
  // Typing again clears the reason: it was about the path as it was.
  document.addEventListener("input", (e) => {
    const input = e.target as Element;
    if (input.matches?.("[data-path-field][aria-invalid]"))
      showFieldError(input.closest("form") ?? input, "");
  });
}
