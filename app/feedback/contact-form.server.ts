// The contact form behind the app proxy: a signed link from a feedback request opens a form for its
// order, and a posted message is stored for the worker to deliver to the merchant. The route has
// verified Shopify's proxy signature; the link's own HMAC proves which notification (and so which order
// and buyer) it is about. A forged or expired link stores nothing; each post is counted per client
// address and per link, so neither a script nor a stuck reload floods the merchant's inbox.
import type { Notification, Order, Shop } from "@prisma/client";
import type { Db } from "~/db.server";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "~/time";
import { rateLimiter, type RateLimitDecision, type RateLimitStore } from "~/tracking/rate-limit";
import { REDACTED } from "~/compliance/compliance.server";
import { checkContactLinkToken, type ContactLink } from "./contact-link";
import { CONTACT_MESSAGE_MAX_CHARS, type ContactFormError, type ContactPageView } from "./contact-page";
import { contactLocale } from "./contact-strings";

export const CONTACT_RATE_LIMITS = {
  perIp: { limit: 10, windowMs: 15 * MINUTE_MS },
  perLink: { limit: 5, windowMs: DAY_MS },
};
/** A post repeating the last message of its link within this time (a reload) is the same message. */
const SAME_MESSAGE_MS = HOUR_MS;
/** Enough for the longest message percent-encoded, and the token. */
const MAX_BODY_BYTES = 32 * 1024;

export interface ContactRateLimits {
  fromAddress(input: { shop: string; ip: string }): Promise<RateLimitDecision>;
  atLink(input: { shop: string; notificationId: string }): Promise<RateLimitDecision>;
}

export function contactRateLimits(store: RateLimitStore, rules = CONTACT_RATE_LIMITS): ContactRateLimits {
  const byIp = rateLimiter(rules.perIp, "contact-ip", store);
  const byLink = rateLimiter(rules.perLink, "contact-link", store);
  return {
    fromAddress: ({ shop, ip }) => byIp.hit(`${shop}\n${ip}`),
    atLink: ({ shop, notificationId }) => byLink.hit(`${shop}\n${notificationId}`),
  };
}

export interface ContactDeps {
  db: Db;
  /** The app's SHOPIFY_API_SECRET, which signs the links. */
  secret: string;
  limits: ContactRateLimits;
  now: Date;
}

export interface ContactRequest {
  /** The shop Shopify's signed proxy query names. */
  shop: string;
  token: string;
  /** Shopify's `path_prefix` (where the buyer reached the proxy), for the form's action. */
  pathPrefix: string | null;
  /** The buyer's languages (Accept-Language), for a page about a link that names no notification. */
  languages: string[];
}

export interface ContactAnswer {
  status: 200 | 400 | 404 | 410 | 429;
  view: ContactPageView;
  retryAfterSeconds?: number;
}

type Opened =
  | { ok: true; shop: Shop; notification: Notification; order: Order; link: ContactLink; locale: string }
  | { ok: false; answer: ContactAnswer };

const shopName = (shop: Pick<Shop, "name" | "domain"> | null, domain: string) => shop?.name || shop?.domain || domain;

async function open(deps: ContactDeps, request: ContactRequest): Promise<Opened> {
  const { db } = deps;
  const shop = await db.shop.findUnique({ where: { domain: request.shop } });
  const fallback = contactLocale([...request.languages, shop?.primaryLocale]);
  const refuse = (kind: "invalid" | "expired", locale = fallback): Opened => ({
    ok: false,
    answer: { status: kind === "expired" ? 410 : 404, view: { kind, locale, shopName: shopName(shop, request.shop) } },
  });
  if (!shop || shop.uninstalledAt) return refuse("invalid");
  const check = checkContactLinkToken({ secret: deps.secret, shop: shop.domain, token: request.token, now: deps.now });
  if (!check.ok && check.reason === "invalid") return refuse("invalid");
  // An expired link is still this app's: its page speaks the buyer's language.
  const id = request.token.split(".")[0]!;
  const notification = await db.notification.findFirst({ where: { shop: shop.domain, id } });
  const locale = notification ? contactLocale([notification.locale, ...request.languages, shop.primaryLocale]) : fallback;
  if (!check.ok) return refuse("expired", locale);
  const order = notification ? await db.order.findUnique({ where: { shop_shopifyId: { shop: shop.domain, shopifyId: notification.orderShopifyId } } }) : null;
  // After customers/redact there is nobody to answer: the link opens nothing.
  if (!notification || !order || order.redactedAt || notification.recipient === REDACTED) return refuse("invalid", locale);
  return { ok: true, shop, notification, order, link: check.link, locale };
}

