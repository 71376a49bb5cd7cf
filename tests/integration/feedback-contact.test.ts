// "Contact us first": the signed link in a feedback request opens a form on the shop's domain (through
// the app proxy, signed as Shopify signs what it forwards), and the buyer's message reaches the merchant
// the way a reply would: mailed by the worker to the shop's reply address, Reply-To the buyer, retried
// through a SendGrid outage. Forged signatures and links store nothing; customers/redact deletes it all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { signedAppProxyQuery } from "#tests/standins/storefront-standin";
import { sendWebhook } from "#tests/standins/sign";
import { contactLinkToken, contactPageUrl } from "~/feedback/contact-link";
import { CONTACT_RATE_LIMITS } from "~/feedback/contact-form.server";
import { DAY_MS, HOUR_MS } from "~/time";

const MERCHANT = "owner@parcelwise-test.example";
let app: AppServer;
let ipCounter = 10;
const nextIp = () => `198.51.100.${ipCounter++}`;

/** A buyer, her order and the feedback request she got (as the worker left it: sent). */
async function feedbackRequestFor(n: number, opts: { locale?: string; email?: string } = {}) {
  const email = opts.email ?? `buyer${n}@example.test`;
  await app.db.order.create({
    data: { shop: TEST_SHOP, shopifyId: String(8000 + n), name: `#${4000 + n}`, email, buyerName: `Buyer ${n}`, destinationCountry: "DE", paidAt: new Date(Date.now() - 20 * DAY_MS), shopifyUpdatedAt: new Date() },
  });
  return app.db.notification.create({
    data: {
      shop: TEST_SHOP,
      kind: "feedback_request",
      planKey: `feedback_request:${8000 + n}`,
      orderShopifyId: String(8000 + n),
      locale: opts.locale ?? "en",
      recipient: email,
      scheduledFor: new Date(Date.now() - DAY_MS),
      status: "sent",
      sentAt: new Date(Date.now() - DAY_MS),
      subject: `How was your order #${4000 + n}?`,
    },
  });
}

/** The app's /proxy/contact with the query Shopify's app proxy adds, for a contact link. */
function proxied(link: string, shop = TEST_SHOP, secret = TEST_SECRET): string {
  const url = new URL(link);
  return `${app.baseUrl}/proxy/contact?${signedAppProxyQuery(url.searchParams, shop, secret)}`;
}

function post(link: string, fields: Record<string, string>, ip = nextIp()): Promise<Response> {
  const url = new URL(link);
  return fetch(proxied(`${url.origin}${url.pathname}`), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip },
    body: new URLSearchParams({ t: url.searchParams.get("t") ?? "", ...fields }).toString(),
  });
}

const linkFor = (notificationId: string, rating?: number, issuedAt = new Date()) =>
  contactPageUrl({ shopDomain: TEST_SHOP, notificationId, secret: TEST_SECRET, issuedAt, rating });

const mailsTo = (subject: string) => app.capture.mails.filter((m) => m.subject === subject);

