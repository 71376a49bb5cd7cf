// A local stand-in for a Shopify storefront, for the demo and the browser tests. It plays Shopify's part
// around the app proxy: it forwards /apps/parcelwise/* to the app's /proxy/* with the signed query
// Shopify adds (shop, path_prefix, timestamp, logged_in_customer_id, signature = HMAC-SHA256 of the
// sorted parameters with the app secret), renders a Liquid answer into a theme layout, serves the
// tracking block's assets as Shopify's CDN does and, when given the block's rendered HTML, a theme page
// holding it. Development and tests only: it signs any request with the app secret.
import http from "node:http";
import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { APP_PROXY_PREFIX, APP_PROXY_SUBPATH } from "~/tracking/link";

/** Where the block's assets are served, as Shopify's CDN serves a theme app extension's. */
export const STANDIN_ASSET_PATH = "/cdn/shop/t/1/assets/";
/** The theme page holding the "Track your order" block (served only when `trackBlock` is given). */
export const STANDIN_TRACK_PAGE_PATH = "/pages/track";

const PROXY_PATH = `/${APP_PROXY_PREFIX}/${APP_PROXY_SUBPATH}`;

/** The query Shopify's app proxy sends to the app: the buyer's parameters plus Shopify's, signed. */
export function signedAppProxyQuery(original: URLSearchParams, shop: string, secret: string, now = new Date()): string {
  const params: Record<string, string> = Object.fromEntries(original);
  Object.assign(params, { shop, logged_in_customer_id: "", path_prefix: PROXY_PATH, timestamp: String(Math.floor(now.getTime() / 1000)) });
  const message = Object.keys(params).sort().map((key) => `${key}=${params[key]}`).join("");
  return new URLSearchParams({ ...params, signature: createHmac("sha256", secret).update(message).digest("hex") }).toString();
}

/**
 * Shopify's app proxy tells the app the buyer's address in X-Forwarded-For. Whether it keeps a value the
 * buyer sent is not documented, so the stand-in appends, as most proxies do: the worst case for the app.
 */
function forwardedFor(req: http.IncomingMessage): string {
  const sent = req.headers["x-forwarded-for"];
  return [...(Array.isArray(sent) ? sent : sent ? [sent] : []), req.socket.remoteAddress ?? ""].filter(Boolean).join(", ");
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function themePage(storeName: string, content: string): string {
  const name = escapeHtml(storeName);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${name}</title>
<link rel="stylesheet" href="${STANDIN_ASSET_PATH}track-order.css"></head>
<body style="font-family: sans-serif; margin: 0"><header style="padding: 1rem; border-bottom: 1px solid #ddd">${name}</header>
<main>${content}</main><script src="${STANDIN_ASSET_PATH}track-order.js" defer></script></body></html>`;
}

export interface StorefrontStandinOptions {
  /** The app's base URL: /apps/parcelwise/* is forwarded to <appUrl>/proxy/*. */
  appUrl: string;
  shop: string;
  /** The app's SHOPIFY_API_SECRET, which signs the proxied query. */
  secret: string;
  storeName?: string;
  /** The block's HTML as Shopify renders its Liquid in a theme; without it /pages/track is not served. */
  trackBlock?: () => string;
  /** The block's assets (default extensions/tracking-block/assets). */
  assetsDir?: string;
  port?: number;
  host?: string;
}

export interface StorefrontStandin {
  /** e.g. http://127.0.0.1:PORT: the shop's domain, as far as a buyer's browser is concerned. */
  url: string;
  close(): Promise<void>;
}

export async function startStorefrontStandin(options: StorefrontStandinOptions): Promise<StorefrontStandin> {
  if (process.env.NODE_ENV === "production") {
    throw new Error("The storefront stand-in signs app proxy requests with the app secret: it is for development and tests, not production");
  }
  const appUrl = options.appUrl.replace(/\/+$/, "");
  const storeName = options.storeName ?? "Parcelwise Store";
  const assetsDir = options.assetsDir ?? join(process.cwd(), "extensions/tracking-block/assets");

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
      res.end("Bad Gateway: the app did not answer");
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://storefront.standin");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const asset = url.pathname.startsWith(STANDIN_ASSET_PATH) ? url.pathname.slice(STANDIN_ASSET_PATH.length) : null;
    if (url.pathname === STANDIN_TRACK_PAGE_PATH && options.trackBlock) {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(themePage(storeName, options.trackBlock()));
    } else if (asset && /^[\w-]+\.(js|css)$/.test(asset) && existsSync(join(assetsDir, asset))) {
      const type = asset.endsWith(".js") ? "text/javascript" : "text/css";
      res.writeHead(200, { "Content-Type": type }).end(readFileSync(join(assetsDir, asset)));
    } else if (url.pathname.startsWith(`${PROXY_PATH}/`)) {
      const target = `${appUrl}/proxy/${url.pathname.slice(PROXY_PATH.length + 1)}?${signedAppProxyQuery(url.searchParams, options.shop, options.secret)}`;
      const answer = await fetch(target, {
        method: req.method,
        headers: {
          "Content-Type": req.headers["content-type"] ?? "application/octet-stream",
          "Accept-Language": req.headers["accept-language"] ?? "",
          "X-Forwarded-For": forwardedFor(req),
        },
        body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
      });
      const body = await answer.text();
      // A Liquid answer is rendered into the theme's layout (it holds no Liquid of its own to run).
      if ((answer.headers.get("content-type") ?? "").includes("application/liquid")) {
        const page = themePage(storeName, body).replace(/<link rel="stylesheet"[^>]*>|<script src=[^>]*><\/script>/g, "");
        res.writeHead(answer.status, { "Content-Type": "text/html; charset=utf-8" }).end(page);
      } else {
        res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "text/plain" }).end(body);
      }
    } else {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