function formView(opened: Extract<Opened, { ok: true }>, request: ContactRequest, extra: { error?: ContactFormError; message?: string } = {}): ContactPageView {
  return {
    kind: "form",
    locale: opened.locale,
    shopName: shopName(opened.shop, opened.shop.domain),
    orderName: opened.order.name,
    rating: opened.link.rating,
    token: request.token,
    pathPrefix: request.pathPrefix ?? "",
    ...extra,
  };
}

/** GET: the form for the link's order, or the page saying why it cannot open. */
export async function openContactForm(deps: ContactDeps, request: ContactRequest): Promise<ContactAnswer> {
  const opened = await open(deps, request);
  return opened.ok ? { status: 200, view: formView(opened, request) } : opened.answer;
}

/** The message as stored: line breaks as the buyer typed them (browsers post CRLF), no trailing space. */
export function normalizeMessage(message: string): string {
  return message.replace(/\r\n?/g, "\n").trim();
}

const retryAfter = (decision: RateLimitDecision) => Math.max(1, Math.ceil(decision.retryAfterMs / 1000));

/** POST: the message stored for delivery and the confirmation, or the form again with what went wrong. */
export async function submitContactForm(deps: ContactDeps, request: ContactRequest & { message: string; ip: string }): Promise<ContactAnswer> {
  const opened = await open(deps, request);
  if (!opened.ok) return opened.answer;
  const message = normalizeMessage(request.message);
  const again = (status: 400 | 429, error: ContactFormError, decision?: RateLimitDecision): ContactAnswer => ({
    status,
    view: formView(opened, request, { error, message: request.message }),
    ...(decision ? { retryAfterSeconds: retryAfter(decision) } : {}),
  });
  const fromAddress = await deps.limits.fromAddress({ shop: opened.shop.domain, ip: request.ip });
  if (!fromAddress.allowed) return again(429, "rate_limited", fromAddress);
  if (!message) return again(400, "empty");
  if ([...message].length > CONTACT_MESSAGE_MAX_CHARS) return again(400, "too_long");

  const sent: ContactAnswer = { status: 200, view: { kind: "sent", locale: opened.locale, shopName: shopName(opened.shop, opened.shop.domain), orderName: opened.order.name } };
  const where = { shop: opened.shop.domain, notificationId: opened.notification.id };
  const last = await deps.db.contactMessage.findFirst({ where, orderBy: { createdAt: "desc" }, select: { message: true, createdAt: true } });
  // A reload of the confirmation posts the same message again: it is already on its way.
  if (last && last.message === message && deps.now.getTime() - last.createdAt.getTime() < SAME_MESSAGE_MS) return sent;
  const atLink = await deps.limits.atLink(where);
  if (!atLink.allowed) return again(429, "rate_limited", atLink);
  await deps.db.contactMessage.create({
    data: { ...where, orderShopifyId: opened.order.shopifyId, rating: opened.link.rating, message, availableAt: deps.now, createdAt: deps.now },
  });
  return sent;
}

/** The form's fields (t, message) from a url-encoded body; null when it is too large or not a form. */
export async function readContactForm(request: Request): Promise<{ token: string; message: string } | null> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return null;
  if (!(request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded")) return null;
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return null;
  const form = new URLSearchParams(text);
  return { token: form.get("t") ?? "", message: form.get("message") ?? "" };
}
