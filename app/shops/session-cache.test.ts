import { describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { CachedSessionStorage } from "./session-cache.server";

function memoryStorage() {
  const rows = new Map<string, Session>();
  let loads = 0;
  const storage: SessionStorage = {
    storeSession: async (session) => (rows.set(session.id, session), true),
    loadSession: async (id) => (loads++, rows.get(id)),
    deleteSession: async (id) => rows.delete(id),
    deleteSessions: async (ids) => (ids.forEach((id) => rows.delete(id)), true),
    findSessionsByShop: async (shop) => [...rows.values()].filter((s) => s.shop === shop),
  };
  return { storage, rows, loads: () => loads };
}

const session = (shop: string) => new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "token" });

describe("CachedSessionStorage", () => {
  it("serves a found session from memory until it expires", async () => {
    let now = 0;
    const inner = memoryStorage();
    const cache = new CachedSessionStorage(inner.storage, 10_000, () => now);
    await inner.storage.storeSession(session("a.myshopify.com"));
    expect((await cache.loadSession("offline_a.myshopify.com"))?.shop).toBe("a.myshopify.com");
    await cache.loadSession("offline_a.myshopify.com");
    expect(inner.loads()).toBe(1);
    now = 10_001;
    await cache.loadSession("offline_a.myshopify.com");
    expect(inner.loads()).toBe(2);
  });

  it("never caches a missing session, so a shop installing a moment later is let in", async () => {
    const inner = memoryStorage();
    const cache = new CachedSessionStorage(inner.storage);
    expect(await cache.loadSession("offline_b.myshopify.com")).toBeUndefined();
    await inner.storage.storeSession(session("b.myshopify.com"));
    expect((await cache.loadSession("offline_b.myshopify.com"))?.shop).toBe("b.myshopify.com");
  });

  it("forgets a session stored or deleted through it at once", async () => {
    const inner = memoryStorage();
    const cache = new CachedSessionStorage(inner.storage);
    await cache.storeSession(session("c.myshopify.com"));
    await cache.loadSession("offline_c.myshopify.com");
    await cache.deleteSessions(["offline_c.myshopify.com"]);
    expect(await cache.loadSession("offline_c.myshopify.com")).toBeUndefined();
  });
});
