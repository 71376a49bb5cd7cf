// The baseline for `npm run bench`: the least a correct webhook endpoint can do. node:http, no framework;
// it checks Shopify's HMAC over the raw body (401 when it does not match) and inserts the same
// WebhookReceipt row the app writes, with the same SQLite driver (@libsql/client) into a migrated
// database. No session, no shop lookup, no dedupe query, no parsing, no planning: the cost floor that
// the real server is compared with.
//
// Run as a child process by tests/bench/run-bench.ts:
//   BARE_DATABASE_URL=file:/tmp/x.sqlite BARE_SECRET=... PORT=0 node --import tsx tests/bench/bare-server.ts
// It prints one line `listening http://127.0.0.1:<port>` when ready and stops on SIGTERM.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createClient, type Client } from "@libsql/client";

const MAX_BODY_BYTES = 1 << 20;

const INSERT_RECEIPT = `INSERT INTO "WebhookReceipt" (id, shop, topic, webhookId, eventId, triggeredAt, payload, status, attempts, availableAt, receivedAt) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`;

/** Prisma's SQLite driver adapter stores DateTime as ISO 8601 with an explicit UTC offset. */
function sqliteDate(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

function hmacMatches(secret: string, body: Buffer, header: string): boolean {
  const expected = Buffer.from(createHmac("sha256", secret).update(body).digest("base64"));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function answer(response: ServerResponse, status: number, text = ""): void {
  response.writeHead(status, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(text) });
  response.end(text);
}

export interface BareServerOptions {
  databaseUrl: string;
  secret: string;
  port?: number;
  host?: string;
}

export interface BareServer {
  url: string;
  server: Server;
  client: Client;
  close(): Promise<void>;
}

export async function startBareServer(options: BareServerOptions): Promise<BareServer> {
  const client = createClient({ url: options.databaseUrl });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === "GET" && request.url === "/healthz") return answer(response, 200, "ok");
    if (request.method !== "POST" || !request.url?.startsWith("/webhooks/")) return answer(response, 404, "Not Found");
    const body = await readBody(request);
    if (!body) return answer(response, 413, "Payload Too Large");
    const hmac = request.headers["x-shopify-hmac-sha256"];
    if (typeof hmac !== "string" || !hmacMatches(options.secret, body, hmac)) return answer(response, 401, "Unauthorized");
    const shop = request.headers["x-shopify-shop-domain"];
    const topic = request.headers["x-shopify-topic"];
    const webhookId = request.headers["x-shopify-webhook-id"];
    if (typeof shop !== "string" || typeof topic !== "string" || typeof webhookId !== "string") {
      return answer(response, 400, "Bad Request: missing Shopify headers");
    }
    const eventId = request.headers["x-shopify-event-id"];
    const triggered = request.headers["x-shopify-triggered-at"];
    const triggeredAt = typeof triggered === "string" && !Number.isNaN(Date.parse(triggered)) ? sqliteDate(new Date(triggered)) : null;
    try {
      await client.execute({
        sql: INSERT_RECEIPT,
        args: [randomUUID(), shop, topic.toLowerCase(), webhookId, typeof eventId === "string" ? eventId : null, triggeredAt, body.toString("utf8"), sqliteDate(new Date()), sqliteDate(new Date())],
      });
    } catch (error) {
      // The (shop, webhookId) unique index: a redelivery is acknowledged, as the app does.
      if (error instanceof Error && /UNIQUE constraint failed/.test(error.message)) return answer(response, 200);
      console.error(`bare server: insert failed: ${error instanceof Error ? error.message : String(error)}`);
      return answer(response, 500, "Internal Server Error");
    }
    answer(response, 200);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error(`bare server: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) answer(response, 500, "Internal Server Error");
    });
  });
  server.keepAliveTimeout = 65_000; // as app/server.ts
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    server,
    client,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      client.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const databaseUrl = process.env.BARE_DATABASE_URL;
  const secret = process.env.BARE_SECRET;
  if (!databaseUrl || !secret) {
    console.error("bare server: set BARE_DATABASE_URL and BARE_SECRET");
    process.exit(2);
  }
  startBareServer({ databaseUrl, secret, port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? "127.0.0.1" })
    .then((bare) => {
      console.log(`listening ${bare.url}`);
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => void bare.close().then(() => process.exit(0)));
      }
    })
    .catch((error: unknown) => {
      console.error(`bare server: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
