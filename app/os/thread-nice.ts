// A thread's niceness on Linux, where each thread has its own: setpriority on the thread's id (from
// /proc/thread-self) changes the calling thread alone, not its process, and threads and processes it
// starts afterwards begin at it. Elsewhere (no /proc/thread-self) nothing changes.
import { readFileSync, readlinkSync } from "node:fs";
import { setPriority } from "node:os";

function threadId(): number | null {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** The niceness a /proc stat file (a process's or a thread's) gives, or null where it cannot be read. */
export function niceInStat(file: string): number | null {
  try {
    // Field 19 of stat, counted after the command name's closing parenthesis (a name may hold spaces).
    const stat = readFileSync(file, "utf8");
    const nice = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    return Number.isInteger(nice) ? nice : null;
  } catch {
    return null;
  }
}

/** The calling thread's niceness, or null where it cannot be read. */
export const threadNice = (): number | null => niceInStat("/proc/thread-self/stat");

/** Sets the calling thread's niceness; false where it cannot (not Linux, or a lower value without the privilege). */
export function setThreadNice(nice: number): boolean {
  const tid = threadId();
  if (tid === null) return false;
  try {
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
