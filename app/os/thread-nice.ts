// A thread's niceness and CPU time on Linux, where each thread has its own: setpriority on the thread's
// id (from /proc/thread-self) changes the calling thread alone, not its process, and threads and
// processes it starts afterwards begin at it. Elsewhere (no /proc/thread-self) nothing changes, and
// nothing can be read.
import { readFileSync, readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/** The calling thread's id in /proc/self/task, or null where there is none (not Linux). */
export function threadId(): number | null {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Fields 3 onwards of a /proc stat file, counted after the command name's closing parenthesis (a name may hold spaces). */
function statFields(file: string): string[] | null {
  try {
    const stat = readFileSync(file, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** The niceness a /proc stat file (a process's or a thread's) gives, or null where it cannot be read. */
export function niceInStat(file: string): number | null {
  const nice = Number(statFields(file)?.[16]); // field 19
  return Number.isInteger(nice) ? nice : null;
}

// The unit of stat's CPU times: USER_HZ, which Linux fixes at 100 for every program whatever the kernel's tick.
const MS_PER_TICK = 10;

/**
 * CPU time (user + system, in ms, to 10 ms) that thread `tid` of this process has used, or null where it
 * cannot be read. Unlike the time on the clock, it does not grow while the thread waits for a core.
 */
export function threadCpuMs(tid: number): number | null {
  const fields = statFields(`/proc/self/task/${tid}/stat`);
  const ticks = Number(fields?.[11]) + Number(fields?.[12]); // fields 14 (utime) and 15 (stime)
  return Number.isFinite(ticks) ? ticks * MS_PER_TICK : null;
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
