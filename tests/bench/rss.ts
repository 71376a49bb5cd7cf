// Resident memory of a server process and its children (WEB_CONCURRENCY forks), from /proc (Linux): what
// `npm run bench` reports during and after a burst. Worker threads are part of their process's VmRSS.
import { readdirSync, readFileSync } from "node:fs";

/** VmRSS of one process in bytes, or 0 when it is gone (or /proc is not there). */
function rssOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The direct children of a process, from /proc/<pid>/task/<tid>/children, else from every process's ppid. */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").filter(Boolean).map(Number),
    );
  } catch {
    const children: number[] = [];
    for (const entry of safeReaddir("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
    return children;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Sum of VmRSS over a process and all its descendants, in bytes. */
export function treeRss(pid: number): number {
  let total = 0;
  const seen = new Set<number>();
  const queue = [pid];
  while (queue.length) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    total += rssOf(next);
    queue.push(...childrenOf(next));
  }
  return total;
}

/** Samples treeRss(pid) every `everyMs` until stopped; the peak and the last sample. */
export function sampleRss(pid: number, everyMs = 100): { stop(): { peak: number; last: number; samples: number } } {
  let peak = treeRss(pid);
  let last = peak;
  let samples = 1;
  const timer = setInterval(() => {
    last = treeRss(pid);
    samples++;
    if (last > peak) peak = last;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { peak, last, samples };
    },
  };
}

export const mib = (bytes: number) => bytes / 2 ** 20;
