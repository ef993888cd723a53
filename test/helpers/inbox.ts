/** Collects the messages a subscription receives and lets a test wait for them. */
export function inbox() {
  const messages: string[] = [];
  return {
    messages,
    handler: (message: string) => void messages.push(message),
    /** Wait until `count` messages arrived or `timeoutMs` passed; returns what arrived. */
    async waitFor(count: number, timeoutMs = 1_000): Promise<string[]> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count && Date.now() < deadline) await Bun.sleep(5);
      return messages;
    },
  };
}
