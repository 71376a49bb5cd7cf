// Lets the webhook route wake an in-process worker the moment a delivery is in the inbox. The route
// lives in the Remix build and the worker in the server's own modules, so the listeners are kept on
// globalThis, the one object both module graphs share.
type Listener = () => void;

const KEY = Symbol.for("parcelwise.webhook-inbox.listeners");
const store = globalThis as typeof globalThis & { [KEY]?: Set<Listener> };
const listeners: Set<Listener> = (store[KEY] ??= new Set());

export function notifyInbox(): void {
  for (const listener of listeners) listener();
}

export function onInbox(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
