// GET and POST /apps/parcelwise/contact on the shop's domain, proxied by Shopify to /proxy/contact: the
// "contact us first" form a feedback request links to (?t=<signed token>). Answered as Liquid so that
// Shopify wraps it in the shop's theme; the form posts back here, without JavaScript.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { clientAddress, parseTrustedProxies } from "~/tracking/client-address";
import { sharedRateLimitStore } from "~/tracking/rate-limit-store.server";
import { acceptedLanguages } from "~/tracking/storefront-page.server";
import { contactPageHtml } from "~/feedback/contact-page";
import { contactRateLimits, openContactForm, readContactForm, submitContactForm, type ContactAnswer, type ContactRateLimits } from "~/feedback/contact-form.server";

let trusted: ReturnType<typeof parseTrustedProxies> | undefined;
let limits: ContactRateLimits | undefined;

function deps() {
  const config = env();
  limits ??= contactRateLimits(sharedRateLimitStore(db, config.REDIS_URL));
  return { db, secret: config.SHOPIFY_API_SECRET, limits, now: new Date() };
}

function requestOf(request: Request, token: string) {
  const params = new URL(request.url).searchParams;
  return { shop: params.get("shop") ?? "", token, pathPrefix: params.get("path_prefix"), languages: acceptedLanguages(request.headers.get("accept-language")) };
}

function respond(liquid: (body: string, init?: ResponseInit) => Response, answer: ContactAnswer): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (answer.retryAfterSeconds) headers["Retry-After"] = String(answer.retryAfterSeconds);
  return liquid(contactPageHtml(answer.view), { status: answer.status, headers });
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  // Verifies Shopify's signature of the query (400 when missing, forged or stale).
  const { liquid } = await authenticate.public.appProxy(request);
  const token = new URL(request.url).searchParams.get("t") ?? "";
  return respond(liquid, await openContactForm(deps(), requestOf(request, token)));
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { liquid } = await authenticate.public.appProxy(request);
  const form = await readContactForm(request);
  if (!form) return new Response("Bad Request", { status: 400, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  trusted ??= parseTrustedProxies(env().TRUSTED_PROXIES);
  // The signature verified, so Shopify's proxy forwarded this: the address it reports is the buyer's.
  const ip = clientAddress({ peer: context.remoteAddress, forwardedFor: request.headers.get("x-forwarded-for"), trusted, throughShopify: true });
  return respond(liquid, await submitContactForm(deps(), { ...requestOf(request, form.token), message: form.message, ip }));
};
