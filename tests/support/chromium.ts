// Debian's Chromium driven by playwright-core: the only browser the tests use (no test tool's own
// download). On a developer's machine without Chromium the browser suites say so loudly and skip; in
// CI (CI set) a missing Chromium fails them.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Whether the browser suites can run; prints why not. In CI a missing browser is an error. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `\n*** BROWSER TESTS NOT RUN: no Chromium at ${CHROMIUM_PATH}. Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH. ***\n`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
  return false;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    // playwright-core gives every launch a new empty profile directory.
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** Where screenshots are saved as test artifacts (kept after the run). */
export function artifactDir(suite: string): string {
  const dir = join(process.cwd(), "test-artifacts", suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}
