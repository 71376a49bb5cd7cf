// The Review destination card's submissions against a real (temporary SQLite) database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../prisma/migrate";
import { createDb, type Db } from "~/db.server";
import { submitReviewDestination } from "./settings-review";

const SHOP = "settings-review.myshopify.com";
let dir: string;
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parcelwise-settings-review-"));
  const url = `file:${join(dir, "settings.sqlite")}`;
  await migrate(url);
  db = createDb(url);
  await db.shop.create({ data: { domain: SHOP, name: "Kumo Ceramics" } });
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const row = () => db.shop.findUniqueOrThrow({ where: { domain: SHOP }, select: { reviewDestination: true, reviewUrlTemplate: true } });

describe("review destination", () => {
  it("defaults to the products bought for an existing shop", async () => {
    expect(await row()).toEqual({ reviewDestination: "products", reviewUrlTemplate: null });
  });

  it("saves a review app, dropping a template it does not use", async () => {
    expect(await submitReviewDestination(db, SHOP, { reviewDestination: "judgeme", reviewUrlTemplate: "https://x.example/" })).toMatchObject({ toast: "Review destination saved" });
    expect(await row()).toEqual({ reviewDestination: "judgeme", reviewUrlTemplate: null });
  });

  it("saves a valid URL template", async () => {
    const template = "https://example.com/review?order={{ order.name }}&product={{ product.handle }}&rating={{ rating }}";
    expect((await submitReviewDestination(db, SHOP, { reviewDestination: "custom", reviewUrlTemplate: template })).error).toBeUndefined();
    expect(await row()).toEqual({ reviewDestination: "custom", reviewUrlTemplate: template });
  });

  it("reports a Liquid error, a link that is not http(s), or a missing template, and saves nothing", async () => {
    const before = await row();
    const cases: [Record<string, string>, RegExp][] = [
      [{ reviewDestination: "custom", reviewUrlTemplate: "https://example.com/?o={% if %}" }, /Liquid error/],
      [{ reviewDestination: "custom", reviewUrlTemplate: "javascript:alert(1)" }, /not an http:\/\/ or https:\/\/ link/],
      [{ reviewDestination: "custom", reviewUrlTemplate: "" }, /Enter your review link/],
      [{ reviewDestination: "yotpo", reviewUrlTemplate: "ftp://files.example/{{ rating }}" }, /not an http/],
    ];
    for (const [form, message] of cases) {
      const result = await submitReviewDestination(db, SHOP, form);
      expect(result.error).toBe("Please fix the fields marked in red");
      expect(result.errors?.reviewUrlTemplate).toMatch(message);
    }
    expect((await submitReviewDestination(db, SHOP, { reviewDestination: "shopify_product_reviews" })).errors?.reviewDestination).toMatch(/Choose/);
    expect(await row()).toEqual(before);
  });
});
