import { languageFor } from "./languages.ts";
import { followTheme } from "./theme.ts";

interface ChangeTexts {
  path: string;
  status: "added" | "modified" | "deleted";
  before: string;
  after: string;
}

/**
 * The Source control panel's "Side by side": fetch the change's two texts and show them in the
 * merge view of the apply dialog (apply.ts, loaded only now, the same chunk the assistant's
 * Apply uses), in the editor's theme and the file's language. A failure is told as a toast.
 */
async function openCompare(button: HTMLButtonElement): Promise<void> {
  const project = button.dataset.project ?? "";
  const path = button.dataset.gitCompare ?? "";
  button.disabled = true;
  const theme = followTheme(() => undefined);
  try {
    const response = await fetch(
      `/projects/${encodeURIComponent(project)}/git/compare?path=${encodeURIComponent(path)}`,
      { headers: { accept: "application/json" }, credentials: "same-origin" },
    );
    const body = (await response.json().catch(() => undefined)) as
      | (ChangeTexts & { error?: { message?: string } })
      | undefined;
    if (!response.ok || !body)
      throw new Error(body?.error?.message ?? `The diff could not be loaded (${response.status})`);
    const [{ openCompareDialog }, language] = await Promise.all([
      import("./apply.ts"),
      languageFor(path)
        ?.load()
        .catch(() => undefined),
    ]);
    button.disabled = false;
    await openCompareDialog(body.before, body.after, {
      path,
      status: body.status,
      extensions: [theme.extension, language ?? []],
      returnFocus: button,
    });
  } catch (error) {
    button.dispatchEvent(
      new CustomEvent("aura:compare-error", {
        detail: { message: error instanceof Error ? error.message : String(error) },
        bubbles: true,
      }),
    );
  } finally {
    button.disabled = false;
    theme.stop();
  }
}

/** Open the side-by-side view when a `[data-git-compare]` button is pressed (the panel comes and goes by htmx). */
export function listenForCompare(): void {
  document.addEventListener("click", (event) => {
    const button = (event.target as Element | null)?.closest?.<HTMLButtonElement>("button[data-git-compare]");
    if (!button || button.disabled) return;
    event.preventDefault();
    void openCompare(button);
  });
}
