// What the render pool and its threads say to each other: a batch of renders per message, and a small
// shared-memory record of which render a thread is on and since when, so the pool can stop a runaway.
import type { MessageVariables } from "./variables";
import type { RenderedMessage, TemplateSource } from "./render";
import type { TemplatePart } from "./template-error";

export interface RenderJob {
  source: TemplateSource;
  variables: MessageVariables;
  now: Date;
}

/** A TemplateError as plain data (errors lose their class crossing threads). */
export interface TemplateErrorData {
  part: TemplatePart;
  line: number | null;
  column: number | null;
  message: string;
}

export type RenderResult = { ok: true; message: RenderedMessage } | { ok: false; error: TemplateErrorData };

/** A batch of renders: each distinct template once, the jobs pointing at it by index. */
export interface RenderRequest {
  id: number;
  sources: TemplateSource[];
  jobs: { source: number; variables: MessageVariables; now: Date }[];
}

/** `jobs` as one request: a template shared by many jobs (the same strings) is sent, and parsed, once. */
export function renderRequest(id: number, jobs: RenderJob[]): RenderRequest {
  const sources: TemplateSource[] = [];
  // By the html text (V8 keeps a string's hash, so the same template's strings hash once).
  const byHtml = new Map<string, number[]>();
  const indexOf = (source: TemplateSource): number => {
    const candidates = byHtml.get(source.html) ?? [];
    const found = candidates.find((i) => sources[i]!.subject === source.subject && sources[i]!.text === source.text);
    if (found !== undefined) return found;
    sources.push({ subject: source.subject, html: source.html, text: source.text });
    byHtml.set(source.html, [...candidates, sources.length - 1]);
    return sources.length - 1;
  };
  return { id, sources, jobs: jobs.map((job) => ({ source: indexOf(job.source), variables: job.variables, now: job.now })) };
}

export interface RenderReply {
  id: number;
  results: RenderResult[];
}

export const PARTS: readonly TemplatePart[] = ["subject", "html", "text"];

/**
 * Int32 [busy, job index, part index, the thread's id in /proc/self/task (0 where it has none)], then a
 * Float64 start time (ms since the epoch) of the current job.
 */
export const PROGRESS_BYTES = 24;

export class RenderProgress {
  private readonly ints: Int32Array;
  private readonly startedAt: Float64Array;
  constructor(readonly buffer: SharedArrayBuffer) {
    this.ints = new Int32Array(buffer, 0, 4);
    this.startedAt = new Float64Array(buffer, 16, 1);
  }

  /** Said once by the thread, before its first batch. */
  setThreadId(tid: number | null): void {
    Atomics.store(this.ints, 3, tid ?? 0);
  }

  get threadId(): number | null {
    return Atomics.load(this.ints, 3) || null;
  }

  start(job: number, at: number): void {
    Atomics.store(this.ints, 1, job);
    Atomics.store(this.ints, 2, 0);
    this.startedAt[0] = at;
    Atomics.store(this.ints, 0, 1);
  }

  part(part: TemplatePart): void {
    Atomics.store(this.ints, 2, PARTS.indexOf(part));
  }

  idle(): void {
    Atomics.store(this.ints, 0, 0);
  }

  /** The job under way and since when; null between batches. */
  current(): { job: number; part: TemplatePart; startedAt: number } | null {
    if (Atomics.load(this.ints, 0) !== 1) return null;
    return { job: Atomics.load(this.ints, 1), part: PARTS[Atomics.load(this.ints, 2)] ?? "subject", startedAt: this.startedAt[0]! };
  }
}
