// The real server over HTTP: a merchant's own SendGrid account posts its signed events to
// /webhooks/sendgrid/<shop>. Only that shop's key verifies there, and only events naming that shop are
// applied, so one merchant's key never touches another shop's notifications.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAppServer, TEST_SHOP, type AppServer } from "../support/app-server";
import { createEventSigner, postSendGridEvents } from "#tests/standins/event-signer";

const OTHER_SHOP = "parcelwise-other.myshopify.com";
const KEYLESS_SHOP = "parcelwise-keyless.myshopify.com";
const DAY = 86_400_000;
const appSigner = createEventSigner();
const shopSigner = createEventSigner();
const otherSigner = createEventSigner();
let app: AppServer;
const urlOf = (shop: string) => `${app.baseUrl}/webhooks/sendgrid/${shop}`;

beforeAll(async () => {
  app = await startAppServer({ worker: false, seedShops: [TEST_SHOP, OTHER_SHOP, KEYLESS_SHOP], env: { SENDGRID_WEBHOOK_PUBLIC_KEY: appSigner.publicKey } });
  await app.db.shop.update({ where: { domain: TEST_SHOP }, data: { sendgridWebhookPublicKey: shopSigner.publicKey } });
  await app.db.shop.update({ where: { domain: OTHER_SHOP }, data: { sendgridWebhookPublicKey: otherSigner.publicKey } });
});
afterAll(async () => {
  await app?.stop();
});
beforeEach(async () => {
  await app.db.notification.deleteMany();
  await app.db.suppression.deleteMany();
});

let seq = 0;
async function seed(shop: string) {
  seq++;
  return app.db.notification.create({
    data: {
      shop,
      kind: "shipping_confirmation",
      planKey: `shop-events:${seq}`,
      orderShopifyId: String(2000 + seq),
      locale: "en",
      recipient: `buyer${seq}@example.test`,
      scheduledFor: new Date(Date.now() - DAY),
      status: "sent",
      providerMessageId: `shopmsg${seq}`,
      sentAt: new Date(Date.now() - DAY),
    },
  });
}
type Row = Awaited<ReturnType<typeof seed>>;

const bounce = (n: Row, extra: Record<string, unknown> = {}) => ({
  email: n.recipient,
  timestamp: Math.floor(Date.now() / 1000) - 60,
  event: "bounce",
  type: "bounce",
  reason: "550 5.1.1 The email account does not exist",
  sg_event_id: `evt-bounce-${n.id}`,
  sg_message_id: `${n.providerMessageId}.filterdrecv-5bd8f-1-abc.0`,
  notification_id: n.id,
  shop: n.shop,
  ...extra,
});
const state = async () => ({
  notifications: await app.db.notification.findMany({ orderBy: { id: "asc" }, select: { id: true, shop: true, status: true, providerEvent: true, updatedAt: true } }),
  suppressions: await app.db.suppression.findMany({ orderBy: { email: "asc" }, select: { shop: true, email: true, reason: true } }),
});

describe("POST /webhooks/sendgrid/<shop>", () => {
  it("applies events signed with the shop's own key", async () => {
    const n = await seed(TEST_SHOP);
    const response = await postSendGridEvents(urlOf(TEST_SHOP), shopSigner, [bounce(n)]);
    expect(response.status).toBe(200);
    expect(await app.db.notification.findUniqueOrThrow({ where: { id: n.id } })).toMatchObject({ status: "bounced", providerEvent: "bounce" });
    expect(await app.db.suppression.findMany({ select: { shop: true, email: true, reason: true } })).toEqual([{ shop: TEST_SHOP, email: n.recipient, reason: "bounce" }]);
  });

  it("refuses events signed with the app's key or another shop's key, and changes nothing", async () => {
    const n = await seed(TEST_SHOP);
    const before = await state();
    expect((await postSendGridEvents(urlOf(TEST_SHOP), appSigner, [bounce(n)])).status).toBe(403);
    expect((await postSendGridEvents(urlOf(TEST_SHOP), otherSigner, [bounce(n)])).status).toBe(403);
    // The shop's key does not open the app's own address either.
    expect((await postSendGridEvents(`${app.baseUrl}/webhooks/sendgrid`, shopSigner, [bounce(n)])).status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it("ignores events naming another shop, or none, even when the message id matches that shop's mail", async () => {
    const own = await seed(TEST_SHOP);
    const victim = await seed(OTHER_SHOP);
    const response = await postSendGridEvents(urlOf(TEST_SHOP), shopSigner, [
      bounce(victim),
      bounce(victim, { shop: TEST_SHOP.toUpperCase() }),
      { ...bounce(victim), shop: undefined, notification_id: undefined },
      bounce(own),
    ]);
    expect(response.status).toBe(200);
    const after = await state();
    expect(after.notifications.map((n) => [n.shop, n.status])).toEqual([
      [TEST_SHOP, "bounced"],
      [OTHER_SHOP, "sent"],
    ]);
    expect(after.suppressions).toEqual([{ shop: TEST_SHOP, email: own.recipient, reason: "bounce" }]);
  });

  it("answers an unknown shop and a shop without a key alike, without looking at the events", async () => {
    const n = await seed(KEYLESS_SHOP);
    const before = await state();
    const unknown = await postSendGridEvents(urlOf("nobody.myshopify.com"), shopSigner, [bounce(n)]);
    const keyless = await postSendGridEvents(urlOf(KEYLESS_SHOP), shopSigner, [bounce(n)]);
    expect([unknown.status, await unknown.text()]).toEqual([404, "Not Found"]);
    expect([keyless.status, await keyless.text()]).toEqual([404, "Not Found"]);
    expect(await state()).toEqual(before);
  });
});
