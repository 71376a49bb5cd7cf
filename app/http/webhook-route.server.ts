// POST /webhooks/<topic>, Shopify's deliveries, go straight to the webhook route's action instead of
// through Remix's request handler: Remix matches every request against all of the app's routes anew
// (flattening, ranking and compiling their paths), which cost more CPU than the rest of the webhook put
// together. Only a path that no other route could match is taken here, and the answer is the one Remix
// gives a resource route: the action's Response, a thrown Response with Remix's X-Remix-Catch header, and
// for anything else thrown, the build's handleError and Remix's plain 500. Everything else goes to Remix.
import type { NextFunction, Request, Response } from "express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import { remixRequest, send } from "./remix-handler.server";

export const WEBHOOK_ROUTE_ID = "routes/webhooks.$";

/** Shopify's topic paths, lowercase words of letters and underscores in two segments; no query string. */
const TOPIC_PATH = /^\/webhooks\/([a-z_]+)\/([a-z_]+)$/;

type Routes = ServerBuild["routes"];

/** A route's path from the root, as segments ("" and pathless layouts add none). */
function fullSegments(routes: Routes, id: string): string[] {
  const segments: string[] = [];
  for (let route: Routes[string] | undefined = routes[id]; route; route = route.parentId ? routes[route.parentId] : undefined) {
    if (route.path) segments.unshift(...route.path.split("/").filter(Boolean));
  }
  return segments;
}

/** Whether a route's path could match these path segments at all (Remix matches case-insensitively). */
function couldMatch(pattern: string[], segments: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i];
    if (part === "*") return true;
    if (i >= segments.length) return part.endsWith("?") && pattern.slice(i).every((rest) => rest.endsWith("?") || rest === "*");
    if (part.startsWith(":")) continue;
    if (part.replace(/\?$/, "").toLowerCase() !== segments[i]) return false;
  }
  return pattern.length === segments.length;
}

/**
 * Which request paths the webhook route answers without Remix: a Shopify topic path that the build's
 * other routes (their leaves and their layouts) could not match. Null when the build has no webhook route.
 */
export function webhookPaths(routes: Routes): ((path: string) => boolean) | null {
  if (!routes[WEBHOOK_ROUTE_ID]?.module.action) return null;
  const others = Object.keys(routes)
    .filter((id) => id !== WEBHOOK_ROUTE_ID)
    .map((id) => fullSegments(routes, id))
    // The root and pathless layouts match every path, but only as parents of another route.
    .filter((segments) => segments.length > 0);
  return (path) => {
    const match = TOPIC_PATH.exec(path);
    if (!match) return false;
    const segments = ["webhooks", match[1], match[2]];
    return !others.some((pattern) => couldMatch(pattern, segments));
  };
}

export function webhookRouteHandler(build: ServerBuild, getLoadContext: (req: Request) => AppLoadContext) {
  const takes = webhookPaths(build.routes);
  const route = build.routes[WEBHOOK_ROUTE_ID];
  const action = route?.module.action;
  const handleError =
    build.entry.module.handleError ??
    ((error: unknown, { request }: { request: globalThis.Request }) => {
      if (!request.signal.aborted) console.error(error);
    });
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!takes || !action || req.method !== "POST" || !takes(req.originalUrl)) return next();
    const request = remixRequest(req, res);
    const context = getLoadContext(req);
    const params = { "*": req.originalUrl.slice("/webhooks/".length) };
    let response: globalThis.Response;
    try {
      const result: unknown = await action({ request, params, context });
      if (!(result instanceof globalThis.Response)) throw new Error(`The webhook route answered without a Response`);
      response = result;
    } catch (error) {
      if (error instanceof globalThis.Response) {
        // As Remix does it: a copy, since a thrown Response's headers may be immutable.
        const headers = new Headers(error.headers);
        headers.set("X-Remix-Catch", "yes");
        response = new globalThis.Response(error.body, { status: error.status, statusText: error.statusText, headers });
      } else {
        handleError(error, { request, params, context });
        response = new globalThis.Response("Unexpected Server Error", { status: 500, headers: { "Content-Type": "text/plain" } });
      }
    }
    try {
      await send(res, response);
    } catch (error) {
      next(error);
    }
  };
}
