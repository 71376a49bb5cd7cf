// Reads a JSONL body as it downloads: one parsed object per line, never the whole file in memory (a
// bulk export of a busy shop runs to hundreds of megabytes).
export class JsonlLineError extends Error {}

export async function* readJsonl(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Record<string, unknown>> {
  const decoder = new TextDecoder();
  let pending = "";
  let lineNumber = 0;
  const parse = (line: string) => {
    lineNumber++;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new JsonlLineError(`line ${lineNumber} of the bulk operation's file is not JSON`);
    }
  };
  // stream: true keeps a multi-byte character split across two chunks whole.
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    const lines = (pending + decoder.decode(chunk, { stream: true })).split("\n");
    // The last piece has no newline yet: it is the start of a line the next chunk finishes.
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) yield parse(line);
  }
  const last = (pending + decoder.decode()).trim();
  if (last) yield parse(last);
}
