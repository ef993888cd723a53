import { type FileRef, type SaveResult, saveFile } from "./api.ts";
import { countStash, dropStash, putStash } from "./stash.ts";

/** What the status bar shows about saving. */
export type SaveState =
  | { kind: "saved" }
  | { kind: "saving" }
  | { kind: "dirty" }
  | { kind: "offline"; unsaved: number }
  | { kind: "conflict" }
  | { kind: "error"; message: string };

/** The server's side of a 409, with the text this browser tried to save. */
export interface Conflict {
  theirs: string;
  version: number;
  mine: string;
}

/** How a conflict ended: which text to keep, or `cancel` to decide later. */
export type Resolution =
  | { action: "mine" }
  | { action: "theirs" }
  | { action: "merged"; content: string }
  | { action: "cancel" };

export interface SaverOptions {
  file: FileRef;
  version: number;
  /** The text the server holds at `version`. */
  content: string;
  read(): string;
  write(content: string): void;
  onState(state: SaveState): void;
  onSaved(version: number): void;
  onOffline(unsaved: number): void;
  resolveConflict(conflict: Conflict): Promise<Resolution>;
  autosaveMs?: number;
}

/** The save queue of one open file; see createSaver. */
export interface Saver {
  changed(): void;
  saveNow(): void;
  /** Adopt an edit kept from an earlier visit and send it against the version it was based on. */
  restore(content: string, baseVersion: number): void;
  /** Keep any unsaved text and stop the timers; the last save, if any, is still sent. */
  close(): void;
}

const MAX_BACKOFF_MS = 60_000;

/**
 * Create the save queue of one file: debounced autosave, immediate saves, one request in
 * flight at a time (the latest text goes next), `baseVersion` on every request, and unsent
 * text kept in IndexedDB until the server confirms it. Never overwrites on a 409.
 */
export function createSaver(o: SaverOptions): Saver {
  let version = o.version;
  let confirmed = o.content;
  let inFlight = false;
  let again = false;
  let held = false; // a conflict is open or was dismissed: only an explicit save continues
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let backoff = 2000;
  let closed = false;
  const { project, path } = o.file;

  const stash = (content: string, baseVersion: number) =>
    putStash({ project, path, content, baseVersion, savedAt: Date.now() }).catch(() => undefined);
  const unsaved = () => countStash(project).catch(() => 1);

  function scheduleRetry(ms: number): void {
    clearTimeout(retry);
    retry = setTimeout(() => save(), ms);
  }

  async function save(): Promise<void> {
    clearTimeout(debounce);
    clearTimeout(retry);
    if (inFlight) {
      again = true;
      return;
    }
    const content = o.read();
    if (content === confirmed) {
      o.onState({ kind: "saved" });
      await dropStash(project, path).catch(() => undefined);
      return;
    }
    inFlight = true;
    o.onState({ kind: "saving" });
    const base = version;
    await stash(content, base); // write-ahead: a tab closed mid-request loses nothing
    const result = await saveFile(o.file, content, base);
    inFlight = false;
    await settle(result, content);
    if (again && !held && !closed) {
      again = false;
      void save();
    }
  }

  async function settle(result: SaveResult, content: string): Promise<void> {
    switch (result.kind) {
      case "saved": {
        version = result.version;
        confirmed = content;
        backoff = 2000;
        o.onSaved(version);
        if (o.read() === content) {
          await dropStash(project, path).catch(() => undefined);
          o.onState({ kind: "saved" });
        } else {
          o.onState({ kind: "dirty" });
          again = true;
        }
        return;
      }
      case "offline": {
        const n = await unsaved();
        o.onState({ kind: "offline", unsaved: n });
        o.onOffline(n);
        scheduleRetry(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        return;
      }
      case "retry":
        o.onState({ kind: "dirty" });
        scheduleRetry(result.afterMs);
        return;
      case "conflict":
        return conflict({ theirs: result.content, version: result.version, mine: content });
      case "signed-out":
        o.onState({ kind: "error", message: "Signed out — edits kept in this browser" });
        return;
      case "too-large":
        o.onState({ kind: "error", message: "Too large to save (1 MiB per file)" });
        return;
      case "failed":
        o.onState({ kind: "error", message: result.message });
    }
  }

  async function conflict(c: Conflict): Promise<void> {
    held = true;
    again = false;
    o.onState({ kind: "conflict" });
    const choice = await o.resolveConflict({ ...c, mine: o.read() });
    if (choice.action === "cancel") return; // stays held; Ctrl/Cmd-S asks again
    held = false;
    version = c.version;
    if (choice.action === "theirs") {
      confirmed = c.theirs;
      o.write(c.theirs);
      await dropStash(project, path).catch(() => undefined);
      o.onSaved(version);
      o.onState({ kind: "saved" });
      return;
    }
    if (choice.action === "merged") o.write(choice.content);
    await save();
  }

  const online = () => {
    if (!held && o.read() !== confirmed) void save();
  };
  const hidden = () => {
    if (document.visibilityState === "hidden" && o.read() !== confirmed) void stash(o.read(), version);
  };
  addEventListener("online", online);
  document.addEventListener("visibilitychange", hidden);

  return {
    changed() {
      if (closed) return;
      o.onState(held ? { kind: "conflict" } : { kind: "dirty" });
      clearTimeout(debounce);
      if (!held) debounce = setTimeout(() => void save(), o.autosaveMs ?? 800);
    },
    saveNow() {
      held = false;
      void save();
    },
    restore(content, baseVersion) {
      version = baseVersion;
      o.write(content);
      void save();
    },
    close() {
      closed = true;
      clearTimeout(debounce);
      clearTimeout(retry);
      removeEventListener("online", online);
      document.removeEventListener("visibilitychange", hidden);
      if (!held && o.read() !== confirmed) void save();
      else if (o.read() !== confirmed) void stash(o.read(), version);
    },
  };
}
