// Every request body is read here, before any route sees it, and never past MAX_BODY_BYTES: a declared
// Content-Length over the limit is refused before a byte is read, and a chunked body is dropped the
// moment it passes the limit. Either way the answer is 413 and the connection is closed soon after.
import type { NextFunction, Request, Response } from "express";
import { log } from "~/log.server";

const bodies = new WeakMap<Request, Buffer>();

/** The body read by `limitBody`, for the Remix handler. */
export const bufferedBody = (req: Request): Buffer | undefined => bodies.get(req);

// Long enough for the client to read the 413 before the socket closes under it.
const LINGER_MS = 1000;

export function limitBody(limit: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    // Already read (a path that went on to the next handler): the stream has ended.
    if (req.method === "GET" || req.method === "HEAD" || bodies.has(req)) return next();
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (declared > limit) return refuse(req, res, limit, declared);
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      req.off("data", onData).off("end", onEnd);
      refuse(req, res, limit, null);
    };
    const onEnd = () => {
      bodies.set(req, Buffer.concat(chunks, received));
      next();
    };
    req.on("data", onData).on("end", onEnd);
    // A client that hangs up mid-body gets no answer; nothing is left waiting.
    req.once("error", () => (chunks.length = 0));
  };
}

function refuse(req: Request, res: Response, limit: number, declared: number | null) {
  log.warn("request refused: body over the limit", { method: req.method, path: req.path, limit, declared });
  // Discard what is still coming (memory stays flat) while the client reads the answer, then close the
  // connection. Not with `Connection: close`: Node would close the socket at once, and a client still
  // writing its body would see a broken pipe instead of the 413.
  req.resume();
  res.status(413).type("text/plain").end(`Payload Too Large: request bodies are limited to ${limit} bytes`);
  res.once("finish", () => setTimeout(() => req.socket.destroy(), LINGER_MS).unref());
}
