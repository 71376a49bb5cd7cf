// The storefront tracking block as Shopify's theme check sees it (the theme app extension rules), and
// the promises theme check does not cover: no external scripts, one app proxy path everywhere.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { check } from "@shopify/theme-check-node";
import { APP_PROXY_PREFIX, APP_PROXY_SUBPATH } from "~/tracking/link";

const BLOCK_DIR = join(process.cwd(), "extensions/tracking-block");
const read = (...parts: string[]) => readFileSync(join(BLOCK_DIR, ...parts), "utf8");

describe("extensions/tracking-block", () => {
  it("passes Shopify's theme check with no offense at any severity", async () => {
    const offenses = await check(BLOCK_DIR);
    expect(offenses.map((o) => `${o.check} ${o.uri.split("/tracking-block/")[1]}:${o.start.line} ${o.message}`)).toEqual([]);
  });

  it("loads no external script or stylesheet", () => {
    const block = read("blocks", "track-order.liquid");
    expect(block).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(block).not.toMatch(/<link[^>]*\shref=/i);
    const script = read("assets", "track-order.js");
    expect(script).not.toMatch(/\bimport\s*\(|\bimportScripts\b|createElement\(\s*['"]script/);
    expect(script).not.toMatch(/https?:\/\//);
    expect(read("assets", "track-order.css")).not.toMatch(/@import|url\(/);
  });

  it("asks the app through the app proxy that shopify.app.toml declares", () => {
    const toml = readFileSync(join(process.cwd(), "shopify.app.toml"), "utf8");
    const section = /\[app_proxy\]([\s\S]*?)(?:\n\[|$)/.exec(toml)?.[1] ?? "";
    expect(/subpath\s*=\s*"([^"]+)"/.exec(section)?.[1]).toBe(APP_PROXY_SUBPATH);
    expect(/prefix\s*=\s*"([^"]+)"/.exec(section)?.[1]).toBe(APP_PROXY_PREFIX);
    expect(/url\s*=\s*"([^"]+)"/.exec(section)?.[1]).toMatch(/\/proxy$/);
    expect(read("blocks", "track-order.liquid")).toContain(`data-endpoint="/${APP_PROXY_PREFIX}/${APP_PROXY_SUBPATH}/lookup"`);
  });

  it("has storefront and theme editor strings in the eight languages of the mail templates", () => {
    const files = readdirSync(join(BLOCK_DIR, "locales")).sort();
    const languages = ["de", "en.default", "es", "fr", "it", "ja", "pt", "zh-CN"];
    expect(files).toEqual(languages.flatMap((l) => [`${l}.json`, `${l}.schema.json`]).sort());
  });
});
