// The template editor's loading and buttons against a real (temporary SQLite) database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../prisma/migrate";
import { createDb, type Db } from "~/db.server";
import { defaultTemplate } from "~/templates/defaults";
import { loadTemplateEditor, previewTemplate, sendTemplateTest, submitTemplate, type EditorSubmission } from "./template-editor.server";
import { testSecretKeys } from "#tests/support/encryption-key";
import type { MailConfig } from "./test-send.server";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const SHOP = "template-editor.myshopify.com";
const mail: MailConfig = { keys: testSecretKeys(), appApiKey: undefined, baseUrl: "http://127.0.0.1:9", fromEmail: "mail@parcelwise.example", fromName: "Parcelwise" };

let dir: string;
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parcelwise-template-editor-"));
  const url = `file:${join(dir, "editor.sqlite")}`;
  await migrate(url);
  db = createDb(url);
  await db.shop.create({ data: { domain: SHOP, name: "Kumo Ceramics", contactEmail: "owner@kumo.example", primaryLocale: "de" } });
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const submission = (fields: Record<string, string>, shop = SHOP): EditorSubmission => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return { db, shop, kind: "shipping_confirmation", locale: "en", form, now: NOW, appUrl: "https://app.example" };
};

describe("the template editor", () => {
  it("opens in the shop's primary language with the built-in text, previewed", async () => {
    const editor = await loadTemplateEditor(db, SHOP, "shipping_confirmation", new URLSearchParams(), NOW, "https://app.example");
    expect(editor).toMatchObject({ locale: "de", template: { source: defaultTemplate("shipping_confirmation", "de"), customized: false }, problems: [] });
    expect(editor?.preview?.subject).toContain("#1001");
    expect(await loadTemplateEditor(db, "other.myshopify.com", "shipping_confirmation", new URLSearchParams(), NOW, "https://app.example")).toBeNull();
  });

  it("previews an error as problems, and refuses to send or save it", async () => {
    const broken = { subject: "s", html: "{% if %}", text: "t" };
    const preview = await previewTemplate(submission(broken));
    expect(preview).toMatchObject({ intent: "preview", preview: null, problems: [{ part: "html", line: 1 }] });
    expect(preview?.error).toBeUndefined();
    expect(await sendTemplateTest(submission(broken), mail)).toMatchObject({ intent: "test", error: "Not sent: fix the errors marked in red" });
    expect(await submitTemplate(submission(broken))).toMatchObject({ intent: "save", error: "Not saved: fix the errors marked in red" });
    expect(await previewTemplate(submission(broken, "other.myshopify.com"))).toBeNull();
  });

  it("previews valid text with the chosen sample and saves it", async () => {
    const text = { subject: "{{ order.name }} to {{ shipment.destination_country }}", html: "<p>{{ buyer.first_name }}</p>", text: "t" };
    expect(await previewTemplate(submission({ ...text, destination: "JP" }))).toMatchObject({ intent: "preview", problems: [], preview: { subject: "#1001 to JP" } });
    expect(await submitTemplate(submission(text))).toEqual({ intent: "save", toast: "Template saved" });
    expect((await db.template.findFirstOrThrow({ where: { shop: SHOP } })).subject).toBe(text.subject);
  });
});
