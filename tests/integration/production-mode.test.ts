// `npm start`, as the README's deployment steps run it, serves in production mode: errors reach clients
// as a bare status, never with a stack trace or a server path; the server logs them instead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_ENCRYPTION_KEY } from "../support/encryption-key";
import { eventually, freePort } from "../support/app-server";

interface Started {
  baseUrl: string;
  logs: string[];
  stop(): Promise<void>;
}

/** `npm start` with the deployment's variables only: no NODE_ENV unless `nodeEnv` is given. */
async function npmStart(nodeEnv?: string, extra: Record<string, string> = {}): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), "parcelwise-prod-"));
  const port = await freePort();
  const inherited: Record<string, string | undefined> = { ...process.env };
  delete inherited.NODE_ENV;
  delete inherited.SHOPIFY_ADMIN_API_STANDIN;
  const env: Record<string, string | undefined> = {
    ...inherited,
    ...(nodeEnv ? { NODE_ENV: nodeEnv } : {}),
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${join(dir, "prod.sqlite")}`,
    SHOPIFY_API_KEY: "test-api-key",
    SHOPIFY_API_SECRET: "test-app-secret",
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    WORKER: "off",
    ...extra,
  };
  const child: ChildProcess = spawn("npm", ["start"], { cwd: process.cwd(), detached: true, stdio: ["ignore", "pipe", "pipe"], env: env as NodeJS.ProcessEnv });
  const logs: string[] = [];
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => logs.push(...chunk.toString().split("\n").filter(Boolean)));
  const baseUrl = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${logs.join("\n")}`);
      return fetch(`${baseUrl}/healthz`).then((response) => response.ok, () => false);
    },
    90_000,
    "npm start listening",
  );
  return {
    baseUrl,
    logs,
    async stop() {
      const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
      process.kill(-child.pid!, "SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const LEAKS = [/\bat \S+ \(/, /node_modules/, /\/app\/\S+\.(?:ts|tsx|js)/, /build\/server/, new RegExp(process.cwd().replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))];

async function expectNoLeak(response: Response) {
  const body = await response.text();
  for (const leak of LEAKS) expect(body).not.toMatch(leak);
  return body;
}

for (const nodeEnv of [undefined, "development"]) {
  describe(`npm start ${nodeEnv ? `with NODE_ENV=${nodeEnv}` : "with NODE_ENV unset"}`, () => {
    let server: Started;
    beforeAll(async () => {
      server = await npmStart(nodeEnv);
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    it("answers an unauthenticated data request for a missing admin page without a stack trace or server path", async () => {
      const response = await fetch(`${server.baseUrl}/app/doesnotexist?_data=x`);
      expect(response.status).toBeGreaterThanOrEqual(400);
      await expectNoLeak(response);
    });

    it("answers a request that fails inside the server without a stack trace, and logs the failure", async () => {
      const response = await fetch(`${server.baseUrl}/%E0%A4%A`);
      expect(response.status).toBeGreaterThanOrEqual(400);
      await expectNoLeak(response);
      const page = await fetch(`${server.baseUrl}/app/doesnotexist?_data=routes%2Fapp`);
      await expectNoLeak(page);
      await eventually(async () => server.logs.some((line) => /"level":"(warn|error)"/.test(line)), 10_000, "the error logged");
    });
  });
}

it("runs in production when NODE_ENV is unset: it refuses the development-only Admin API stand-in", async () => {
  const started = npmStart(undefined, { SHOPIFY_ADMIN_API_STANDIN: "http://127.0.0.1:9" });
  await expect(started).rejects.toThrow(/SHOPIFY_ADMIN_API_STANDIN is for development and tests, not production/);
}, 120_000);
