import { fromBase64, toBase64 } from "lib0/buffer";
import * as Y from "yjs";

/** Where a journal is written: localStorage in the page, a Map-backed stand-in in tests. */
export type JournalStorage = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

type DeleteSet = ReturnType<typeof Y.decodeUpdate>["ds"];

/** What a journal still holds after the server's state vector: nothing, edits, or only deletions. */
export type Outstanding = "nothing" | "edits" | "deletions";

/**
 * The local edits of one document that the server has not acknowledged yet, merged into one
 * Yjs update and written to storage synchronously on every edit, so a reload or a closed tab a
 * moment after typing loses nothing: the next page applies the journal before it shows the text.
 * Nothing is left for pagehide or beforeunload to flush: the entry is written before the
 * keystroke's handler returns.
 *
 * Acknowledgement has two halves. Inserted text has ids, so the server's state vector says
 * whether it holds them (`acknowledge`). A deletion adds no id, so the state vector cannot show
 * it: a journal left with only deletions waits for the server's full delete set, which comes
 * with every sync step 2 (`confirmDeletions`).
 *
 * Each page writes its own entry, `<name>:<page>`, so two tabs on one file never overwrite or
 * clear each other's. A new page takes over every entry of the document it finds (a closed tab's,
 * the reloaded page's, an open tab's): it merges them into its own and removes them. An open
 * tab whose entry was taken loses nothing, since the new page's entry holds its edits until the
 * server has them, and it writes its own entry again at its next edit.
 */
export class Journal {
  #pending: Uint8Array | undefined;
  readonly #storage: JournalStorage | undefined;
  readonly #name: string;
  readonly #key: string;

  /** `name` is the document's (aura:journal:<docId>); `page` tells this page's entry apart. */
  constructor(storage: JournalStorage | undefined, name: string, page: string = crypto.randomUUID()) {
    this.#storage = storage;
    this.#name = name;
    this.#key = `${name}:${page}`;
    this.#takeOver();
  }

  /** The unacknowledged edits as one update, or undefined when the server has them all. */
  get pending(): Uint8Array | undefined {
    return this.#pending;
  }

  /** Record a local edit (a Yjs update); it is in storage when this returns. */
  add(update: Uint8Array): void {
    this.#pending = this.#pending ? Y.mergeUpdates([this.#pending, update]) : update;
    this.#write();
  }

  /** Forget the edits the server's state vector covers; say what is still outstanding. */
  acknowledge(serverVector: Uint8Array): Outstanding {
    if (!this.#pending) return "nothing";
    const rest = Y.diffUpdate(this.#pending, serverVector);
    const { structs, ds } = Y.decodeUpdate(rest);
    if (structs.some((s) => !(s instanceof Y.Skip))) {
      this.#pending = rest;
      this.#write();
      return "edits";
    }
    if (ds.clients.size > 0) {
      this.#pending = rest;
      this.#write();
      return "deletions";
    }
    this.clear();
    return "nothing";
  }

  /**
   * The server's sync step 2 (its full delete set, and whatever this browser lacks) arrived:
   * clear the journal when it holds only deletions and the server has them all. True if cleared.
   */
  confirmDeletions(serverUpdate: Uint8Array): boolean {
    if (!this.#pending) return false;
    const mine = Y.decodeUpdate(this.#pending);
    if (mine.structs.some((s) => !(s instanceof Y.Skip))) return false;
    if (!deletionsCovered(mine.ds, Y.decodeUpdate(serverUpdate).ds)) return false;
    this.clear();
    return true;
  }

  clear(): void {
    this.#pending = undefined;
    try {
      this.#storage?.removeItem(this.#key);
    } catch {
      // Storage refused (private mode, disabled): nothing was kept there either.
    }
  }

  /**
   * Merge every entry of this document into this page's, written before the others are removed;
   * damaged entries are dropped.
   */
  #takeOver(): void {
    const storage = this.#storage;
    try {
      const keys: string[] = [];
      for (let i = 0; storage && i < storage.length; i++) {
        const key = storage.key(i);
        if (key === this.#name || key?.startsWith(`${this.#name}:`)) keys.push(key);
      }
      const updates = keys.flatMap((key) => {
        try {
          const update = fromBase64(storage?.getItem(key) ?? "");
          Y.decodeUpdate(update); // throws on a damaged entry
          return [update];
        } catch {
          return [];
        }
      });
      if (updates.length > 0) this.#pending = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
      this.#write();
      for (const key of keys) storage?.removeItem(key);
    } catch {
      // Storage refused (private mode, disabled): nothing was kept there either.
    }
  }

  #write(): void {
    if (!this.#pending) return;
    try {
      this.#storage?.setItem(this.#key, toBase64(this.#pending));
    } catch {
      // Over the storage quota: IndexedDB's copy still keeps the edit once its write completes.
    }
  }
}

/** Does `have` delete every id that `need` deletes? */
export function deletionsCovered(need: DeleteSet, have: DeleteSet): boolean {
  for (const [client, items] of need.clients) {
    const ranges = [...(have.clients.get(client) ?? [])].sort((a, b) => a.clock - b.clock);
    for (const { clock, len } of items) {
      let at = clock;
      for (const range of ranges) {
        if (range.clock > at || at >= clock + len) break;
        at = Math.max(at, range.clock + range.len);
      }
      if (at < clock + len) return false;
    }
  }
  return true;
}
