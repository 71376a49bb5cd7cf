import { describe, expect, it } from "vitest";
import { JsonlLineError, readJsonl } from "./jsonl";

const encoder = new TextEncoder();
const streamOf = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
const all = async (body: ReadableStream<Uint8Array>) => {
  const out: Record<string, unknown>[] = [];
  for await (const line of readJsonl(body)) out.push(line);
  return out;
};

describe("readJsonl", () => {
  it("yields one object per line, children with their __parentId", async () => {
    const file = [
      '{"id":"gid://shopify/Order/1","fulfillments":[{"id":"gid://shopify/Fulfillment/10"}]}',
      '{"id":"gid://shopify/FulfillmentEvent/100","status":"IN_TRANSIT","__parentId":"gid://shopify/Fulfillment/10"}',
      "",
    ].join("\n");
    expect(await all(streamOf(file))).toEqual([
      { id: "gid://shopify/Order/1", fulfillments: [{ id: "gid://shopify/Fulfillment/10" }] },
      { id: "gid://shopify/FulfillmentEvent/100", status: "IN_TRANSIT", __parentId: "gid://shopify/Fulfillment/10" },
    ]);
  });

  it("puts a line split across chunks back together, and a multi-byte character split across them", async () => {
    const line = JSON.stringify({ id: "gid://shopify/Order/2", name: "#1002", note: "Müller 東京" });
    const bytes = encoder.encode(`${line}\n{"id":"gid://shopify/Order/3"}`);
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of "ü"
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 5));
        controller.enqueue(bytes.slice(5, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    expect(await all(body)).toEqual([JSON.parse(line), { id: "gid://shopify/Order/3" }]);
  });

  it("reads as the body arrives, not after", async () => {
    let pull = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pull++;
        if (pull > 3) return controller.close();
        controller.enqueue(encoder.encode(`{"n":${pull}}\n`));
      },
    });
    const lines = readJsonl(body);
    expect((await lines.next()).value).toEqual({ n: 1 });
    expect(pull).toBeLessThan(3);
  });

  it("skips blank lines and CRLF endings, and names a line that is not JSON", async () => {
    expect(await all(streamOf('{"a":1}\r\n\r\n{"b":2}\r\n'))).toEqual([{ a: 1 }, { b: 2 }]);
    await expect(all(streamOf('{"a":1}\n{"b":\n'))).rejects.toThrow(JsonlLineError);
  });
});
