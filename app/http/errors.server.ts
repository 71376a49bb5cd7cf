// The last express handler: whatever fails outside a route (a static file, a broken request, the Remix
// handler itself) is logged here with its stack, and the client gets a plain status line, never the stack.
import type { NextFunction, Request, Response } from "express";
import { log } from "~/log.server";

export function answerErrors(error: unknown, req: Request, res: Response, next: NextFunction) {
  if (res.headersSent) return next(error);
  const status = (error as { status?: unknown } | null)?.status;
  const clientError = typeof status === "number" && status >= 400 && status < 500;
  const fields = { method: req.method, path: req.path, error, stack: error instanceof Error ? error.stack : undefined };
  if (clientError) log.warn("request refused", { ...fields, status });
  else log.error("request failed", fields);
  res.status(clientError ? status : 500).type("text/plain").send(clientError ? "Bad Request" : "Internal Server Error");
}
