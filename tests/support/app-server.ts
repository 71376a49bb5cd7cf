// Starts the real built server as a child process (`tsx app/server.ts`, as `npm start` does) against a
// fresh database, with a local SendGrid capture server and Admin API stand-in beside it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { migrate } from "../../prisma/migrate";
import { createDb, type Db } from "~/db.server";
import { niceInStat } from "~/os/thread-nice";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { STANDIN_SCOPES, startAdminApiStandin, type AdminApiStandin } from "#tests/standins/admin-api-standin";
import { seedShop } from "#tests/demo/seed.server";
import { TEST_ENCRYPTION_KEY } from "./encryption-key";

export const TEST_SECRET = "test-app-secret";
export const TEST_API_KEY = "SG.test.capture-key";
export const TEST_SHOP = "parcelwise-test.myshopify.com";

export interface AppServer {
  baseUrl: string;
  db: Db;
  databaseUrl: string;
  capture: CaptureServer;
  standin: AdminApiStandin;
  logs: string[];
  /** Kills the server process (default SIGKILL, as a crash would) and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again, on the same port, database, capture server and stand-in. */
  restart(): Promise<void>;
  /** The server process's id (its memory is in /proc/<pid>/status). */
  pid: number;
  /** Stops the server process alone (the database, the capture server and the stand-in stay), and starts it again on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface AppServerOptions {
  databaseUrl?: string;
  worker?: boolean;
  env?: Record<string, string>;
  seedShops?: string[];
  /** How long the server may take to answer /healthz (default 60 s; a cluster on a busy machine needs more). */
  startTimeoutMs?: number;
}

export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  const dir = mkdtempSync(join(tmpdir(), "parcelwise-"));
  const databaseUrl = options.databaseUrl ?? `file:${join(dir, "test.sqlite")}`;
  await migrate(databaseUrl);
  const db = createDb(databaseUrl);
  const capture = await startCaptureServer({ apiKey: TEST_API_KEY });
  const standin = await startAdminApiStandin({
    name: "Parcelwise Test Store",
    email: "owner@parcelwise-test.example",
    currencyCode: "EUR",
    ianaTimezone: "Europe/Berlin",
    primaryLocale: "en",
  });
  for (const shop of options.seedShops ?? [TEST_SHOP]) {
    await seedShop(db, shop, standin.url, STANDIN_SCOPES);
  }
  const port = await freePort();
  const logs: string[] = [];
  const env = {
    ...process.env,
    NODE_ENV: "test" as const,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: "test-api-key",
    SHOPIFY_API_SECRET: TEST_SECRET,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    SENDGRID_API_KEY: TEST_API_KEY,
    SENDGRID_BASE_URL: capture.url,
    SHOPIFY_ADMIN_API_STANDIN: standin.url,
    WORKER: options.worker === false ? "off" : "on",
    WORKER_POLL_MS: "50",
    LOG_LEVEL: "info",
    ...options.env,
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  let child = await spawnServer(env, baseUrl, logs, startTimeoutMs);
  const exited = (process: ChildProcess) =>
    new Promise((resolve) => (process.exitCode !== null || process.signalCode !== null ? resolve(null) : process.once("exit", resolve)));
  return {
    baseUrl,
    db,
    databaseUrl,
    capture,
    standin,
    logs,
    async kill(signal = "SIGKILL") {
      child.kill(signal);
      await exited(child);
    },
    async restart() {
      child = await spawnServer(env, baseUrl, logs, startTimeoutMs);
    },
    get pid() {
      return child.pid!;
    },
    async down() {
      child.kill("SIGTERM");
      await exited(child);
    },
    async up() {
      if (child.exitCode !== null || child.signalCode !== null) child = await spawnServer(env, baseUrl, logs, startTimeoutMs);
    },
    async stop() {
      child.kill("SIGTERM");
      await exited(child);
      await db.$disconnect();
      await capture.close();
      await standin.close();
      if (databaseUrl.startsWith("file:")) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `npm start`'s server as a child process; resolves once it answers /healthz. */
async function spawnServer(env: NodeJS.ProcessEnv, baseUrl: string, logs: string[], timeoutMs: number): Promise<ChildProcess> {
  // CPU_PROFILE_DIR=<dir>: each server process (the primary and its forks) writes a V8 CPU profile there on exit.
  const child: ChildProcess = spawn(process.execPath, [...(process.env.CPU_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.CPU_PROFILE_DIR}`] : []), "--import", "tsx", "app/server.ts"], {
    cwd: process.cwd(),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => logs.push(...chunk.toString().split("\n").filter(Boolean)));
  child.stderr?.on("data", (chunk: Buffer) => logs.push(...chunk.toString().split("\n").filter(Boolean)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${logs.join("\n")}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      // Not left running (with its forks) behind the error.
      child.kill("SIGTERM");
      throw new Error(`server did not start within ${timeoutMs / 1000} s:\n${logs.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until `check` returns a truthy value, polling; `message` says what was awaited when it never came. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, message = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${message}: not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A process's niceness (its main thread's), from /proc/<pid>/stat; NaN where it cannot be read. */
export const niceOf = (pid: number): number => niceInStat(`/proc/${pid}/stat`) ?? Number.NaN;
