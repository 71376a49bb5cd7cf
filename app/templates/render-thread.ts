// One thread of the render pool (render-pool.server.ts): renders each batch it is sent, one message at a
// time, and keeps its own parse and CSS-inline cache (parse.ts) for as long as it lives.
import { parentPort, workerData } from "node:worker_threads";
import { setThreadNice, threadId } from "~/os/thread-nice";
import { ParsedSource, renderMessage } from "./render";
import { RenderProgress, type RenderReply, type RenderRequest, type RenderResult } from "./render-protocol";
import { toTemplateError } from "./template-error";

const data = workerData as { progress: SharedArrayBuffer; nice?: number };
const progress = new RenderProgress(data.progress);
// So the pool can read this thread's CPU time, which its time limit counts.
progress.setThreadId(threadId());
// Best effort: where a thread has no niceness of its own, it keeps the process's.
if (data.nice) setThreadNice(data.nice);

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
      const message = await renderMessage(sources[job.source]!, job.variables, job.now, {
        onPart: (next) => {
          part = next;
          progress.part(next);
        },
        parsed: parsed[job.source],
        // The pool stops a runaway by this thread's CPU time; a deadline on the clock would fail a
        // render that only waited for a core.
        clockDeadline: false,
      });
      results.push({ ok: true, message });
    } catch (err) {
      const error = toTemplateError(part, err);
      results.push({ ok: false, error: { part: error.part, line: error.line, column: error.column, message: error.message } });
    }
  }
  progress.idle();
  return { id, results };
}
