// POSTs a body of `bytes` bytes generated on the fly (never held in memory), with or without a
// Content-Length, as an attacker or a large honest client would. Resolves with the server's answer as soon
// as it comes, even mid-upload, and then stops sending.
import { request } from "node:http";

export interface StreamPost {
  bytes: number;
  /** false: chunked transfer encoding, so the server learns the size only by reading. */
  contentLength: boolean;
  headers?: Record<string, string>;
}

const CHUNK = Buffer.alloc(64 * 1024, "a");

export function postStream(url: string, post: StreamPost): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(post.contentLength ? { "Content-Length": String(post.bytes) } : {}), ...post.headers },
    });
    req.on("response", (response) => {
      answered = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (text: string) => (body += text));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, body });
        req.destroy();
      });
      response.on("error", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    void (async () => {
      for (let sent = 0; sent < post.bytes && !answered && !req.destroyed; sent += CHUNK.length) {
        const chunk = post.bytes - sent < CHUNK.length ? CHUNK.subarray(0, post.bytes - sent) : CHUNK;
        if (!req.write(chunk)) await new Promise((resolve) => req.once("drain", resolve).once("close", resolve));
      }
      if (!answered && !req.destroyed) req.end();
    })();
  });
}
