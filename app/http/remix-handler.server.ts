// Serves the Remix build from express, with the request body limitBody has already read (Remix's own
// express adapter would stream the raw request instead, past any limit). Always in production mode: the
// served build is a production build, and other modes send error stacks and server paths to clients.
import type { NextFunction, Request, Response } from "express";
import { createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { bufferedBody } from "./body-limit.server";

export function remixHandler(build: ServerBuild, getLoadContext: (req: Request) => AppLoadContext) {
  const handle = createRequestHandler(build, "production");
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await send(res, await handle(remixRequest(req, res), getLoadContext(req)));
    } catch (error) {
      next(error);
    }
  };
}

export function remixRequest(req: Request, res: Response): globalThis.Request {
  // req.hostname drops the port; take it from X-Forwarded-Host or Host, as Remix's adapter does.
  const portOf = (host: string | undefined) => Number.parseInt(host?.split(":")[1] ?? "", 10);
  const port = [portOf(req.get("X-Forwarded-Host")), portOf(req.get("host"))].find(Number.isSafeInteger);
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    for (const value of Array.isArray(values) ? values : values ? [values] : []) headers.append(key, value);
  }
  // Loaders and actions are aborted when the client goes away before the answer is written.
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const buffered = req.method === "GET" || req.method === "HEAD" ? undefined : bufferedBody(req);
  // Buffer.concat allocates over a plain ArrayBuffer, never a SharedArrayBuffer.
  const body = buffered as Uint8Array<ArrayBuffer> | undefined;
  return new Request(url.href, { method: req.method, headers, signal: controller.signal, body });
}

export async function send(res: Response, response: globalThis.Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
