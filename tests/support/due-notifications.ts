// Seeds a shop with orders, shipments and due notifications directly in the database, for the worker
// suites and the benchmark: what the planner would have left after a busy day of webhooks.
import { atRiskColumns, DEFAULT_AT_RISK } from "~/shipments/at-risk";
import { spawn, type ChildProcess } from "node:child_process";
import type { Db } from "~/db.server";
import { TEST_ENCRYPTION_KEY } from "./encryption-key";

export interface SeedOptions {
  shop: string;
  count: number;
  dueAt: Date;
  /** Kinds to rotate through (default shipping_confirmation, delay_notice, feedback_request). */
  kinds?: string[];
  locales?: string[];
}

/** Creates `count` orders with a shipment each and one due notification per order; returns their ids. */
export async function seedDueNotifications(db: Db, options: SeedOptions): Promise<string[]> {
  const kinds = options.kinds ?? ["shipping_confirmation", "delay_notice", "feedback_request"];
  const locales = options.locales ?? ["en", "de", "fr", "ja", "es", "zh-CN", "it", "pt-BR"];
  await db.shop.upsert({
    where: { domain: options.shop },
    create: { domain: options.shop, name: "Kumo Ceramics", contactEmail: "hello@kumo.example", primaryLocale: "en", timezone: "Asia/Tokyo" },
    update: {},
  });
  const shipped = new Date(options.dueAt.getTime() - 12 * 86_400_000);
  const chunk = 500;
  for (let start = 0; start < options.count; start += chunk) {
    const n = Math.min(chunk, options.count - start);
    const rows = Array.from({ length: n }, (_, k) => start + k);
    await db.order.createMany({
      data: rows.map((i) => ({
        shop: options.shop,
        shopifyId: `${900000 + i}`,
        name: `#${1000 + i}`,
        email: `buyer${i}@example.com`,
        buyerName: `Buyer ${i}`,
        locale: locales[i % locales.length]!,
        destinationCountry: "DE",
        totalPrice: "49.90",
        currency: "EUR",
        financialStatus: "paid",
        paidAt: shipped,
        processedAt: shipped,
        shopifyUpdatedAt: shipped,
      })),
    });
    await db.shipment.createMany({
      data: rows.map((i) => ({
        shop: options.shop,
        shopifyId: `${700000 + i}`,
        orderShopifyId: `${900000 + i}`,
        status: "success",
        shipmentStatus: "in_transit",
        trackingCompany: "DHL Express",
        carrierCode: "dhl_express",
        carrierName: "DHL Express",
        trackingNumbers: JSON.stringify([`JD0146${i}`]),
        trackingUrls: JSON.stringify([`https://www.dhl.com/track?id=JD0146${i}`]),
        destinationCountry: "DE",
        shippedAt: shipped,
        estimatedDeliveryFrom: new Date(shipped.getTime() + 3 * 86_400_000),
        estimatedDeliveryTo: new Date(shipped.getTime() + 6 * 86_400_000),
        lastEventAt: shipped,
        shopifyUpdatedAt: shipped,
        // As the shipment's refresh would store it (no lane history: the fixed rule).
        ...atRiskColumns(
          { status: "success", shipmentStatus: "in_transit", trackingNumbers: ["x"], shippedAt: shipped, createdAt: shipped, deliveredAt: null, estimatedDeliveryTo: new Date(shipped.getTime() + 6 * 86_400_000), lastEventAt: shipped },
          null,
          DEFAULT_AT_RISK,
        ),
      })),
    });
    await db.notification.createMany({
      data: rows.map((i) => {
        const kind = kinds[i % kinds.length]!;
        return {
          shop: options.shop,
          kind,
          planKey: `${kind}:${700000 + i}`,
          orderShopifyId: `${900000 + i}`,
          shipmentShopifyId: kind === "feedback_request" ? null : `${700000 + i}`,
          trackingNumber: `JD0146${i}`,
          locale: locales[i % locales.length]!,
          recipient: `buyer${i}@example.com`,
          scheduledFor: options.dueAt,
        };
      }),
    });
  }
  const ids = await db.notification.findMany({ where: { shop: options.shop }, select: { id: true } });
  return ids.map((r) => r.id);
}

export interface WorkerProcess {
  child: ChildProcess;
  logs: string[];
  exited: Promise<number | null>;
}

/** `npm run worker` as a child process (node --import tsx app/worker.ts), against `env`. */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const logs: string[] = [];
  // CPU_PROFILE_DIR=<dir>: the worker writes a V8 CPU profile there on exit.
  const child = spawn(process.execPath, [...(process.env.CPU_PROFILE_DIR ? ["--cpu-prof", "--cpu-prof-dir=" + process.env.CPU_PROFILE_DIR] : []), "--import", "tsx", "app/worker.ts"], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      NODE_ENV: "test",
      SHOPIFY_API_KEY: "test-api-key",
      SHOPIFY_API_SECRET: "test-app-secret",
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      SHOPIFY_APP_URL: "http://127.0.0.1:9",
      WORKER_POLL_MS: "50",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => logs.push(...chunk.toString().split("\n").filter(Boolean)));
  child.stderr?.on("data", (chunk: Buffer) => logs.push(...chunk.toString().split("\n").filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, logs, exited };
}
