// A local stand-in for the Shopify admin frame, for the demo and the browser tests. The real admin signs
// a session token with the app secret and loads App Bridge from Shopify's CDN, which patches fetch to
// send that token; here a small server (or a test's request routing) does both, so the app's own
// `authenticate.admin` runs unchanged. Development and tests only: it mints tokens for any caller.
import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** Where the app's layout loads App Bridge from in production. */
export const APP_BRIDGE_CDN_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

export interface SessionTokenOptions {
  /** The admin user the token is for (the JWT `sub`). */
  userId?: string;
  ttlSeconds?: number;
  now?: Date;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A session token as the Shopify admin issues it: HS256 over the app secret, valid for a minute. */
export function sessionToken(shop: string, apiKey: string, secret: string, options: SessionTokenOptions = {}): string {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const header = { alg: "HS256", typ: "JWT" };
  const payload = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: apiKey,
    sub: options.userId ?? "1",
    exp: issuedAt + (options.ttlSeconds ?? 60),
    nbf: issuedAt,
    iat: issuedAt,
    jti: randomUUID(),
    sid: createHmac("sha256", secret).update(`${shop}:${options.userId ?? "1"}`).digest("hex").slice(0, 32),
  };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

/** The `host` parameter the admin passes: base64 of the admin's URL for the store. */
export function adminHost(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64");
}

/** The URL the admin frame loads for an app page: embedded, with shop, host and a fresh id_token. */
export function embeddedUrl(appUrl: string, shop: string, path: string, token: string): string {
  const url = new URL(path, appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", adminHost(shop));
  url.searchParams.set("id_token", token);
  return url.toString();
}

/**
 * The browser side of the stand-in, in place of App Bridge: the `shopify` global (idToken, toast, config,
 * loading), fetch patched to send `Authorization: Bearer <fresh token>` to the app's own origin (retrying
 * once when the app asks for a new token), the bounce page's reload, and a visible nav menu.
 * Tokens come from `tokenUrl` (GET, answering the token as text), never from a secret in the page.
 * With `reloadable`, app URLs keep `embedded`, `shop` and `host` as the admin's own URL does, so a reload in
 * a plain browser comes back through the bounce page instead of the login form.
 */
export function appBridgeStandinScript(options: { tokenUrl: string; reloadable?: boolean }): string {
  return `(() => {
  "use strict";
  const TOKEN_URL = ${JSON.stringify(options.tokenUrl)};
  const script = document.currentScript;
  const params = new URLSearchParams(location.search);
  const remember = (key, value) => { if (value) sessionStorage.setItem("parcelwise-standin:" + key, value); return value || sessionStorage.getItem("parcelwise-standin:" + key) || ""; };
  const shop = remember("shop", params.get("shop"));
  const host = remember("host", params.get("host"));
  const nativeFetch = window.fetch.bind(window);
  let cached = null;
  async function idToken() {
    if (cached && cached.until > Date.now()) return cached.token;
    const response = await nativeFetch(TOKEN_URL + (TOKEN_URL.includes("?") ? "&" : "?") + "shop=" + encodeURIComponent(shop), { credentials: "omit" });
    if (!response.ok) throw new Error("admin stand-in: no session token (" + response.status + ")");
    const token = (await response.text()).trim();
    cached = { token, until: Date.now() + 30000 };
    return token;
  }
  function isApp(url) {
    try { return new URL(url, location.href).origin === location.origin; } catch { return false; }
  }
  window.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!isApp(url)) return nativeFetch(input, init);
    const first = new Request(input, init);
    const spare = first.clone();
    const send = async (request, fresh) => {
      if (fresh) cached = null;
      request.headers.set("Authorization", "Bearer " + (await idToken()));
      return nativeFetch(request);
    };
    const response = await send(first, false);
    if (response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") return send(spare, true);
    return response;
  };

  let toastBox = null;
  const toast = {
    show(message, opts) {
      if (!toastBox) {
        toastBox = document.createElement("div");
        toastBox.setAttribute("aria-live", "polite");
        toastBox.style.cssText = "position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:10000;display:flex;flex-direction:column;gap:8px;align-items:center;font:14px/1.4 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif";
        document.body.appendChild(toastBox);
      }
      const id = "toast-" + Math.random().toString(36).slice(2);
      const item = document.createElement("div");
      item.id = id;
      item.setAttribute("role", "status");
      item.setAttribute("data-standin-toast", opts && opts.isError ? "error" : "info");
      item.textContent = String(message);
      item.style.cssText = "padding:10px 16px;border-radius:8px;color:#fff;box-shadow:0 4px 12px rgba(0,0,0,.25);background:" + (opts && opts.isError ? "#8e1f0b" : "#1a1a1a");
      toastBox.appendChild(item);
      setTimeout(() => item.remove(), (opts && opts.duration) || 5000);
      return id;
    },
    hide(id) { document.getElementById(id)?.remove(); },
  };

  window.shopify = {
    config: { apiKey: script ? script.getAttribute("data-api-key") || "" : "", shop, host, locale: "en" },
    environment: { embedded: true, mobile: false, pos: false },
    origin: location.origin,
    idToken,
    toast,
    loading() {},
    user: async () => ({ id: 1, name: "Stand-in admin user", accountAccess: "Account owner" }),
  };

  // The bounce page (/auth/session-token): the admin would reload the app with a fresh token.
  const reload = params.get("shopify-reload");
  if (reload && isApp(reload)) {
    idToken().then((token) => {
      const target = new URL(reload, location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  if (${JSON.stringify(Boolean(options.reloadable))}) {
    const embeddedHref = (url) => {
      const target = new URL(url, location.href);
      if (target.origin !== location.origin || !target.pathname.startsWith("/app")) return url;
      for (const [key, value] of [["embedded", "1"], ["shop", shop], ["host", host]]) if (value && !target.searchParams.has(key)) target.searchParams.set(key, value);
      return target.pathname + target.search + target.hash;
    };
    for (const method of ["pushState", "replaceState"]) {
      const original = history[method].bind(history);
      history[method] = (state, title, url) => original(state, title, url == null ? url : embeddedHref(url));
    }
  }

  // The admin draws the app's nav menu in its own sidebar; the stand-in shows it as a bar on the page.
  const style = document.createElement("style");
  style.textContent = "ui-nav-menu{display:flex;flex-wrap:wrap;gap:4px 16px;padding:10px 16px;background:#1a1a1a;font:500 14px/1.4 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif}ui-nav-menu a{color:#e3e3e3;text-decoration:none}ui-nav-menu a:hover{color:#fff;text-decoration:underline}";
  document.head.appendChild(style);
})();
`;
}

export interface AdminFrameStandin {
  url: string;
  /** The script the app loads instead of App Bridge (set as APP_BRIDGE_URL). */
  scriptUrl: string;
  /** A URL a person opens in a browser: it redirects into the app's `path` with a fresh session token. */
  adminUrl(path?: string): string;
  close(): Promise<void>;
}

/**
 * Serves the stand-in for one shop: `/app-bridge.js`, `/session-token` (for the app's origin only) and
 * `/admin?path=/app/...`, which redirects into the app with a fresh token as the admin's frame would.
 */
export async function startAdminFrameStandin(options: {
  appUrl: string;
  shop: string;
  apiKey: string;
  secret: string;
  port?: number;
  host?: string;
}): Promise<AdminFrameStandin> {
  if (process.env.NODE_ENV === "production") {
    throw new Error("The admin frame stand-in mints session tokens: it is for development and tests, not production");
  }
  const appOrigin = new URL(options.appUrl).origin;
  let url = "";
  const server = http.createServer((req, res) => {
    const requestUrl = new URL(req.url ?? "/", "http://standin");
    if (requestUrl.pathname === "/app-bridge.js") {
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" });
      return res.end(appBridgeStandinScript({ tokenUrl: `${url}/session-token`, reloadable: true }));
    }
    if (requestUrl.pathname === "/session-token") {
      // Only the app's own pages may ask, as only the admin's frame hands the app a token.
      if (req.headers.origin !== appOrigin) {
        res.writeHead(403, { "Content-Type": "text/plain" });
        return res.end("session tokens are only handed to the app's own origin");
      }
      res.writeHead(200, { "Content-Type": "text/plain", "Cache-Control": "no-store", "Access-Control-Allow-Origin": appOrigin, Vary: "Origin" });
      return res.end(sessionToken(options.shop, options.apiKey, options.secret));
    }
    if (requestUrl.pathname === "/" || requestUrl.pathname === "/admin") {
      const path = requestUrl.searchParams.get("path") ?? "/app";
      const safePath = path.startsWith("/app") ? path : "/app";
      res.writeHead(302, { Location: embeddedUrl(options.appUrl, options.shop, safePath, sessionToken(options.shop, options.apiKey, options.secret)), "Cache-Control": "no-store" });
      return res.end();
    }
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("not found");
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    scriptUrl: `${url}/app-bridge.js`,
    adminUrl: (path = "/app") => `${url}/admin?path=${encodeURIComponent(path)}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
