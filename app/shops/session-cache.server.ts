// Every webhook loads the shop's offline session (authenticate.webhook does). A short-lived cache in front
// of the database spares that query on the hot path. Writes through this storage invalidate it at once;
// a session deleted elsewhere (app/uninstalled in a worker) may be served for up to `ttlMs`, which only
// lets a webhook of a just-uninstalled shop into the inbox, where the uninstalled shop plans nothing.
import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

export class CachedSessionStorage implements SessionStorage {
  private cache = new Map<string, { session: Session; until: number }>();

  constructor(
    private readonly storage: SessionStorage,
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async storeSession(session: Session): Promise<boolean> {
    this.cache.delete(session.id);
    return this.storage.storeSession(session);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const hit = this.cache.get(id);
    if (hit && hit.until > this.now()) return hit.session;
    this.cache.delete(id);
    const session = await this.storage.loadSession(id);
    // Only found sessions are cached: a shop that installs a moment later must not be turned away.
    if (session) this.cache.set(id, { session, until: this.now() + this.ttlMs });
    return session;
  }

  async deleteSession(id: string): Promise<boolean> {
    this.cache.delete(id);
    return this.storage.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.cache.delete(id);
    return this.storage.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return this.storage.findSessionsByShop(shop);
  }
}
