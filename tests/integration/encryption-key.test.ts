// ENCRYPTION_KEY through the real server and the real script: a bad key stops start-up with a clear
// message; a value sealed before ENCRYPTION_KEY is migrated at start and survives a rotated
// SHOPIFY_API_SECRET (mail still goes out with the shop's own SendGrid key); `npm run rotate-encryption-key`
// re-encrypts under a new key, and a second run changes nothing.
import { afterAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { migrate } from "../../prisma/migrate";
import { eventually, startAppServer, TEST_API_KEY, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { TEST_ENCRYPTION_KEY } from "../support/encryption-key";
import { sendWebhook } from "#tests/standins/sign";
import { orderPayloadFor } from "#tests/demo/scenario";
import { decryptSecret, encryptLegacySecret, sealedWithOldKey, secretKeys } from "~/shops/secrets.server";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "parcelwise-keys-"));
const databaseUrl = `file:${join(dir, "keys.sqlite")}`;
let app: AppServer | undefined;
afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});
const sealedKey = async (db: AppServer["db"]) => (await db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).sendgridApiKeyEncrypted!;

describe("ENCRYPTION_KEY", () => {
  it("refuses to start with a bad key, naming the variable and how to make one", async () => {
    const failure = await startAppServer({ env: { ENCRYPTION_KEY: "not-32-bytes" }, worker: false }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/ENCRYPTION_KEY: must be 32 random bytes, base64 or hex; create one with `openssl rand -base64 32`/);
  }, 120_000);

  it("migrates a key sealed with the app secret, and keeps sending with it after SHOPIFY_API_SECRET is rotated", async () => {
    await migrate(databaseUrl);
    app = await startAppServer({ databaseUrl, worker: false });
    await app.db.shop.update({ where: { domain: TEST_SHOP }, data: { sendgridApiKeyEncrypted: encryptLegacySecret(TEST_API_KEY, TEST_SECRET) } });
    await app.stop();

    // The worker's start re-seals it with ENCRYPTION_KEY.
    app = await startAppServer({ databaseUrl, seedShops: [] });
    const keys = secretKeys({ ENCRYPTION_KEY: TEST_ENCRYPTION_KEY });
    const migrated = await eventually(async () => {
      const sealed = await sealedKey(app!.db);
      return sealedWithOldKey(sealed, keys) ? null : sealed;
    }, 30_000, "the legacy value re-sealed");
    expect(decryptSecret(migrated, keys)).toBe(TEST_API_KEY);
    await app.stop();

    // A new app secret, and no app-wide SendGrid key: only the shop's own key can send (the capture server takes only it).
    const rotatedSecret = "rotated-app-secret";
    app = await startAppServer({ databaseUrl, seedShops: [], env: { SHOPIFY_API_SECRET: rotatedSecret, SENDGRID_API_KEY: "" } });
    const ago = new Date(Date.now() - 30 * 60_000);
    const buyer = { first: "Rosalind", last: "Keyes", email: "rosalind.keyes@example.test", locale: "en", country: "DE", city: "Berlin", zip: "10115", address1: "Street 1" };
    const response = await sendWebhook(app.baseUrl, rotatedSecret, { topic: "orders/paid", shop: TEST_SHOP, payload: orderPayloadFor(9301, 10301, buyer, { processed: ago, updated: ago }) });
    expect(response.status).toBe(200);
    await eventually(async () => app!.capture.mails.some((m) => JSON.stringify(m).includes(buyer.email)), 60_000, "mail sent with the shop's key");
    await app.stop();
    app = undefined;
  }, 240_000);

  it("re-encrypts every stored key with `npm run rotate-encryption-key`, once", async () => {
    const next = randomBytes(32).toString("base64");
    const env = { ...process.env, DATABASE_URL: databaseUrl, ENCRYPTION_KEY: next, ENCRYPTION_KEY_PREVIOUS: TEST_ENCRYPTION_KEY, SHOPIFY_API_SECRET: "" };
    const first = await run("npm", ["run", "--silent", "rotate-encryption-key"], { env });
    expect(first.stdout).toContain("Shop secrets: 1 re-encrypted, 0 already current, 0 unreadable");
    const second = await run("npm", ["run", "--silent", "rotate-encryption-key"], { env });
    expect(second.stdout).toContain("Shop secrets: 0 re-encrypted, 1 already current, 0 unreadable");

    const { createDb } = await import("~/db.server");
    const db = createDb(databaseUrl);
    try {
      const sealed = (await db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).sendgridApiKeyEncrypted!;
      // Readable with the new key alone: the old one can be dropped.
      expect(decryptSecret(sealed, secretKeys({ ENCRYPTION_KEY: next }))).toBe(TEST_API_KEY);
      expect(decryptSecret(sealed, secretKeys({ ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }))).toBeNull();
    } finally {
      await db.$disconnect();
    }
  }, 120_000);
});
