// shopify.app.toml is the truth about what Shopify sends and what the app may read: the code's topic list
// and the SCOPES default must say the same.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";
import { COMPLIANCE_TOPICS, SHOPIFY_TOPICS } from "./topics";

type Table = Record<string, unknown>;

/** The subset of TOML shopify.app.toml uses: tables, arrays of tables, strings, booleans and string arrays. */
function parseToml(text: string): Table {
  const root: Table = {};
  let current = root;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^\s*#.*$/, "").trim();
    if (!line) continue;
    const header = /^(\[\[?)([\w.]+)\]\]?$/.exec(line);
    if (header) {
      const path = header[2].split(".");
      let parent = root;
      for (const key of path.slice(0, -1)) parent = (parent[key] ??= {}) as Table;
      const last = path[path.length - 1];
      current = {};
      if (header[1] === "[[") ((parent[last] ??= []) as Table[]).push(current);
      else parent[last] = current;
      continue;
    }
    const pair = /^([\w-]+)\s*=\s*(.+)$/.exec(line);
    if (!pair) throw new Error(`unsupported TOML line: ${raw}`);
    current[pair[1]] = JSON.parse(pair[2]);
  }
  return root;
}

const toml = parseToml(readFileSync(new URL("../../shopify.app.toml", import.meta.url), "utf8"));
const subscriptions = (toml.webhooks as { subscriptions: Array<{ topics?: string[]; compliance_topics?: string[]; uri: string }> }).subscriptions;

describe("shopify.app.toml", () => {
  it("subscribes to exactly the topics the code handles, each at /webhooks/<topic>", () => {
    const subscribed = subscriptions.flatMap((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])]);
    expect([...subscribed].sort()).toEqual([...SHOPIFY_TOPICS].sort());
    for (const s of subscriptions) for (const topic of [...(s.topics ?? []), ...(s.compliance_topics ?? [])]) expect(s.uri, topic).toBe(`/webhooks/${topic}`);
  });

  it("lists the compliance topics as compliance_topics", () => {
    expect(subscriptions.flatMap((s) => s.compliance_topics ?? []).sort()).toEqual([...COMPLIANCE_TOPICS].sort());
  });

  it("asks for the scopes SCOPES defaults to", () => {
    const { SCOPES } = parseEnv({ SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "https://example.com", ENCRYPTION_KEY: "a".repeat(64) });
    const scopes = (toml.access_scopes as { scopes: string }).scopes;
    expect(SCOPES.split(",").sort()).toEqual(scopes.split(",").sort());
  });
});
