// `npm run demo`: the whole flow on one machine with no Shopify account and no network. A local SQLite
// database, the built server, a SendGrid-compatible capture server, and a realistic scenario of signed
// webhooks replayed over HTTP; then SendGrid's signed delivery events for the captured mail, and a
// storefront stand-in that serves the buyer's tracking page through the app proxy. Runs until interrupted.
import { fileURLToPath } from "node:url";

if (process.env.NODE_ENV === "production") {
  console.error("The demo refuses to run with NODE_ENV=production: it seeds a fake shop and fakes Shopify's Admin API.");
  process.exit(1);
}
// The server defaults to production (app/production-default.ts); the demo is development.
process.env.NODE_ENV ||= "development";

const port = Number(process.env.PORT ?? 3000);
process.env.PORT = String(port);
process.env.HOST ??= "127.0.0.1";
process.env.DATABASE_URL ||= "file:./prisma/demo.sqlite";
process.env.SHOPIFY_API_KEY ||= "parcelwise-demo-key";
process.env.SHOPIFY_API_SECRET ||= "parcelwise-demo-secret";
// The demo's own, public key (32 bytes, base64): a real install makes one with `openssl rand -base64 32`.
process.env.ENCRYPTION_KEY ||= "cGFyY2Vsd2lzZS1kZW1vLWVuY3J5cHRpb24ta2V5ISE=";
process.env.SHOPIFY_APP_URL ||= `http://127.0.0.1:${port}`;
process.env.SENDGRID_API_KEY ||= "SG.demo.local-capture-key";
process.env.WORKER_POLL_MS ||= "200";
process.env.LOG_LEVEL ||= "warn";
// The worker starts after the replay, so the printed story does not depend on how fast this machine is.
process.env.WORKER = "off";

const { migrate } = await import("../../prisma/migrate");
const { startCaptureServer } = await import("#tests/standins/capture-server");
const { createEventSigner, postSendGridEvents, sendGridEventFor } = await import("#tests/standins/event-signer");
const { orderNumberOf } = await import("~/orders/order-number");
const { trackingPageUrl, APP_PROXY_PREFIX, APP_PROXY_SUBPATH, TRACKING_PAGE_PATH } = await import("~/tracking/link");
const { startAdminApiStandin, STANDIN_SCOPES } = await import("#tests/standins/admin-api-standin");
const { startAdminFrameStandin } = await import("#tests/standins/admin-frame-standin");
const { demoScenario, DEMO_SHOP } = await import("./scenario");
const { sendWebhook } = await import("#tests/standins/sign");
const { startStorefrontStandin } = await import("#tests/standins/storefront-standin");
const { contactPageUrl } = await import("~/feedback/contact-link");

const started: Array<{ close(): Promise<void> } | { stop(): Promise<void> }> = [];

