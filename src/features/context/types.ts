/**
 * The project index's port: the vector store that keeps every project's chunks with their vectors
 * and finds the nearest ones. Implementations live in src/adapters/vectors/ (embedded, Qdrant);
 * chunks and embedders are code search's (src/search/types.ts).
 */

/** What a vector store keeps with each vector (the seed's Qdrant payload). */
export interface ChunkPayload {
  project_id: string;
  filename: string;
  function_name: string | null;
  class_name: string | null;
  language: string;
  code_snippet: string;
  line_start: number;
  line_end: number;
  content_hash: string;
}

export interface VectorPoint {
  /** Deterministic per (project, path, content hash): a UUID derived from them. */
  id: string;
  vector: number[];
  payload: ChunkPayload;
}

export interface LineMove {
  id: string;
  lineStart: number;
  lineEnd: number;
}

export interface IndexedEntry {
  id: string;
  payload: ChunkPayload;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity, higher is closer. */
  score: number;
  payload: ChunkPayload;
}

/** Vectors per project: every call is scoped to one project. */
export interface VectorStore {
  readonly kind: "embedded" | "qdrant";
  upsert(projectId: string, points: VectorPoint[]): Promise<void>;
  /** Move points to new lines without re-embedding them (code above them changed). */
  relocate(projectId: string, moves: LineMove[]): Promise<void>;
  /** Remove the points of these ids (missing ids are ignored). */
  remove(projectId: string, ids: string[]): Promise<void>;
  /** Remove every point of one file. */
  removeFile(projectId: string, path: string): Promise<void>;
  /** Remove everything of a project. */
  dropProject(projectId: string): Promise<void>;
  /** Every point of the project (or of one file of it) without its vector: what is indexed. */
  entries(projectId: string, path?: string): Promise<IndexedEntry[]>;
  /** The `limit` nearest points of the project to `vector`, best first. */
  search(projectId: string, vector: number[], limit: number): Promise<VectorHit[]>;
  /** Throws when the backing service is unreachable (for /readyz). */
  ping(): Promise<void>;
  /** Let go of subscriptions and connections (shutdown). */
  close(): Promise<void>;
}
