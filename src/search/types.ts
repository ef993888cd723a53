/**
 * What code search works on: chunks of source files, the embedder that turns text into vectors,
 * and scored hits. Nothing here knows about projects, users or storage; the project index
 * (src/features/context/) stores chunks and calls these modules.
 */

/** One indexed piece of a file: a function, method or class, module-level code, or a line window. */
export interface Chunk {
  /** Path of the file (project-relative in the project index). */
  path: string;
  language: string;
  functionName?: string | undefined;
  className?: string | undefined;
  /** 1-based, inclusive. */
  lineStart: number;
  lineEnd: number;
  content: string;
  /** sha256 (hex) of `content` plus its position-independent identity (path, names). */
  contentHash: string;
}

/** Turns texts into unit-length vectors of a fixed size. */
export interface Embedder {
  /** Names the model; stored with every vector so a model change re-embeds. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

/** A hit of one retriever or of the fused ranking: a chunk id and its score (higher is better). */
export interface Scored {
  id: string;
  score: number;
}

/** A chunk's names and declaration line: what the keyword index keeps for the re-ranker. */
export type ChunkNames = Pick<Chunk, "functionName" | "className"> & { signature: string };