async function main() {
  const databaseUrl = process.env.DATABASE_URL!;
  await migrate(databaseUrl);

  let capture: Awaited<ReturnType<typeof startCaptureServer>> | null = null;
  // Plays SendGrid's signed Event Webhook for the captured mail: the app verifies with its public key.
  let signer: ReturnType<typeof createEventSigner> | null = null;
  if (!process.env.SENDGRID_BASE_URL) {
    capture = await startCaptureServer({ port: Number(process.env.CAPTURE_PORT ?? 0), apiKey: process.env.SENDGRID_API_KEY });
    started.push(capture);
    process.env.SENDGRID_BASE_URL = capture.url;
    signer = createEventSigner();
    process.env.SENDGRID_WEBHOOK_PUBLIC_KEY = signer.publicKey;
  }
  const captureUrl = capture?.url ?? null;

  const standin = await startAdminApiStandin({
    name: "Parcelwise Demo Store",
    email: "support@parcelwise-demo.example",
    currencyCode: "USD",
    ianaTimezone: "Asia/Shanghai",
    primaryLocale: "en",
  });
  started.push(standin);
  process.env.SHOPIFY_ADMIN_API_STANDIN = standin.url;
  // Stands in for the Shopify admin around the embedded app: signs session tokens and serves App Bridge's
  // replacement (APP_BRIDGE_URL), so the admin opens in a plain browser with authenticate.admin unchanged.
  const adminFrame = await startAdminFrameStandin({
    appUrl: process.env.SHOPIFY_APP_URL!,
    shop: DEMO_SHOP,
    apiKey: process.env.SHOPIFY_API_KEY!,
    secret: process.env.SHOPIFY_API_SECRET!,
    port: Number(process.env.ADMIN_PORT ?? 0),
  });
  started.push(adminFrame);
  process.env.APP_BRIDGE_URL = adminFrame.scriptUrl;

  // Imported only now: the app reads its environment once, at start-up.
  const { db } = await import("~/db.server");
  const { seedShop } = await import("./seed.server");
  const { startServer } = await import("~/server");
  const { startWorker } = await import("~/jobs/start.server");
  await seedShop(db, DEMO_SHOP, standin.url, process.env.SCOPES ?? STANDIN_SCOPES);
  const server = await startServer();
  started.push(server);
  const baseUrl = `http://127.0.0.1:${server.port}`;

  // History first, through the real path: Shopify's bulk export (the stand-in's) and its JSONL file.
  const { startHistoryImport, advanceHistoryImport } = await import("~/history/import.server");
  const { demoHistory } = await import("./history");
  const { standinGraphql } = await import("./seed.server");
  const history = demoHistory(new Date());
  standin.bulk.history.push(...history.orders);
  const historyDeps = { db, graphqlFor: async () => standinGraphql(standin.url) };
  const importStarted = Date.now();
  let run = await startHistoryImport(historyDeps, DEMO_SHOP, new Date());
  while (run.status === "running") {
    run = (await advanceHistoryImport(historyDeps, run.id, new Date())) ?? (await db.historyImport.findUniqueOrThrow({ where: { id: run.id } }));
  }
  console.log(
    `\nHistory: ${run.ordersImported.toLocaleString("en-US")} orders, ${run.shipmentsImported.toLocaleString("en-US")} shipments imported ` +
      `(${run.eventsImported.toLocaleString("en-US")} carrier events; ${history.customsHolds} held at customs, ${history.neverDelivered} never delivered; ` +
      `${run.status}${run.errorMessage ? `: ${run.errorMessage}` : ""} in ${((Date.now() - importStarted) / 1000).toFixed(1)} s)`,
  );

  const scenario = demoScenario(new Date());
  for (const order of scenario.adminOrders) standin.orders.set(order.id.split("/").pop()!, order);
  for (const product of scenario.products) standin.catalog.products.set(product.id, product);
  standin.catalog.primaryDomainUrl = "https://parcelwise-demo.example";

  console.log(`\nReplaying ${scenario.steps.length} signed webhooks to ${baseUrl}/webhooks/<topic>\n`);
  for (const step of scenario.steps) {
    const response = await sendWebhook(baseUrl, process.env.SHOPIFY_API_SECRET!, step);
    console.log(`  ${response.status}  ${step.topic.padEnd(26)} ${step.note}`);
  }
  const forged = await fetch(`${baseUrl}/webhooks/orders/paid`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Topic": "orders/paid", "X-Shopify-Shop-Domain": DEMO_SHOP, "X-Shopify-Hmac-Sha256": "Zm9yZ2Vk", "X-Shopify-Webhook-Id": "forged", "X-Shopify-API-Version": "2026-10" },
    body: JSON.stringify({ id: 1, name: "#forged" }),
  });
  console.log(`  ${forged.status}  ${"orders/paid".padEnd(26)} a forged webhook (bad HMAC) is refused`);

  // Now the worker: it records and plans every accepted delivery, then sends what is already due.
  started.push(startWorker());
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [inbox, due] = await Promise.all([
      db.webhookReceipt.count({ where: { shop: DEMO_SHOP, status: { in: ["pending", "processing"] } } }),
      db.notification.count({
        where: { shop: DEMO_SHOP, OR: [{ status: "sending" }, { status: "scheduled", scheduledFor: { lte: new Date() } }] },
      }),
    ]);
    if (inbox === 0 && due === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  // What the webhooks recorded (the imported history is summed up above).
  const orders = await db.order.findMany({ where: { shop: DEMO_SHOP, importedAt: null }, orderBy: { name: "asc" } });
  const live = { shop: DEMO_SHOP, orderShopifyId: { in: orders.map((o) => o.shopifyId) } };
  const [shipments, events, receipts, notifications] = await Promise.all([
    db.shipment.findMany({ where: live, orderBy: { shippedAt: "asc" } }),
    db.trackingEvent.count({ where: live }),
    db.webhookReceipt.count({ where: { shop: DEMO_SHOP } }),
    db.notification.findMany({ where: { shop: DEMO_SHOP }, orderBy: [{ status: "asc" }, { scheduledFor: "asc" }] }),
  ]);
  console.log(`\nRecorded: ${orders.length} orders, ${shipments.length} shipments, ${events} carrier events, ${receipts} webhook receipts (duplicates dropped)`);
  for (const order of orders) {
    const own = shipments.filter((s) => s.orderShopifyId === order.shopifyId);
    const parcels = own.map((s) => `${s.carrierName} ${JSON.parse(s.trackingNumbers)[0]} (${s.shipmentStatus ?? "fulfilled"}, est. ${s.estimatedDeliveryFrom?.toISOString().slice(0, 10)}..${s.estimatedDeliveryTo?.toISOString().slice(0, 10)})`);
    console.log(`  ${order.name} ${order.destinationCountry} ${order.locale ?? ""}${order.cancelledAt ? " cancelled" : ""}  ${parcels.join(", ") || "not shipped"}`);
  }
  console.log(`\nNotifications:`);
  for (const n of notifications) {
    const order = orders.find((o) => o.shopifyId === n.orderShopifyId)?.name ?? n.orderShopifyId;
    const read = n.providerMessageId && captureUrl ? `  ${captureUrl}/mails/${n.providerMessageId}.html` : "";
    console.log(`  ${n.status.padEnd(9)} ${n.kind.padEnd(22)} ${order}  ${n.status === "scheduled" ? `due ${n.scheduledFor.toISOString()}` : (n.subject ?? n.lastError ?? "")}${read}`);
  }

  // SendGrid reports what became of each mail, signed; the app moves the notifications along.
  if (capture && signer) {
    const eventsUrl = `${baseUrl}/webhooks/sendgrid`;
    const mails = [...capture.mails];
    const answer = await postSendGridEvents(eventsUrl, signer, mails.map((mail) => sendGridEventFor(mail, "delivered", { response: "250 2.0.0 OK" })));
    const ids = mails.map((mail) => mail.customArgs.notification_id).filter(Boolean);
    const after = await db.notification.findMany({ where: { shop: DEMO_SHOP, id: { in: ids } }, orderBy: { scheduledFor: "asc" } });
    console.log(`\nSendGrid events: ${mails.length} delivered (signed), POST ${eventsUrl} answered ${answer.status}`);
    for (const n of after) {
      const order = orders.find((o) => o.shopifyId === n.orderShopifyId)?.name ?? n.orderShopifyId;
      console.log(`  ${n.status.padEnd(9)} ${n.kind.padEnd(22)} ${order}  ${n.recipient}`);
    }
    const forgedEvents = await postSendGridEvents(eventsUrl, createEventSigner(), mails.slice(0, 1).map((mail) => sendGridEventFor(mail, "bounce", { type: "bounce" })));
    console.log(`  ${forgedEvents.status}  a batch signed with another key is refused`);
  } else {
    console.log(`\nSendGrid events: not simulated (mail went to your SENDGRID_BASE_URL; point its Event Webhook at ${baseUrl}/webhooks/sendgrid)`);
  }

  // Shopify's part in the shop: /apps/parcelwise/* on the shop's domain reaches the app through the
  // signed app proxy. The link is the one the shipping confirmation carries, on the stand-in's origin.
  const storefront = await startStorefrontStandin({
    appUrl: baseUrl,
    shop: DEMO_SHOP,
    secret: process.env.SHOPIFY_API_SECRET!,
    storeName: "Parcelwise Demo Store",
    port: Number(process.env.STOREFRONT_PORT ?? 0),
  });
  started.push(storefront);
  const onStorefront = (url: string) => {
    const { pathname, search } = new URL(url);
    return `${storefront.url}${pathname}${search}`;
  };
  const linked = orders.find((o) => !o.cancelledAt && shipments.some((s) => s.orderShopifyId === o.shopifyId));
  const link = linked && trackingPageUrl({ shopDomain: DEMO_SHOP, orderName: linked.name, orderShopifyId: linked.shopifyId, secret: process.env.SHOPIFY_API_SECRET!, issuedAt: new Date() });
  const form = `${storefront.url}/${APP_PROXY_PREFIX}/${APP_PROXY_SUBPATH}/${TRACKING_PAGE_PATH}`;
  // The feedback request's "contact us first" link: its message is mailed to the shop by the worker.
  const feedback = notifications.find((n) => n.kind === "feedback_request");
  const contact = feedback && contactPageUrl({ shopDomain: DEMO_SHOP, notificationId: feedback.id, secret: process.env.SHOPIFY_API_SECRET!, issuedAt: new Date() });

  console.log(`\nMail: ${captureUrl ? `every captured mail at ${captureUrl}/ (JSON at ${captureUrl}/mails)` : `sent to SENDGRID_BASE_URL=${process.env.SENDGRID_BASE_URL}`}`);
  console.log(`Admin: ${adminFrame.adminUrl()}  (open in a browser: the embedded admin for ${DEMO_SHOP}; inside Shopify it opens from the store's admin)`);
  if (link) console.log(`Tracking page (as a buyer sees it in the shop): ${onStorefront(link)}`);
  if (contact) console.log(`Contact page (the feedback request's "contact us first" link): ${onStorefront(contact)}`);
  console.log(`Tracking form (the buyer types order number + email${linked ? `, e.g. ${orderNumberOf(linked.name)} and ${linked.email}` : ""}): ${form}`);
  console.log(`Webhooks: POST ${baseUrl}/webhooks/<topic>, signed with SHOPIFY_API_SECRET=${process.env.SHOPIFY_API_SECRET === "parcelwise-demo-secret" ? "parcelwise-demo-secret" : "(yours)"}`);
  console.log(`\nThe demo keeps running (the worker sends scheduled messages when they fall due). Ctrl+C to stop.`);
}

async function shutdown() {
  for (const part of started.reverse()) await ("stop" in part ? part.stop() : part.close()).catch(() => {});
  process.exit(0);
}
process.once("SIGINT", () => void shutdown());
process.once("SIGTERM", () => void shutdown());

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch(async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await shutdown().catch(() => {});
    process.exit(1);
  });
}
