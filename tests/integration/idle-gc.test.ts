// A process that has gone quiet after a burst gives the heap the burst grew back (app/idle-gc.server.ts).
// Each case runs in a Node process of its own: it fills its heap with objects, drops them, and goes idle.
// Without the idle collection their memory stays resident (an idle process allocates nothing, so no
// collection comes, and one V8 began during the burst keeps the freed pages pooled); with it, the heap is
// collected within a second or two and its pages are given back to the system.
import { expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const script = (withIdleGc: boolean) => `
  import { startIdleGc } from "./app/idle-gc.server.ts";
  const mib = () => Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
  ${withIdleGc ? "startIdleGc({ checkMs: 100, idleMs: 400 });" : ""}
  let burst = [];
  for (let i = 0; i < 400_000; i++) burst.push({ id: "order-" + i, lines: [i, i + 1, i + 2], note: "x".repeat(64) + i });
  burst = null;
  const dropped = mib();
  const droppedRss = rss();
  await new Promise((resolve) => setTimeout(resolve, 2500));
  console.log(JSON.stringify({ dropped, idle: mib(), droppedRss, idleRss: rss() }));
`;

interface Figures {
  dropped: number;
  idle: number;
  droppedRss: number;
  idleRss: number;
}

function run(withIdleGc: boolean): Figures {
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script(withIdleGc)], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, LOG_LEVEL: "error" },
    timeout: 30_000,
  });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as Figures;
}

it("without it, an idle process keeps the memory a burst dropped resident", () => {
  const figures = run(false);
  const { dropped, droppedRss, idleRss } = figures;
  const seen = `MiB: ${JSON.stringify(figures)}`;
  expect(dropped, seen).toBeGreaterThan(60);
  // V8 may have collected the objects by now (a collection it began during the burst), but it keeps the
  // freed pages pooled: resident all the same.
  expect(idleRss, seen).toBeGreaterThan(droppedRss - 20);
}, 40_000);

it("with it, the quiet process collects them and gives their pages back", () => {
  const figures = run(true);
  const { dropped, idle, droppedRss, idleRss } = figures;
  const seen = `MiB: ${JSON.stringify(figures)}`;
  expect(dropped, seen).toBeGreaterThan(60);
  expect(idle, seen).toBeLessThan(dropped / 3);
  // Resident memory comes back by most of what the heap held (a full collection alone keeps the pages pooled).
  expect(droppedRss - idleRss, seen).toBeGreaterThan((dropped - idle) / 2);
}, 40_000);
