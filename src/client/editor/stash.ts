/** An edit the server has not confirmed yet, kept in IndexedDB so a closed tab or lost network cannot lose it. */
export interface StashedEdit {
  project: string;
  path: string;
  content: string;
  baseVersion: number;
  savedAt: number;
}

const DB = "aura-editor";
const STORE = "unsaved";
let opening: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = act(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

const key = (project: string, path: string) => `${project}\u0000${path}`;

/** Keep an unconfirmed edit, replacing any older one for the same file. */
export function putStash(edit: StashedEdit): Promise<unknown> {
  return run("readwrite", (s) => s.put(edit, key(edit.project, edit.path)));
}

/** Read the unconfirmed edit of one file, if any. */
export async function getStash(project: string, path: string): Promise<StashedEdit | undefined> {
  return (await run("readonly", (s) => s.get(key(project, path)))) as StashedEdit | undefined;
}

/** Forget a file's edit once the server has it; do not call it before a confirmed save. */
export function dropStash(project: string, path: string): Promise<unknown> {
  return run("readwrite", (s) => s.delete(key(project, path)));
}

/** Count the unconfirmed edits of one project (the "N unsaved" of the status bar). */
export async function countStash(project: string): Promise<number> {
  const range = IDBKeyRange.bound(`${project}\u0000`, `${project}\u0001`, false, true);
  return run("readonly", (s) => s.count(range));
}
