/** Hand each event of a stream to `onEvent` as it arrives (app.handle streams text chunks); ends with the stream. */
export async function readBlocks(
  res: Response,
  onEvent: (event: string, data: Record<string, unknown>) => void,
) {
  const reader = (res.body as ReadableStream<string | Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += typeof value === "string" ? value : decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) onEvent(event, JSON.parse(data));
        end = buffer.indexOf("\n\n");
      }
    }
  } catch (error) {
    if (!(error instanceof Error && error.name === "AbortError")) throw error;
  }
}
