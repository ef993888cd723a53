/**
 * The signed-in pages' one script: signing out clears what Aura keeps in this browser (the
 * server answers with `Clear-Site-Data`), so the next person at this computer finds no copy of
 * your files. Edits made offline that have not reached the server yet live only here: when there
 * are some, ask before the sign-out deletes them.
 */
const JOURNAL = "aura:journal:";

function unsavedEdits(): boolean {
  try {
    for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i)?.startsWith(JOURNAL)) return true;
  } catch {
    // No storage (disabled): nothing was kept here either.
  }
  return false;
}

document.addEventListener("submit", (e) => {
  const form = e.target;
  if (!(form instanceof HTMLFormElement) || form.getAttribute("action") !== "/logout") return;
  if (
    unsavedEdits() &&
    !confirm(
      "Edits you made offline in this browser have not reached the server yet, and signing out deletes them. " +
        "To keep them, cancel and open their project while online.\n\nSign out anyway?",
    )
  )
    e.preventDefault();
});

export {};
