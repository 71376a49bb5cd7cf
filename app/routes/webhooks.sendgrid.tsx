// POST /webhooks/sendgrid: the Event Webhook of Parcelwise's own SendGrid account, signed with
// SENDGRID_WEBHOOK_PUBLIC_KEY; events of every shop.
import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { receiveSendGridEvents } from "~/mail/event-webhook.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const config = env();
  return receiveSendGridEvents(db, request, { kind: "app", publicKey: config.SENDGRID_WEBHOOK_PUBLIC_KEY ?? null, production: config.NODE_ENV === "production" }, { maxAgeSeconds: config.SENDGRID_EVENT_MAX_AGE_SECONDS }, new Date());
};
