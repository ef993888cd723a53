import type { ChatMessage } from "../../adapters/ai/openai.ts";

type Counter = (text: string) => number;
let counter: Promise<Counter> | undefined;

/** gpt-tokenizer's o200k encoding, loaded on first use: its tables are large and most upstreams report usage. */
function load(): Promise<Counter> {
  counter ??= import("gpt-tokenizer").then((m) => (text: string) => m.countTokens(text));
  return counter;
}

/**
 * Tokens of a call, counted locally when the upstream did not report usage: each message's
 * content plus the chat format's few tokens per message, and the answer.
 */
export async function countTokens(messages: ChatMessage[], answer: string) {
  const count = await load();
  const input = messages.reduce((sum, m) => sum + count(m.content) + 4, 3);
  return { input, output: answer ? count(answer) : 0 };
}
