import { createHash } from "node:crypto";

/**
 * Shared by both vector stores and the indexer so one chunk has one id everywhere: re-indexing
 * an unchanged chunk upserts over itself instead of adding a duplicate.
 */

/** A fixed namespace so ids are stable across processes and releases (never change it). */
const NAMESPACE = Buffer.from("6f1c2d8e4b7a4e0f9a35c1d2e3f40516", "hex");

/**
 * The point id of a chunk: a UUID v5 (SHA-1 of namespace + name, RFC 9562) over the project, the
 * path and the content hash. Qdrant accepts only integers and UUIDs as ids, and code_chunks.id
 * is a uuid column, so a UUID fits both stores.
 */
export function pointId(projectId: string, path: string, contentHash: string): string {
  // JSON keeps the three parts unambiguous whatever characters a path holds.
  const name = JSON.stringify([projectId, path, contentHash]);
  const bytes = createHash("sha1").update(NAMESPACE).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A vector of the wrong size: the embedder changed (model or configuration) without the
 * store following. A plain Error (500): it is a deployment problem, not the caller's.
 */
export class VectorDimensionError extends Error {
  constructor(got: number, expected: number, where: string) {
    super(
      `${where}: vector has ${got} dimensions but the store expects ${expected}` +
        " (did the embedding model change? re-index with the new model)",
    );
    this.name = "VectorDimensionError";
  }
}

/** Throw VectorDimensionError unless every vector has `expected` finite components. */
export function checkDimensions(vectors: number[][], expected: number, where: string): void {
  for (const v of vectors) {
    if (v.length !== expected) throw new VectorDimensionError(v.length, expected, where);
    if (!v.every(Number.isFinite)) throw new Error(`${where}: vector has a component that is not a number`);
  }
}
