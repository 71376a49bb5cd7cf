// The Admin API schema for `npm run graphql-codegen`, without reaching shopify.dev: Shopify's own
// @shopify/dev-mcp package ships it as an introspection result (dist/data/admin_<version>.json.gz).
// It is written where @shopify/api-codegen-preset looks before it would download one.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { API_VERSION } from "../app/shops/api-version";

// A version whose tarball carries the schema of API_VERSION; raise it when API_VERSION moves on.
const DEV_MCP = "@shopify/dev-mcp@1.16.0";
const ADMIN_SCHEMA_FILE = `app/types/admin-${API_VERSION}.schema.json`;

if (!existsSync(ADMIN_SCHEMA_FILE)) {
  const dir = mkdtempSync(join(tmpdir(), "admin-schema-"));
  try {
    const tarball = execFileSync("npm", ["pack", DEV_MCP, "--silent", "--pack-destination", dir], { encoding: "utf8" }).trim();
    const member = `package/dist/data/admin_${API_VERSION}.json.gz`;
    execFileSync("tar", ["-xzf", join(dir, tarball), "-C", dir, member]);
    writeFileSync(ADMIN_SCHEMA_FILE, gunzipSync(readFileSync(join(dir, member))));
    console.log(`${ADMIN_SCHEMA_FILE}: from ${DEV_MCP}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