beforeAll(async () => {
  app = await startAppServer();
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

describe("the contact link in a feedback request", () => {
  it("is in the feedback request the worker sends, and opens the form for that order", async () => {
    await app.db.order.create({
      data: { shop: TEST_SHOP, shopifyId: "8100", name: "#4100", email: "mira@example.test", destinationCountry: "FR", paidAt: new Date(Date.now() - 20 * DAY_MS), shopifyUpdatedAt: new Date() },
    });
    // A merchant's template that links to the form (the defaults are edited elsewhere).
    await app.db.template.create({
      data: { shop: TEST_SHOP, kind: "feedback_request", locale: "fr", subject: "Votre commande {{ order.name }}", html: '<a href="{{ feedback.contact_url }}">Contact</a>', text: "Contact: {{ feedback.contact_url }}" },
    });
    const request = await app.db.notification.create({
      data: { shop: TEST_SHOP, kind: "feedback_request", planKey: "feedback_request:8100", orderShopifyId: "8100", locale: "fr", recipient: "mira@example.test", scheduledFor: new Date(Date.now() - HOUR_MS) },
    });
    await eventually(() => app.db.notification.findFirst({ where: { id: request.id, status: "sent" } }), 30_000, "feedback request sent");
    const mail = app.capture.mails.find((m) => m.customArgs.notification_id === request.id)!;
    const link = /Contact: (\S+)/.exec(mail.text ?? "")![1]!;
    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).toBe(`https://${TEST_SHOP}/apps/parcelwise/contact`);
    // No personal data in the link.
    expect(link).not.toMatch(/mira|example\.test|4100|8100/);
    expect(mail.html).toContain(`href="${link.replace(/&/g, "&amp;")}"`);

    const page = await fetch(proxied(link), { headers: { "Accept-Language": "en" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("application/liquid");
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    // In the buyer's language (the notification's), with her order and one box for the message.
    expect(html).toContain('lang="fr"');
    expect(html).toContain("Contacter Parcelwise Test Store");
    expect(html).toContain("#4100");
    expect(html).toContain('<form method="post" action="/apps/parcelwise/contact"');
    expect(html).not.toMatch(/mira@|{{|{%|<script/);
  }, 60_000);

  it("mails the merchant the buyer's message as a reply would reach them, Reply-To the buyer", async () => {
    const request = await feedbackRequestFor(1);
    const message = "The glaze on the second bowl is chipped.\r\nCould you send a replacement?";
    const answer = await post(linkFor(request.id), { message });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("application/liquid");
    expect(await answer.text()).toContain("Message sent");
    const stored = await app.db.contactMessage.findFirstOrThrow({ where: { shop: TEST_SHOP, notificationId: request.id } });
    expect(stored).toMatchObject({ orderShopifyId: "8001", rating: null, message: "The glaze on the second bowl is chipped.\nCould you send a replacement?" });

    await eventually(() => app.db.contactMessage.findFirst({ where: { id: stored.id, status: "sent" } }), 30_000, "contact message sent");
    const [mail, ...more] = mailsTo("Re: How was your order #4001?");
    expect(more).toHaveLength(0);
    expect(mail).toMatchObject({ to: [MERCHANT], replyTo: "buyer1@example.test" });
    expect(mail!.text).toContain("The glaze on the second bowl is chipped.\nCould you send a replacement?");
    expect(mail!.text).toContain("order #4001");
    expect(mail!.text).toContain(`https://admin.shopify.com/store/parcelwise-test/orders/8001`);
    expect(mail!.text).not.toContain("Rating");
    expect(mail!.customArgs).toEqual({ contact_message_id: stored.id, shop: TEST_SHOP });

    // Posting it again (a reload of the confirmation) sends nothing more.
    expect((await post(linkFor(request.id), { message })).status).toBe(200);
    expect(await app.db.contactMessage.count({ where: { shop: TEST_SHOP, notificationId: request.id } })).toBe(1);
  }, 60_000);

  it("a low star opens the contact page, and its message reaches the merchant with the rating", async () => {
    const request = await feedbackRequestFor(2, { locale: "de-AT" });
    const link = linkFor(request.id, 1);
    const page = await (await fetch(proxied(link))).text();
    expect(page).toContain("Sie haben 1 von 5 Sternen gewählt.");
    expect(page).toContain("#4002");
    expect((await post(link, { message: "Leider kam die Vase zerbrochen an." })).status).toBe(200);
    const mail = await eventually(async () => mailsTo("Re: How was your order #4002?")[0], 30_000, "merchant mail");
    expect(mail).toMatchObject({ to: [MERCHANT], replyTo: "buyer2@example.test" });
    expect(mail.text).toContain("Rating they came with: 1 of 5 stars");
    expect(mail.text).toContain("Leider kam die Vase zerbrochen an.");
  }, 60_000);

  it("refuses a forged proxy signature, a forged or edited link, and an expired one, storing nothing", async () => {
    const request = await feedbackRequestFor(3);
    const link = linkFor(request.id);
    const before = await app.db.contactMessage.count();
    // Not signed by Shopify (another secret): the proxy signature check refuses it.
    expect((await fetch(proxied(link, TEST_SHOP, "not-the-secret"))).status).toBe(400);
    const forgedPost = await fetch(proxied(link, TEST_SHOP, "not-the-secret"), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ t: new URL(link).searchParams.get("t")!, message: "forged" }).toString(),
    });
    expect(forgedPost.status).toBe(400);

    // A token made with another secret, or for another shop, or with its rating edited.
    const tokens = [
      contactLinkToken("other-secret", { shop: TEST_SHOP, notificationId: request.id, issuedAt: new Date() }),
      contactLinkToken(TEST_SECRET, { shop: "other-shop.myshopify.com", notificationId: request.id, issuedAt: new Date() }),
      new URL(link).searchParams.get("t")!.replace(/\.0\./, ".5."),
      "",
    ];
    for (const t of tokens) {
      const forged = `https://${TEST_SHOP}/apps/parcelwise/contact?t=${encodeURIComponent(t)}`;
      const page = await fetch(proxied(forged));
      expect(page.status).toBe(404);
      expect(await page.text()).toContain("This link does not work");
      const posted = await post(forged, { message: "Hello?" });
      expect(posted.status).toBe(404);
    }

    const expired = linkFor(request.id, undefined, new Date(Date.now() - 181 * DAY_MS));
    const page = await fetch(proxied(expired));
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("This link has expired");
    expect((await post(expired, { message: "Hello?" })).status).toBe(410);
    expect(await app.db.contactMessage.count()).toBe(before);
  }, 60_000);

  it("says what is wrong with an empty or too long message, and limits posts per address", async () => {
    const request = await feedbackRequestFor(4);
    const link = linkFor(request.id);
    const empty = await post(link, { message: "  \r\n " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Please write your message.");
    const long = "{{ shop.name }}" + "x".repeat(2000);
    const tooLong = await post(link, { message: long });
    expect(tooLong.status).toBe(400);
    const html = await tooLong.text();
    expect(html).toContain("longer than 2000 characters");
    // What she typed is there to shorten, as text that Shopify will not read as Liquid.
    expect(html).toContain("&#123;&#123; shop.name &#125;&#125;xxx");
    expect(html).not.toContain("{{");
    // Exactly 2000 characters, line breaks counted once, is accepted.
    expect((await post(link, { message: "é\r\n".repeat(1000).trim() + "é" })).status).toBe(200);

    const ip = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i <= CONTACT_RATE_LIMITS.perIp.limit; i++) statuses.push((await post(link, { message: "" }, ip)).status);
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
    const refused = await post(link, { message: "one more" }, ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("Too many messages");
    expect(await app.db.contactMessage.count({ where: { shop: TEST_SHOP, notificationId: request.id } })).toBe(1);
  }, 60_000);

  it("delivers a message once through a SendGrid outage", async () => {
    const request = await feedbackRequestFor(5);
    // An outage, not one failed request: whatever else the worker sends meanwhile cannot use it up.
    app.capture.failNext(500, 1000);
    expect((await post(linkFor(request.id), { message: "Where is my parcel?" })).status).toBe(200);
    const waiting = await eventually(
      () => app.db.contactMessage.findFirst({ where: { shop: TEST_SHOP, notificationId: request.id, status: "queued", lastError: { not: null } } }),
      30_000,
      "the refused send waits for its retry",
    );
    expect(waiting.attempts).toBe(1);
    expect(waiting.availableAt.getTime()).toBeGreaterThan(Date.now());
    expect(mailsTo("Re: How was your order #4005?")).toHaveLength(0);
    // SendGrid is back; the backoff is skipped rather than waited out.
    app.capture.recover();
    await app.db.contactMessage.update({ where: { id: waiting.id }, data: { availableAt: new Date() } });
    await eventually(() => app.db.contactMessage.findFirst({ where: { id: waiting.id, status: "sent" } }), 30_000, "sent after the outage");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo("Re: How was your order #4005?")).toHaveLength(1);
    expect(await app.db.contactMessage.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ attempts: 2, lastError: null });
  }, 60_000);

  it("customers/redact deletes the buyer's messages and closes her link", async () => {
    const request = await feedbackRequestFor(6, { email: "redact.me@example.test" });
    const other = await feedbackRequestFor(7);
    const link = linkFor(request.id);
    expect((await post(link, { message: "Please call me back." })).status).toBe(200);
    expect((await post(linkFor(other.id), { message: "All good, thanks." })).status).toBe(200);
    const payload = { shop_id: 1, shop_domain: TEST_SHOP, customer: { id: 77, email: "redact.me@example.test", phone: null }, orders_to_redact: [8006] };
    expect((await sendWebhook(app.baseUrl, TEST_SECRET, { topic: "customers/redact", shop: TEST_SHOP, payload })).status).toBe(200);
    await eventually(async () => (await app.db.contactMessage.count({ where: { shop: TEST_SHOP, orderShopifyId: "8006" } })) === 0, 30_000, "her message deleted");
    expect(await app.db.contactMessage.count({ where: { shop: TEST_SHOP, orderShopifyId: "8007" } })).toBe(1);
    // Her link now opens nothing and takes nothing.
    expect((await fetch(proxied(link))).status).toBe(404);
    expect((await post(link, { message: "again" })).status).toBe(404);
    expect(await app.db.contactMessage.count({ where: { shop: TEST_SHOP, orderShopifyId: "8006" } })).toBe(0);
  }, 60_000);
});
