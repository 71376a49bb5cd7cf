// The worker renders mail on worker threads with a time limit: a shop's runaway template is stopped,
// its mail fails as a broken template does (status failed, the reason in lastError, a log line), and
// the worker goes on sending every other shop's mail.
import { afterAll, beforeAll, expect, it } from "vitest";
import { eventually, startAppServer, type AppServer } from "../support/app-server";
import { seedDueNotifications } from "../support/due-notifications";
import { RUNAWAY_TEMPLATE } from "../support/heavy-templates";

const RUNAWAY = "render-runaway.myshopify.com";
const CALM = "render-calm.myshopify.com";
const LATER = "render-later.myshopify.com";
const MINUTE = 60_000;

let app: AppServer;

beforeAll(async () => {
  app = await startAppServer({ seedShops: [RUNAWAY, CALM, LATER], env: { RENDER_MAIL_LIMIT_MS: "2000", WORKER_BATCH_SIZE: "100" } });
});
afterAll(() => app?.stop());

const mailsTo = (shop: string) => app.capture.mails.filter((m) => m.customArgs.shop === shop);

it("stops a runaway template at the limit, fails its mail with the reason, and sends every other shop's mail", async () => {
  await app.db.template.create({ data: { shop: RUNAWAY, kind: "shipping_confirmation", locale: "en", ...RUNAWAY_TEMPLATE } });
  const due = new Date(Date.now() - MINUTE);
  // One claim takes both shops' mail: the runaway's and 30 others.
  await seedDueNotifications(app.db, { shop: RUNAWAY, count: 2, dueAt: due, kinds: ["shipping_confirmation"], locales: ["en"] });
  await seedDueNotifications(app.db, { shop: CALM, count: 30, dueAt: due });

  const failed = await eventually(
    async () => {
      const rows = await app.db.notification.findMany({ where: { shop: RUNAWAY } });
      return rows.every((r) => r.status === "failed") ? rows : null;
    },
    60_000,
    "the runaway shop's notifications failed",
  );
  for (const row of failed) expect(row.lastError).toMatch(/^template error in html: rendering took longer than 2 s and was stopped/);
  await eventually(async () => mailsTo(CALM).length === 30, 60_000, "every other mail sent");
  expect(new Set(mailsTo(CALM).map((m) => m.customArgs.notification_id)).size).toBe(30);
  // SendGrid has them: the worker marks them sent right after (later still while it yields the CPU to the web process).
  const sentCount = () => app.db.notification.count({ where: { shop: CALM, status: "sent" } });
  await eventually(async () => (await sentCount()) === 30, 15_000, "every mail SendGrid accepted marked sent");
  expect(await sentCount()).toBe(30);
  expect(mailsTo(RUNAWAY)).toEqual([]);

  // The worker is still there: mail that falls due afterwards goes out.
  await seedDueNotifications(app.db, { shop: LATER, count: 3, dueAt: new Date(Date.now() - 1000) });
  await eventually(async () => mailsTo(LATER).length === 3, 30_000, "mail due after the runaway sent");
  const logs = app.logs.join("\n");
  expect(logs).toMatch(/render ran past its time limit/);
  expect(logs).toMatch(/notification failed: template/);
  expect(logs).not.toMatch(/crashed the worker step/);
}, 180_000);
