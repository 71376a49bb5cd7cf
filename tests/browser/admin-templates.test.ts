// The template editor in Chromium against the real built server: a syntax error shows inline with its
// line, fixing it brings the server-rendered preview back, a runaway template's preview is stopped at the
// time limit with the reason under its part, the preview follows the chosen carrier, and
// saving, the test send, reset and languages work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { eventually, startAppServer, TEST_SHOP, type AppServer } from "../support/app-server";
import { chromiumAvailable, launchChromium } from "../support/chromium";
import { RUNAWAY_TEMPLATE } from "../support/heavy-templates";
import { adminTarget, newAdminPage, openAdmin, screenshots, waitForToast } from "../support/admin-browser";
import { seedLane } from "../support/lane-seed";

const run = chromiumAvailable();
let app: AppServer;
let browser: Browser;
let page: Page;

const previewHtml = () => page.locator('iframe[data-preview="html"]').getAttribute("srcdoc");
const previewText = () => page.locator('[data-preview="text"]').textContent();

beforeAll(async () => {
  if (!run) return;
  [app, browser] = await Promise.all([startAppServer({ worker: false }), launchChromium()]);
  page = await newAdminPage(browser);
  await seedLane(app.db, TEST_SHOP, { carrier: "China Post", origin: "CN", destination: "BR", transitDays: Array.from({ length: 60 }, (_, i) => 15 + (i % 16)) });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe.runIf(run)("template editor", () => {
  it("lists one card per message kind", async () => {
    await openAdmin(adminTarget(app), page, "/app/templates");
    for (const title of ["Handling commitment", "Shipping confirmation", "Tracking number changed", "Delay notice", "Feedback request"]) {
      await expect(page.getByRole("heading", { name: title }).isVisible()).resolves.toBe(true);
    }
    await screenshots(page, "templates");
  });

  it("shows a syntax error inline with its line, then the preview again once it is fixed", async () => {
    await openAdmin(adminTarget(app), page, "/app/templates/shipping_confirmation?locale=en");
    await expect(previewText()).resolves.toContain("4829163750");
    await screenshots(page, "template-editor");

    const html = page.getByLabel("HTML", { exact: true });
    await html.fill("<p>Hello {{ buyer.first_name }}</p>\n<p>Your parcel:\n{% if tracking %}\n{{ tracking.number }}\n</p>");
    const inline = page.locator(".Polaris-InlineError", { hasText: "Line 3" });
    await inline.waitFor();
    await expect(inline.textContent()).resolves.toMatch(/Line 3, column \d+: tag .*if.* not closed/);
    await expect(page.locator('[data-template-error="html"]').textContent()).resolves.toContain("HTML, Line 3");
    await page.getByText("The preview appears when the template has no errors.").waitFor();
    await screenshots(page, "template-editor-error");

    await html.fill("<p>Hello {{ buyer.first_name }}</p>\n<p>Your parcel:\n{% if tracking %}\n{{ tracking.number }}\n{% endif %}</p>");
    await page.locator('iframe[data-preview="html"]').waitFor();
    await expect(page.locator(".Polaris-InlineError").count()).resolves.toBe(0);
    await eventually(async () => (await previewHtml())?.includes("Your parcel:\n\n4829163750"));
    expect(await previewHtml()).toContain("Hello Anna");
  });

  it("stops a runaway template's preview at the time limit and says so under its part", async () => {
    const html = page.getByLabel("HTML", { exact: true });
    await html.fill(RUNAWAY_TEMPLATE.html);
    const inline = page.locator(".Polaris-InlineError", { hasText: "was stopped" });
    await inline.waitFor({ timeout: 20_000 });
    await expect(inline.textContent()).resolves.toMatch(/rendering took longer than 2 s and was stopped/);
    await screenshots(page, "template-editor-runaway");
    // Back to the text the next tests start from.
    await html.fill("<p>Hello {{ buyer.first_name }}</p>\n<p>Your parcel:\n{% if tracking %}\n{{ tracking.number }}\n{% endif %}</p>");
    await eventually(async () => (await previewHtml())?.includes("Your parcel:\n\n4829163750"), 20_000, "the preview back after the runaway");
  }, 60_000);

  it("renders the preview for the chosen carrier, destination and language", async () => {
    await page.getByLabel("Plain text", { exact: true }).fill("{{ carrier.name }} to {{ shipment.destination_country }}: {{ estimated_delivery.range }}");
    await page.getByLabel("Carrier").selectOption("ups");
    await page.getByLabel("Destination").selectOption("JP");
    await page.getByLabel("Buyer's language").selectOption("de");
    await eventually(async () => /^UPS to JP: .*(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)/.test((await previewText()) ?? ""));
  });

  it("previews a learned lane of the shop: its carrier, destination and learned window", async () => {
    await page.getByLabel("Plain text", { exact: true }).fill("{{ carrier.name }} to {{ shipment.destination_country }}: {{ estimated_delivery.range }} ({{ estimated_delivery.source }}, {{ estimated_delivery.parcels }} parcels)");
    await page.getByLabel("Delivery window").selectOption({ label: "Learned lane: China Post, China → Brazil (60 delivered)" });
    await eventually(async () => /^China Post to BR: .+ \(lane, \d+ parcels\)$/.test(((await previewText()) ?? "").trim()));
    await expect(page.getByLabel("Carrier").isDisabled()).resolves.toBe(true);
    await screenshots(page, "template-editor-lane");
    await page.getByLabel("Delivery window").selectOption("");
    await eventually(async () => /^UPS to JP: .+ \(registry, {2}parcels\)$/.test(((await previewText()) ?? "").trim()));
  });

  it("refuses to save an error, saves a valid template and sends a test", async () => {
    await page.getByLabel("Subject", { exact: true }).fill("");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.locator(".Polaris-InlineError", { hasText: "Write a subject" }).waitFor();
    expect(await app.db.template.count({ where: { shop: TEST_SHOP } })).toBe(0);

    await page.getByLabel("Subject", { exact: true }).fill("Order {{ order.name }} is on its way with {{ carrier.name }}");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await waitForToast(page, "Template saved");
    const saved = await app.db.template.findUniqueOrThrow({ where: { shop_kind_locale: { shop: TEST_SHOP, kind: "shipping_confirmation", locale: "en" } } });
    expect(saved.subject).toBe("Order {{ order.name }} is on its way with {{ carrier.name }}");
    expect(saved.html).toContain("{% endif %}");
    expect((await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).templatesReviewedAt).not.toBeNull();
    await page.getByText("Your text", { exact: true }).waitFor();

    await page.getByRole("button", { name: /Send test to owner@parcelwise-test.example/ }).click();
    await waitForToast(page, "Test message sent to owner@parcelwise-test.example");
    const mail = app.capture.mails.at(-1)!;
    expect(mail.to).toEqual(["owner@parcelwise-test.example"]);
    expect(mail.subject).toBe("[Test] Order #1001 is on its way with UPS");
  });

  it("resets a language to the built-in text", async () => {
    await page.getByRole("button", { name: "Reset to default" }).click();
    await waitForToast(page, "Back to Parcelwise's text");
    await page.getByText("Parcelwise's text", { exact: true }).waitFor();
    expect(await app.db.template.count({ where: { shop: TEST_SHOP } })).toBe(0);
    await expect(page.getByLabel("Subject", { exact: true }).inputValue()).resolves.not.toContain("is on its way with");
  });

  it("adds and removes a language", async () => {
    await openAdmin(adminTarget(app), page, "/app/templates");
    await page.getByLabel("Add a language").selectOption("nl");
    await page.getByRole("button", { name: "Add language" }).click();
    await waitForToast(page, "Dutch (nl) added");
    expect(await app.db.template.count({ where: { shop: TEST_SHOP, locale: "nl" } })).toBe(5);
    await page.getByRole("button", { name: "Remove Dutch (nl)" }).click();
    await waitForToast(page, "Dutch (nl) removed");
    expect(await app.db.template.count({ where: { shop: TEST_SHOP, locale: "nl" } })).toBe(0);
  });
});
