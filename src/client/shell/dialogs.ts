/** The tree's dialogs (new file, rename, delete, Go to, Share): filled from the row they were opened for. */
import { $ } from "./dom.ts";

export function fillDialog(dialog: HTMLDialogElement, path: string): void {
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
  document.addEventListener("htmx:after:request", (e) => closeAnswered(e.target as Element));
}
