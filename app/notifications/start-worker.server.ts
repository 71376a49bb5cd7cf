// Wires the worker to the environment: the one database, SendGrid at SENDGRID_BASE_URL.
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";
import { createSendGridMailer } from "~/mail/sendgrid.server";
import { pruneReceipts } from "~/webhooks/ingest.server";
import { onInbox } from "~/webhooks/inbox-signal.server";
import { fetchOrder } from "~/orders/fetch-order.server";
import { unauthenticated } from "~/shopify.server";
import { startWorkerLoop, type RunningWorker } from "./worker.server";

const HOUR = 60 * 60 * 1000;

export function startWorker(): RunningWorker {
  const config = env();
  if (!config.SENDGRID_API_KEY) log.warn("SENDGRID_API_KEY is not set: notifications wait until it is");
  const mailer = config.SENDGRID_API_KEY
    ? createSendGridMailer({ apiKey: config.SENDGRID_API_KEY, baseUrl: config.SENDGRID_BASE_URL })
    : null;
  const housekeeping = setInterval(() => {
    pruneReceipts(db, new Date()).catch((error: unknown) => log.warn("pruning webhook receipts failed", { error }));
  }, HOUR);
  housekeeping.unref();
  const worker = startWorkerLoop({
    db,
    mailer,
    from: { email: config.MAIL_FROM_EMAIL, name: config.MAIL_FROM_NAME },
    pollMs: config.WORKER_POLL_MS,
    subscribe: onInbox,
    inbox: {
      fetchOrderFor: (shop) => async (orderShopifyId) => {
        const { admin } = await unauthenticated.admin(shop);
        return fetchOrder(admin.graphql, orderShopifyId);
      },
    },
  });
  return {
    async stop() {
      clearInterval(housekeeping);
      await worker.stop();
    },
  };
}
