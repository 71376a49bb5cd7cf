// Starts the process's background jobs, wired to the environment: the webhook inbox and the mail queue
// (the one database, SendGrid at SENDGRID_BASE_URL), contact-form messages to merchants, the history import,
// reconciliation of missed webhooks, the feedback request's product cache, each in its own loop, and hourly receipt pruning.
import { HOUR_MS } from "~/time";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";
import { createSendGridMailer } from "~/mail/sendgrid.server";
import { pruneReceipts } from "~/webhooks/retention.server";
import { storeMissingAtRisk } from "~/shipments/record.server";
import { onInbox } from "~/webhooks/inbox-signal.server";
import { fetchOrder } from "~/orders/fetch-order.server";
import { unauthenticated } from "~/shopify.server";
import { decryptSecret, secretKeys } from "~/shops/secrets.server";
import { reencryptSecrets } from "~/shops/rotate-secrets.server";
import { listUnsubscribeHeaders, unsubscribeUrl } from "~/mail/unsubscribe";
import { trackingPageUrl } from "~/tracking/link";
import { feedbackLinkUrl } from "~/feedback/link-token";
import type { Mailer } from "~/mail/sendgrid.server";
import type { MailLinks } from "~/notifications/compose";
import { historyJob } from "./history-job.server";
import { inboxJob } from "./inbox-job.server";
import { reconcileJob } from "./reconcile-job.server";
import { productsJob } from "./products-job.server";
import { mailJob } from "./mail-job.server";
import { contactJob } from "./contact-job.server";
import { contactPageUrl } from "~/feedback/contact-link";
import { startJob } from "./runner.server";
import { anyOf, createSignal } from "./signal";


/** The slowest the contact-form job polls, whatever WORKER_POLL_MS is. */
const CONTACT_POLL_MS = 1000;

export interface RunningWorker {
  stop(): Promise<void>;
}

export function startWorker(): RunningWorker {
  const config = env();
  if (!config.SENDGRID_API_KEY) log.warn("SENDGRID_API_KEY is not set: notifications wait until it is");
  const mailer = config.SENDGRID_API_KEY
    ? createSendGridMailer({ apiKey: config.SENDGRID_API_KEY, baseUrl: config.SENDGRID_BASE_URL })
    : null;
  const keys = secretKeys(config);
  // Values sealed with the legacy SHOPIFY_API_SECRET-derived key or a previous ENCRYPTION_KEY are re-sealed
  // with the current key, so that they stay readable after the next rotation.
  reencryptSecrets(db, keys)
    .then((counts) => counts.reencrypted + counts.unreadable > 0 && log.info("shop secrets re-encrypted with ENCRYPTION_KEY", { ...counts }))
    .catch((error: unknown) => log.warn("re-encrypting shop secrets failed", { error }));
  // A shop's own SendGrid key, decrypted once per distinct sealed value.
  const shopMailers = new Map<string, Mailer | null>();
  const mailerForShop = (shop: { domain: string; sendgridApiKeyEncrypted: string | null }): Mailer | null => {
    const sealed = shop.sendgridApiKeyEncrypted;
    if (!sealed) return null;
    if (!shopMailers.has(sealed)) {
      const apiKey = decryptSecret(sealed, keys);
      if (!apiKey) log.warn("a shop's SendGrid key cannot be decrypted; using the app's key", { shop: shop.domain });
      if (shopMailers.size > 1000) shopMailers.clear();
      shopMailers.set(sealed, apiKey ? createSendGridMailer({ apiKey, baseUrl: config.SENDGRID_BASE_URL }) : null);
    }
    return shopMailers.get(sealed) ?? null;
  };
  const links: MailLinks = {
    unsubscribe: (notification) => unsubscribeUrl(config.SHOPIFY_APP_URL, config.SHOPIFY_API_SECRET, notification),
    trackingPage: (shop, order, locale, now) =>
      trackingPageUrl({ shopDomain: shop.domain, orderName: order.name, orderShopifyId: order.shopifyId, secret: config.SHOPIFY_API_SECRET, issuedAt: now, locale }),
    unsubscribeHeaders: listUnsubscribeHeaders,
    contactPage: (notification, now) => contactPageUrl({ shopDomain: notification.shop, notificationId: notification.id, secret: config.SHOPIFY_API_SECRET, issuedAt: now }),
    feedbackLink: (notification, rating) => feedbackLinkUrl(config.SHOPIFY_APP_URL, config.SHOPIFY_API_SECRET, notification, rating),
  };
  const housekeeping = setInterval(() => {
    pruneReceipts(db, new Date()).catch((error: unknown) => log.warn("pruning webhook receipts failed", { error }));
  }, HOUR_MS);
  housekeeping.unref();
  storeMissingAtRisk(db, new Date()).catch((error: unknown) => log.warn("storing at-risk times of older shipments failed", { error }));
  // The feedback request's products: the shop's offline Admin API client.
  const shopGraphql = async (shop: string) => (await unauthenticated.admin(shop)).admin.graphql;
  // Recorded deliveries may have planned mail that is due now; "send now" in the admin rings the inbox bell.
  const planned = createSignal();
  const inbox = startJob(
    inboxJob(
      {
        db,
        fetchOrderFor: (shop) => async (orderShopifyId) => {
          const { admin } = await unauthenticated.admin(shop);
          return fetchOrder(admin.graphql, orderShopifyId);
        },
      },
      planned.notify,
    ),
    { pollMs: config.WORKER_POLL_MS, subscribe: onInbox },
  );
  const mail = startJob(
    mailJob({
      db,
      mailer,
      mailerForShop,
      links,
      batchSize: config.WORKER_BATCH_SIZE,
      concurrency: config.WORKER_CONCURRENCY,
      leaseMs: config.WORKER_LEASE_MS,
      from: { email: config.MAIL_FROM_EMAIL, name: config.MAIL_FROM_NAME },
      productReadThrough: { graphqlFor: shopGraphql },
    }),
    // Neither job waits for the other: a mail whose order still has a delivery in the inbox waits on its own (the claim in queue.server.ts).
    { pollMs: config.WORKER_POLL_MS, subscribe: anyOf(onInbox, planned.subscribe) },
  );
  // A buyer's message to the merchant can wait a second: no faster poll than that, however fast the others.
  const contact = startJob(
    contactJob({ db, mailer, mailerForShop, leaseMs: config.WORKER_LEASE_MS, from: { email: config.MAIL_FROM_EMAIL, name: config.MAIL_FROM_NAME } }),
    { pollMs: Math.max(config.WORKER_POLL_MS, CONTACT_POLL_MS) },
  );
  const history = startJob(historyJob({ db, graphqlFor: async (shop) => (await unauthenticated.admin(shop)).admin.graphql }), {
    pollMs: config.HISTORY_POLL_MS,
  });
  const reconcile = startJob(
    reconcileJob({ db, graphqlFor: async (shop) => (await unauthenticated.admin(shop)).admin.graphql, onRecorded: planned.notify }, config.RECONCILE_INTERVAL_MS),
    { pollMs: config.RECONCILE_INTERVAL_MS },
  );
  const products = startJob(productsJob({ db, graphqlFor: shopGraphql }), { pollMs: config.PRODUCTS_POLL_MS });
  return {
    async stop() {
      clearInterval(housekeeping);
      await Promise.all([inbox.stop(), mail.stop(), contact.stop(), history.stop(), reconcile.stop(), products.stop()]);
    },
  };
}
