// The merchant's test send against a real (temporary SQLite) database and the SendGrid capture server:
// a real send verifies the sender; a sandbox check asks SendGrid to validate only, and verifies nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../prisma/migrate";
import { createDb, type Db } from "~/db.server";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { testSecretKeys } from "#tests/support/encryption-key";
import { sendTestMessage, type MailConfig } from "./test-send.server";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const SHOP = "test-send.myshopify.com";
const API_KEY = "SG.test-send-key.0123456789abcdef";
const message = { subject: "Your order #1001 has shipped", html: "<p>On its way</p>", text: "On its way", kind: "shipping_confirmation" };

let dir: string;
let db: Db;
let capture: CaptureServer;
let config: MailConfig;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parcelwise-test-send-"));
  const url = `file:${join(dir, "test-send.sqlite")}`;
  await migrate(url);
  db = createDb(url);
  capture = await startCaptureServer({ apiKey: API_KEY });
  config = { keys: testSecretKeys(), appApiKey: API_KEY, baseUrl: capture.url, fromEmail: "mail@parcelwise.example", fromName: "Parcelwise" };
  await db.shop.create({ data: { domain: SHOP, name: "Kumo Ceramics", contactEmail: "owner@kumo.example" } });
});
afterEach(async () => {
  capture.clear();
  await db.shop.update({ where: { domain: SHOP }, data: { senderVerifiedAt: null } });
});
afterAll(async () => {
  await capture?.close();
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("sendTestMessage", () => {
  it("in sandbox mode asks SendGrid to validate without delivering, and leaves the sender unverified", async () => {
    const result = await sendTestMessage(db, SHOP, message, config, NOW, { sandbox: true });
    expect(result).toEqual({ ok: true, to: "owner@kumo.example", sandbox: true });
    expect(capture.mails).toHaveLength(1);
    const raw = capture.mails[0].raw as { mail_settings?: { sandbox_mode?: { enable?: boolean } } };
    expect(raw.mail_settings?.sandbox_mode?.enable).toBe(true);
    expect(capture.mails[0].sandbox).toBe(true);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).senderVerifiedAt).toBeNull();
  });

  it("otherwise sends for real, and SendGrid accepting it verifies the sender", async () => {
    const result = await sendTestMessage(db, SHOP, message, config, NOW);
    expect(result).toEqual({ ok: true, to: "owner@kumo.example", sandbox: false });
    expect(capture.mails[0].sandbox).toBe(false);
    expect((capture.mails[0].raw as Record<string, unknown>).mail_settings).toBeUndefined();
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).senderVerifiedAt).toEqual(NOW);
  });

  it("says SendGrid did not accept a sandbox check it refused", async () => {
    capture.failNext(400, 1, { message: "The from email does not contain a valid address." });
    const result = await sendTestMessage(db, SHOP, message, config, NOW, { sandbox: true });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^SendGrid did not accept the message: /) });
  });
});
