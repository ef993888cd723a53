import type { Chunk } from "../../src/search/types.ts";

/** A one-line TypeScript chunk of a function (its content hash is its path). */
export const chunk = (path: string, functionName: string, content: string): Chunk => ({
  path,
  language: "typescript",
  functionName,
  lineStart: 1,
  lineEnd: 1,
  content,
  contentHash: path,
});
