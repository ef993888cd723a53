import { and, asc, eq, inArray, lte } from "drizzle-orm";
import { sqlState } from "../errors.ts";
import { docStates, docUpdates } from "../schema/live-documents.ts";
import type { Database } from "../types.ts";

/** A live document as stored: its checkpoint and the updates since, oldest first. */
export interface StoredDoc {
  id: string;
  state: Uint8Array;
  fileVersion: number;
  /** The file version of the last replacement from outside put into the log (see docStates). */
  replacedVersion: number;
  updates: { seq: number; update: Uint8Array; userId: string | null }[];
}

/**
 * The stored document of a file, or undefined when the file has none yet. The checkpoint and
 * the updates are read under a share lock, so a checkpoint folding the log cannot slip in
 * between the two reads.
 */
export async function loadDoc(db: Database, projectId: string, path: string): Promise<StoredDoc | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: docStates.id,
        state: docStates.state,
        fileVersion: docStates.fileVersion,
        replacedVersion: docStates.replacedVersion,
      })
      .from(docStates)
      .where(and(eq(docStates.projectId, projectId), eq(docStates.path, path)))
      .for("share");
    if (!row) return undefined;
    return { ...row, updates: await updatesOf(tx, row.id) };
  });
}

/** The lineage id of a file's document, or undefined when it has none. */
export async function loadDocId(db: Database, projectId: string, path: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: docStates.id })
    .from(docStates)
    .where(and(eq(docStates.projectId, projectId), eq(docStates.path, path)))
    .limit(1);
  return row?.id;
}

async function updatesOf(db: Database, docId: string, upTo?: number) {
  return db
    .select({ seq: docUpdates.seq, update: docUpdates.update, userId: docUpdates.userId })
    .from(docUpdates)
    .where(and(eq(docUpdates.docId, docId), upTo === undefined ? undefined : lte(docUpdates.seq, upTo)))
    .orderBy(asc(docUpdates.seq));
}

/**
 * Store the first state of a file's document unless another instance got there first; either
 * way the stored one is returned, so every instance and browser shares one lineage.
 */
export async function createDoc(
  db: Database,
  input: { projectId: string; path: string; state: Uint8Array; fileVersion: number },
): Promise<StoredDoc> {
  await db.insert(docStates).values(input).onConflictDoNothing();
  const doc = await loadDoc(db, input.projectId, input.path);
  if (!doc) throw new Error(`live document of ${input.path} vanished while it was created`);
  return doc;
}

/** Append one (merged) update; false when the document is gone (its file was deleted or moved). */
export async function appendUpdate(
  db: Database,
  docId: string,
  update: Uint8Array,
  userId: string | null,
): Promise<boolean> {
  try {
    await db.insert(docUpdates).values({ docId, update, userId });
    return true;
  } catch (error) {
    // 23503: the document row went (foreign key), with its file.
    if (sqlState(error) === "23503") return false;
    throw error;
  }
}

/** Record that the document and the file agree at `version`. */
export async function markFileVersion(db: Database, docId: string, version: number): Promise<void> {
  await db.update(docStates).set({ fileVersion: version }).where(eq(docStates.id, docId));
}

/**
 * The versions a document vouches for, or undefined when it is gone. A writer of the file reads
 * them after locking the file's row: a replacement changes both in one transaction.
 */
export async function docVersions(
  db: Database,
  docId: string,
): Promise<{ fileVersion: number; replacedVersion: number } | undefined> {
  const [row] = await db
    .select({ fileVersion: docStates.fileVersion, replacedVersion: docStates.replacedVersion })
    .from(docStates)
    .where(eq(docStates.id, docId));
  return row;
}

/**
 * Put a replacement of the file from outside the editor into the document, in the transaction
 * that stores the file: the edit (`update`, none when the text did not change) is appended to
 * the log, and the document is marked as holding file version `version`, replaced there. The
 * row is locked first; false when the document is gone.
 */
export async function storeReplacement(
  tx: Database,
  docId: string,
  update: Uint8Array | undefined,
  userId: string,
  version: number,
): Promise<boolean> {
  const [row] = await tx
    .select({ id: docStates.id })
    .from(docStates)
    .where(eq(docStates.id, docId))
    .for("update");
  if (!row) return false;
  if (update) await tx.insert(docUpdates).values({ docId, update, userId });
  await tx
    .update(docStates)
    .set({ fileVersion: version, replacedVersion: version })
    .where(eq(docStates.id, docId));
  return true;
}

/**
 * Fold the updates into the checkpoint: `merge` turns the state and updates into one state.
 * The row is locked, so two instances never fold the same updates twice; updates appended
 * meanwhile stay for the next checkpoint. Returns how many updates were folded.
 */
export async function checkpointDoc(
  db: Database,
  docId: string,
  merge: (state: Uint8Array, updates: Uint8Array[]) => Uint8Array,
): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ state: docStates.state })
      .from(docStates)
      .where(eq(docStates.id, docId))
      .for("update");
    if (!row) return 0;
    const updates = await updatesOf(tx, docId);
    if (updates.length === 0) return 0;
    const last = updates[updates.length - 1]!.seq;
    const state = merge(
      row.state,
      updates.map((u) => u.update),
    );
    await tx.update(docStates).set({ state, checkpointAt: new Date() }).where(eq(docStates.id, docId));
    await tx.delete(docUpdates).where(and(eq(docUpdates.docId, docId), lte(docUpdates.seq, last)));
    return updates.length;
  });
}

/** Forget the documents of files that left their paths (deleted or moved). */
export async function dropDocs(db: Database, projectId: string, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await db.delete(docStates).where(and(eq(docStates.projectId, projectId), inArray(docStates.path, paths)));
}

/** Which of `paths` have a live document. */
export async function docPaths(db: Database, projectId: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const rows = await db
    .select({ path: docStates.path })
    .from(docStates)
    .where(and(eq(docStates.projectId, projectId), inArray(docStates.path, paths)));
  return rows.map((r) => r.path);
}

/** Documents holding updates not yet checkpointed — after a crash, their files may lag behind. */
export async function docsWithUpdates(db: Database): Promise<{ projectId: string; path: string }[]> {
  return db
    .selectDistinct({ projectId: docStates.projectId, path: docStates.path })
    .from(docStates)
    .innerJoin(docUpdates, eq(docUpdates.docId, docStates.id));
}
