// The settings forms' submissions against a real (temporary SQLite) database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../prisma/migrate";
import { createDb, type Db } from "~/db.server";
import { submitSender, submitTestSend, submitTiming, submitTransit } from "./settings-actions.server";
import { testSecretKeys } from "#tests/support/encryption-key";
import type { MailConfig } from "./test-send.server";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const SHOP = "settings-actions.myshopify.com";
const mail: MailConfig = { keys: testSecretKeys(), appApiKey: undefined, baseUrl: "http://127.0.0.1:9", fromEmail: "mail@parcelwise.example", fromName: "Parcelwise" };

let dir: string;
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parcelwise-settings-actions-"));
  const url = `file:${join(dir, "settings.sqlite")}`;
  await migrate(url);
  db = createDb(url);
  await db.shop.create({ data: { domain: SHOP, name: "Kumo Ceramics", contactEmail: "owner@kumo.example" } });
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("settings submissions", () => {
  it("answers a wrong field with its error and saves nothing", async () => {
    const before = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const result = await submitTiming(db, SHOP, { handlingHours: "0" }, NOW);
    expect(result.intent).toBe("timing");
    expect(result.error).toBe("Please fix the fields marked in red");
    expect(result.errors?.handlingHours).toMatch(/between 1 and 720/);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).handlingHours).toBe(before.handlingHours);
  });

  it("saves a valid form and says so", async () => {
    expect(await submitSender(db, SHOP, { senderName: "Kumo", senderEmail: "Hello@Kumo.example" })).toEqual({ intent: "sender", toast: "Sender saved" });
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).senderEmail).toBe("hello@kumo.example");
    expect(await submitTransit(db, SHOP, { carrier: "no-such-carrier" })).toMatchObject({ intent: "transit", errors: { carrier: "Choose a carrier from the list" } });
  });

  it("refuses a test send of a broken shipping confirmation, and knows no other shop", async () => {
    await db.template.create({ data: { shop: SHOP, kind: "shipping_confirmation", locale: "en", subject: "s", html: "{{ 'x' | no_such_filter }}", text: "t" } });
    expect(await submitTestSend(db, SHOP, mail, "https://app.example", NOW)).toEqual({
      intent: "test-send",
      error: "Your shipping confirmation template has an error; fix it under Templates first",
    });
    expect(await submitTestSend(db, "other.myshopify.com", mail, "https://app.example", NOW)).toBeNull();
  });
});
