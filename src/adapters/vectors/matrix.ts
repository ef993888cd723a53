import type { ChunkPayload, VectorHit, VectorPoint } from "../../features/context/types.ts";

/**
 * One project's vectors as a single row-major Float32Array of unit-length rows, so a search is
 * one tight dot-product loop: exact cosine, no index to build or keep in sync. A few thousand
 * chunks × 1,536 floats is a few milliseconds per query.
 */
export interface ProjectMatrix {
  dimensions: number;
  ids: string[];
  payloads: ChunkPayload[];
  /** `ids.length × dimensions`, each row normalized to length 1. */
  rows: Float32Array;
}

/** Build the matrix, leaving out vectors of another size (an old model's) and zero vectors. */
export function toMatrix(points: VectorPoint[], dimensions: number): ProjectMatrix {
  const usable = points.filter((p) => p.vector.length === dimensions && norm(p.vector) > 0);
  const rows = new Float32Array(usable.length * dimensions);
  usable.forEach((p, i) => {
    const n = norm(p.vector);
    for (let d = 0; d < dimensions; d++) rows[i * dimensions + d] = p.vector[d]! / n;
  });
  return { dimensions, ids: usable.map((p) => p.id), payloads: usable.map((p) => p.payload), rows };
}

/** The `limit` rows nearest to `query` by cosine, best first (ties keep storage order). */
export function topK(matrix: ProjectMatrix, query: number[], limit: number): VectorHit[] {
  const { dimensions, rows, ids } = matrix;
  const n = norm(query);
  if (n === 0 || limit <= 0) return [];
  const q = Float32Array.from(query, (x) => x / n);
  // A small sorted list beats sorting every score: limit is a handful, rows are thousands.
  const best: { index: number; score: number }[] = [];
  for (let i = 0; i < ids.length; i++) {
    let dot = 0;
    const offset = i * dimensions;
    for (let d = 0; d < dimensions; d++) dot += q[d]! * rows[offset + d]!;
    if (best.length === limit && dot <= best[best.length - 1]!.score) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.score < dot) at--;
    best.splice(at, 0, { index: i, score: dot });
    if (best.length > limit) best.pop();
  }
  return best.map(({ index, score }) => ({
    id: ids[index]!,
    // Float error can push an identical vector's cosine a hair past 1.
    score: Math.min(1, Math.max(-1, score)),
    payload: matrix.payloads[index]!,
  }));
}

function norm(v: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  return Math.sqrt(sum);
}
