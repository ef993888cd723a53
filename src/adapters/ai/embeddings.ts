import OpenAI from "openai";
import type { Embedder } from "../../search/types.ts";
import { ModelError } from "./openai.ts";

/** Texts per request: OpenAI takes up to 2,048 inputs; smaller batches keep one failure cheap. */
const BATCH = 128;
/** Characters per input: well under the 8,192-token input limit of OpenAI's embedding models. */
const MAX_INPUT_CHARS = 16_000;

/**
 * Embeddings from the OpenAI-compatible `/embeddings` endpoint of the AI upstream (OpenAI,
 * Helicone, Ollama, vLLM), used when AI_EMBEDDING_MODEL is set. Vectors are normalised to unit
 * length (cosine then equals a dot product, as the vector stores assume) and checked against
 * the configured size, so a model that answers another size is a clear error, not bad search.
 */
export class OpenAIEmbedder implements Embedder {
  private readonly client: OpenAI;

  constructor(
    readonly model: string,
    readonly dimensions: number,
    options: { baseUrl: string; apiKey: string | undefined; defaultHeaders?: Record<string, string> },
  ) {
    this.client = new OpenAI({
      baseURL: options.baseUrl,
      apiKey: options.apiKey ?? "not-needed",
      maxRetries: 2,
      timeout: 60_000,
      defaultHeaders: options.defaultHeaders,
    });
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const input = texts.slice(i, i + BATCH).map((t) => t.slice(0, MAX_INPUT_CHARS) || " ");
      let answer: OpenAI.CreateEmbeddingResponse;
      try {
        answer = await this.client.embeddings.create(
          { model: this.model, input, encoding_format: "float" },
          { signal },
        );
      } catch (err) {
        if (signal?.aborted) throw err;
        const status = (err as { status?: unknown }).status;
        throw new ModelError(
          `Embedding with ${this.model} failed: ${(err as Error).message}`,
          true,
          typeof status === "number" ? status : undefined,
        );
      }
      const vectors = [...answer.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      if (vectors.length !== input.length)
        throw new ModelError(
          `${this.model} returned ${vectors.length} embeddings for ${input.length} texts`,
          false,
        );
      for (const v of vectors) out.push(unit(v, this.dimensions, this.model));
    }
    return out;
  }
}

function unit(vector: number[], dimensions: number, model: string): number[] {
  if (vector.length !== dimensions)
    throw new ModelError(
      `${model} returned vectors of ${vector.length} dimensions; AI_EMBEDDING_DIMENSIONS says ${dimensions}`,
      false,
    );
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  return norm > 0 ? vector.map((x) => x / norm) : vector;
}
