// A test message to the merchant's own address, sent the way the worker sends to buyers (the shop's own
// SendGrid key if it has one, else the app's; the shop's sender). SendGrid accepting it verifies the sender.
// In sandbox mode SendGrid only validates the message and delivers nothing, so it verifies nothing either.
import type { Db } from "~/db.server";
import { env } from "~/env.server";
import { createSendGridMailer } from "~/mail/sendgrid.server";
import { decryptSecret, secretKeys, type SecretKeys } from "~/shops/secrets.server";
import type { RenderedMessage } from "~/templates/render";

export interface MailConfig {
  keys: SecretKeys;
  appApiKey: string | undefined;
  baseUrl: string;
  fromEmail: string;
  fromName: string;
}

export function mailConfig(): MailConfig {
  const config = env();
  return {
    keys: secretKeys(config),
    appApiKey: config.SENDGRID_API_KEY,
    baseUrl: config.SENDGRID_BASE_URL,
    fromEmail: config.MAIL_FROM_EMAIL,
    fromName: config.MAIL_FROM_NAME,
  };
}

export type TestSendResult = { ok: true; to: string; sandbox: boolean } | { ok: false; error: string };

export interface TestSendOptions {
  /** SendGrid's sandbox mode: the request is checked as a real send would be, and nothing is delivered. */
  sandbox?: boolean;
}

export async function sendTestMessage(
  db: Db,
  shop: string,
  message: RenderedMessage & { kind: string },
  config: MailConfig,
  now: Date,
  options: TestSendOptions = {},
): Promise<TestSendResult> {
  const sandbox = options.sandbox ?? false;
  const row = await db.shop.findUnique({ where: { domain: shop } });
  if (!row) return { ok: false, error: "This shop is not installed" };
  const to = row.contactEmail;
  if (!to) return { ok: false, error: "Your store has no contact email; add one in Shopify's store settings" };
  const apiKey = row.sendgridApiKeyEncrypted ? decryptSecret(row.sendgridApiKeyEncrypted, config.keys) : config.appApiKey;
  if (!apiKey) {
    return { ok: false, error: row.sendgridApiKeyEncrypted ? "Your SendGrid API key can no longer be read; enter it again" : "No SendGrid API key: add yours under Timing & settings" };
  }
  const from = { email: row.senderEmail ?? config.fromEmail, name: row.senderName ?? (row.name || config.fromName) };
  const result = await createSendGridMailer({ apiKey, baseUrl: config.baseUrl }).send({
    to,
    from,
    replyTo: row.replyToEmail ?? row.contactEmail,
    subject: `[Test] ${message.subject}`,
    html: message.html,
    text: message.text,
    categories: ["parcelwise", "test", message.kind],
    customArgs: { shop, test: "true" },
    sandbox,
  });
  if (result.ok && sandbox) return { ok: true, to, sandbox };
  if (result.ok) {
    await db.shop.update({
      where: { domain: shop },
      data: { senderVerifiedAt: now, ...(row.sendingBlockedReason && /sender/i.test(row.sendingBlockedReason) ? { sendingBlockedReason: null } : {}) },
    });
    return { ok: true, to, sandbox };
  }
  if (result.status === 403) {
    await db.shop.update({ where: { domain: shop }, data: { senderVerifiedAt: null } });
    return { ok: false, error: `SendGrid refused the sender ${from.email}: verify it in SendGrid under Settings → Sender Authentication, then try again` };
  }
  if (result.status === 401) return { ok: false, error: "SendGrid did not accept the API key; check it under Timing & settings" };
  return { ok: false, error: `${sandbox ? "SendGrid did not accept the message" : "The test message was not sent"}: ${result.error}` };
}
