// One thread of the render pool (render-pool.server.ts): renders each batch it is sent, one message at a
// time, and keeps its own parse and CSS-inline cache (parse.ts) for as long as it lives.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { ParsedSource, renderMessage } from "./render";
import { RenderProgress, type RenderReply, type RenderRequest, type RenderResult } from "./render-protocol";
import { toTemplateError } from "./template-error";

const data = workerData as { progress: SharedArrayBuffer; nice?: number };
const progress = new RenderProgress(data.progress);
if (data.nice) lowerPriority(data.nice);

/**
 * This thread's niceness, on Linux, where a thread has its own: setpriority on the thread's id (from
 * /proc/thread-self) changes this thread alone, not the process. Best effort: elsewhere it stays as it is.
 */
function lowerPriority(nice: number): void {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // Not Linux, or not allowed: the thread keeps the process's priority.
  }
}

parentPort!.on("message", (request: RenderRequest) => {
  void renderBatch(request).then((reply) => parentPort!.postMessage(reply));
});

async function renderBatch({ id, sources, jobs }: RenderRequest): Promise<RenderReply> {
  const results: RenderResult[] = [];
  // Each template of the batch looked up in the parse cache once, whatever the number of its mails.
  const parsed = sources.map((source) => new ParsedSource(source));
  for (const [index, job] of jobs.entries()) {
    progress.start(index, Date.now());
    let part: "subject" | "html" | "text" = "subject";
    try {
      const message = await renderMessage(sources[job.source]!, job.variables, job.now, (next) => {
        part = next;
        progress.part(next);
      }, parsed[job.source]);
      results.push({ ok: true, message });
    } catch (err) {
      const error = toTemplateError(part, err);
      results.push({ ok: false, error: { part: error.part, line: error.line, column: error.column, message: error.message } });
    }
  }
  progress.idle();
  return { id, results };
}
