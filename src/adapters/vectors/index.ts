import type { Config } from "../../config.ts";
import type { DatabaseHandle } from "../../db/types.ts";
import type { VectorStore } from "../../features/context/types.ts";
import type { Logger } from "../../logger.ts";
import type { Embedder } from "../../search/types.ts";
import type { Cache } from "../cache/types.ts";
import { EmbeddedVectorStore } from "./embedded.ts";
import { QdrantVectorStore } from "./qdrant.ts";

/**
 * Choose the vector store: Qdrant when QDRANT_URL is configured, else vectors in the database
 * searched in process. Both take the embedder's size (and the embedded one its model name) so a
 * vector from another model is refused or left out rather than compared with the wrong ones.
 */
export function createVectorStore(options: {
  config: Pick<Config, "qdrant">;
  db: DatabaseHandle;
  cache?: Cache | undefined;
  logger?: Logger | undefined;
  embedder: Pick<Embedder, "model" | "dimensions">;
}): VectorStore {
  const { config, embedder } = options;
  if (config.qdrant)
    return new QdrantVectorStore({
      url: config.qdrant.url,
      apiKey: config.qdrant.apiKey,
      dimensions: embedder.dimensions,
    });
  return new EmbeddedVectorStore({
    db: options.db,
    dimensions: embedder.dimensions,
    model: embedder.model,
    cache: options.cache,
    logger: options.logger,
  });
}
