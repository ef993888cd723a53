import { fromBase64, toBase64 } from "lib0/buffer";
import * as Y from "yjs";

/** Where a journal is written: localStorage in the page, a Map-backed stand-in in tests. */
export type JournalStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

type DeleteSet = ReturnType<typeof Y.decodeUpdate>["ds"];

/** What a journal still holds after the server's state vector: nothing, edits, or only deletions. */
export type Outstanding = "nothing" | "edits" | "deletions";

/**
 * The local edits of one document that the server has not acknowledged yet, merged into one
 * Yjs update and written to storage synchronously on every edit, so a reload or a closed tab a
 * moment after typing loses nothing: the next page applies the journal before it shows the text.
 *
 * Acknowledgement has two halves. Inserted text has ids, so the server's state vector says
 * whether it holds them (`acknowledge`). A deletion adds no id, so the state vector cannot show
 * it: a journal left with only deletions waits for the server's full delete set, which comes
 * with every sync step 2 (`confirmDeletions`).
 */
export class Journal {
  #pending: Uint8Array | undefined;
  readonly #storage: JournalStorage | undefined;
  readonly #key: string;

  constructor(storage: JournalStorage | undefined, key: string) {
    this.#storage = storage;
    this.#key = key;
    this.#pending = this.#read();
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

  #read(): Uint8Array | undefined {
    try {
      const kept = this.#storage?.getItem(this.#key);
      if (!kept) return undefined;
      const update = fromBase64(kept);
      Y.decodeUpdate(update); // throws on a damaged entry, which is dropped below
      return update;
    } catch {
      this.clear();
      return undefined;
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
