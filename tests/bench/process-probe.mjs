// Loaded into each process of the server under test (node --import, through NODE_OPTIONS) by
// BENCH_ONLY=p99: every 250 ms, one line per process to BENCH_PROBE_DIR/<role>-<pid>.jsonl with the
// event loop's delay over that interval (perf_hooks' histogram, 5 ms resolution) and the webhook inbox
// inserts that finished in it (app/webhooks/inbox-insert.server.ts publishes each: ms, rows, retries).
/* global process, setInterval */
import cluster from "node:cluster";
import { subscribe } from "node:diagnostics_channel";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

const dir = process.env.BENCH_PROBE_DIR;
if (dir) {
  const role = cluster.isPrimary ? "primary" : "web";
  const file = join(dir, `${role}-${process.pid}.jsonl`);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let inserts = [];
  subscribe("parcelwise:inbox-insert", (message) => inserts.push(message));
  const timer = setInterval(() => {
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    const line = {
      t: Date.now(),
      eld: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), n: delay.count },
      inserts: inserts.map((i) => [Math.round(i.ms * 100) / 100, i.rows, i.retries, i.own ? 1 : 0, i.blockedMs === undefined ? null : Math.round(i.blockedMs * 100) / 100]),
    };
    delay.reset();
    inserts = [];
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 250);
  timer.unref();
}
