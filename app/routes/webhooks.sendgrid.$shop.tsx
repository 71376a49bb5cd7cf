// POST /webhooks/sendgrid/<shop domain>: the Event Webhook of a merchant's own SendGrid account, signed
// with the key the merchant saved in Timing & settings; only events naming that shop are applied.
import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { receiveSendGridEvents, shopEventWebhookKey } from "~/mail/event-webhook.server";

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const shop = params.shop ?? "";
  const publicKey = request.method === "POST" ? await shopEventWebhookKey(db, shop) : null;
  return receiveSendGridEvents(db, request, { kind: "shop", shop, publicKey }, { maxAgeSeconds: env().SENDGRID_EVENT_MAX_AGE_SECONDS }, new Date());
};
