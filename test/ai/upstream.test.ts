import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createOpenAIUpstream, ModelError, type UpstreamEvent } from "../../src/adapters/ai/openai.ts";
import { type ScriptedUpstream, startScriptedUpstream } from "../helpers/ai-upstream.ts";

let upstream: ScriptedUpstream;
let model: ReturnType<typeof createOpenAIUpstream>;

beforeAll(() => {
  upstream = startScriptedUpstream();
  model = createOpenAIUpstream({ baseUrl: upstream.url, apiKey: "test" });
});
afterAll(async () => {
  await upstream?.stop();
});

const ask = (signal?: AbortSignal) =>
  model.stream({
    model: "u-model",
    messages: [{ role: "user", content: "hi" }],
    ...(signal ? { signal } : {}),
  });

describe("the upstream adapter", () => {
  test("deltas that arrive together are passed on as one event, every delta in order, then the usage", async () => {
    const chunks = Array.from({ length: 2_000 }, (_, i) => `d${i} `);
    upstream.script("u-model", {
      kind: "reply",
      chunks,
      usage: { prompt_tokens: 7, completion_tokens: 2_000 },
    });
    const events: UpstreamEvent[] = [];
    for await (const event of ask()) events.push(event);
    const batches = events.flatMap((e) => (e.type === "deltas" ? [e.texts] : []));
    expect(batches.flat()).toEqual(chunks);
    // Sent at once, they arrive in a few reads: far fewer events than deltas.
    expect(batches.length).toBeLessThan(chunks.length / 10);
    expect(events.at(-1)).toEqual({ type: "usage", input: 7, output: 2_000 });
  });

  test("deltas sent apart arrive apart", async () => {
    upstream.script("u-model", { kind: "reply", chunks: ["one", " two", " three"], delayMs: 50 });
    const batches: string[][] = [];
    for await (const event of ask()) if (event.type === "deltas") batches.push(event.texts);
    expect(batches).toEqual([["one"], [" two"], [" three"]]);
  });

  test("a consumer that stops early closes the upstream request", async () => {
    upstream.script("u-model", {
      kind: "reply",
      chunks: Array.from({ length: 200 }, (_, i) => `w${i} `),
      delayMs: 20,
    });
    for await (const event of ask()) if (event.type === "deltas") break;
    const call = upstream.requestsFor("u-model").at(-1)!;
    for (let i = 0; i < 40 && !call.aborted; i++) await Bun.sleep(25);
    expect(call.aborted).toBe(true);
  });

  test("a failed status is a ModelError that says whether another model may answer", async () => {
    upstream.script("u-model", { kind: "status", status: 503 }, { kind: "status", status: 400 });
    const failure = async () => {
      try {
        for await (const _ of ask());
      } catch (error) {
        return error as ModelError;
      }
      throw new Error("expected a failure");
    };
    const unavailable = await failure();
    expect(unavailable).toBeInstanceOf(ModelError);
    expect(unavailable.retryable).toBe(true);
    expect((await failure()).retryable).toBe(false);
  });
});
