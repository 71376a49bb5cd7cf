// Reads and writes one shop's settings. Every query is keyed by the shop's domain from the session; the
// SendGrid key goes in encrypted and never comes out of here (only whether there is one).
import type { Db } from "~/db.server";
import { CARRIERS, parseTransitOverrides, type Region } from "~/carriers/registry";
import { replanShop } from "~/notifications/replan.server";
import { loadLearnedCommitment } from "~/lanes/commitment.server";
import { shopEventWebhookUrl } from "~/mail/event-webhook.server";
import { encryptSecret, type SecretKeys } from "~/shops/secrets.server";
import { REGIONS } from "./settings";
import { reviewDestinationView } from "./settings-review";
import { withCarrierOverrides, type SenderSettings } from "./settings-form";
import type { TimingSettings } from "./settings";

export async function loadSettings(db: Db, shop: string, options: { appKeyConfigured: boolean; appSender: string; appUrl: string; now: Date }) {
  const row = await db.shop.findUnique({ where: { domain: shop } });
  if (!row) return null;
  const overrides = parseTransitOverrides(row.carrierTransitOverrides);
  const timing: TimingSettings = {
    handlingEnabled: row.handlingEnabled,
    handlingDelayMinutes: row.handlingDelayMinutes,
    handlingHours: row.handlingHours,
    handlingHoursPinned: row.handlingHoursPinned,
    onlineTrackingDays: row.onlineTrackingDays,
    onlineTrackingDaysPinned: row.onlineTrackingDaysPinned,
    shippingEnabled: row.shippingEnabled,
    feedbackEnabled: row.feedbackEnabled,
    feedbackDelayDays: row.feedbackDelayDays,
    feedbackFallbackDays: row.feedbackFallbackDays,
    delayEnabled: row.delayEnabled,
    delayGraceDays: row.delayGraceDays,
    silenceDays: row.silenceDays,
    estimateCoveragePercent: Math.round(row.estimateCoverage * 100),
    atRiskRule: row.atRiskRule === "fixed" ? "fixed" : "learned",
    feedbackAfterDelay: row.feedbackAfterDelay === "skip" ? "skip" : "reword",
    feedbackBuyerGapDays: row.feedbackBuyerGapDays,
  };
  return {
    shopName: row.name || shop,
    contactEmail: row.contactEmail,
    timing,
    // What the shop's orders taught, shown beside the handling commitment's settings.
    learned: await loadLearnedCommitment(db, shop, options.now),
    timingReviewedAt: row.timingReviewedAt?.toISOString() ?? null,
    sender: { senderName: row.senderName, senderEmail: row.senderEmail, replyToEmail: row.replyToEmail, reviewUrl: row.reviewUrl },
    review: reviewDestinationView(row),
    senderVerifiedAt: row.senderVerifiedAt?.toISOString() ?? null,
    sendingBlockedReason: row.sendingBlockedReason,
    appSender: options.appSender,
    // Whether there is a key, never the key (nor its ciphertext).
    sendgrid: { ownKey: Boolean(row.sendgridApiKeyEncrypted), appKeyConfigured: options.appKeyConfigured },
    // The event webhook's verification key is public: SendGrid shows it to anyone with the account.
    eventWebhook: { url: shopEventWebhookUrl(options.appUrl, shop), publicKey: row.sendgridWebhookPublicKey },
    carriers: CARRIERS.map((carrier) => ({
      code: carrier.code,
      name: carrier.name,
      typical: Object.fromEntries(REGIONS.map((region) => [region, carrier.transitDays[region]])) as Record<Region, [number, number]>,
      own: overrides[carrier.code] ?? {},
    })),
  };
}

export type LoadedSettings = NonNullable<Awaited<ReturnType<typeof loadSettings>>>;

/**
 * Saves the timing, stores the open shipments' at-risk times (and, when the coverage changed, their windows
 * not yet mailed) under it, and re-plans the shop's waiting messages; returns how many orders were re-planned.
 */
export async function saveTiming(db: Db, shop: string, timing: TimingSettings, now: Date): Promise<number> {
  const { estimateCoveragePercent, ...columns } = timing;
  const estimateCoverage = estimateCoveragePercent / 100;
  const before = await db.shop.findUniqueOrThrow({ where: { domain: shop }, select: { estimateCoverage: true } });
  await db.shop.update({ where: { domain: shop }, data: { ...columns, estimateCoverage, timingReviewedAt: now } });
  return replanShop(db, shop, now, { restateWindows: Math.abs(before.estimateCoverage - estimateCoverage) > 1e-9 });
}

export async function saveSender(db: Db, shop: string, sender: SenderSettings): Promise<void> {
  const row = await db.shop.findUniqueOrThrow({ where: { domain: shop }, select: { senderEmail: true } });
  // A new address has not been accepted by SendGrid yet; a refusal of the old one no longer applies.
  const changed = row.senderEmail !== sender.senderEmail;
  await db.shop.update({
    where: { domain: shop },
    data: { ...sender, ...(changed ? { senderVerifiedAt: null, sendingBlockedReason: null } : {}) },
  });
}

export async function saveApiKey(db: Db, shop: string, apiKey: string, keys: SecretKeys): Promise<void> {
  await db.shop.update({
    where: { domain: shop },
    data: { sendgridApiKeyEncrypted: encryptSecret(apiKey, keys), senderVerifiedAt: null, sendingBlockedReason: null },
  });
}

export async function saveWebhookKey(db: Db, shop: string, publicKey: string | null): Promise<void> {
  await db.shop.update({ where: { domain: shop }, data: { sendgridWebhookPublicKey: publicKey } });
}

export async function removeApiKey(db: Db, shop: string): Promise<void> {
  await db.shop.update({ where: { domain: shop }, data: { sendgridApiKeyEncrypted: null, senderVerifiedAt: null, sendingBlockedReason: null } });
}

/** Replaces one carrier's transit days; they apply to shipments estimated from now on. */
export async function saveCarrierTransit(db: Db, shop: string, carrierCode: string, own: Partial<Record<Region, [number, number]>>): Promise<void> {
  const row = await db.shop.findUniqueOrThrow({ where: { domain: shop }, select: { carrierTransitOverrides: true } });
  const next = withCarrierOverrides(parseTransitOverrides(row.carrierTransitOverrides), carrierCode, own);
  await db.shop.update({ where: { domain: shop }, data: { carrierTransitOverrides: JSON.stringify(next) } });
}
