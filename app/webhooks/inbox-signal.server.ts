// Lets the webhook route wake an in-process worker the moment a delivery is in the inbox. The route
// lives in the Remix build and the worker in the server's own modules, so the listeners are kept on
// globalThis, the one object both module graphs share.
type Listener = () => void;

const KEY = Symbol.for("parcelwise.webhook-inbox.listeners");
const store = globalThis as typeof globalThis & { [KEY]?: Set<Listener> };
const listeners: Set<Listener> = (store[KEY] ??= new Set());

export const INBOX_MESSAGE = "parcelwise:webhook-inbox";
let forwardPending = false;

export function notifyInbox(): void {
  for (const listener of listeners) listener();
  // A forked web process (WEB_CONCURRENCY > 1) runs no worker: tell the primary, at most once per 20 ms,
  // and always after the last delivery of a burst.
  if (listeners.size === 0 && process.send && !forwardPending) {
    forwardPending = true;
    setTimeout(() => {
      forwardPending = false;
      process.send?.(INBOX_MESSAGE);
    }, 20).unref();
  }
}

export function onInbox(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
