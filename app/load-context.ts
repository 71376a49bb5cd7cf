// What the express server hands every loader and action beside the request: the address of the TCP
// peer, which a Fetch Request does not carry (app/tracking/client-address.ts reads it).
import type { Request as ExpressRequest } from "express";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The socket's remote address: the client, or the nearest proxy in front of the app. */
    remoteAddress?: string;
  }
}

export function loadContext(request: ExpressRequest): { remoteAddress?: string } {
  return { remoteAddress: request.socket.remoteAddress };
}
