// Renders merchant-authored (untrusted) Liquid message templates.
import type { MessageVariables } from "~/templates/variables";
import { engineFor } from "./engine";
import { asText } from "./filter-handler";
import { parseTemplate, type Parsed } from "./parse";
import { setRenderMeta } from "./render-meta";
import { TemplateError, toTemplateError, type TemplatePart } from "./template-error";

export interface TemplateSource {
  subject: string;
  html: string;
  text: string;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

// The emitter does not charge memoryLimit, so cap the output itself; `.length` on a
// V8 rope is O(1), so checking it does not materialise a huge string.
const MAX_OUTPUT_CHARS = 1_000_000;

/**
 * A message's parts, parsed on first use and kept: the renders of a batch that share a template look
 * its parse up once, not once per mail (a lookup hashes the whole text). A part that does not parse is
 * not kept, so each render reports its error.
 */
export class ParsedSource {
  private readonly parsed: Partial<Record<TemplatePart, Parsed>> = {};
  constructor(readonly source: TemplateSource) {}

  part(part: TemplatePart): Parsed {
    return (this.parsed[part] ??= parseTemplate(part, this.source[part]));
  }
}

/** How a render is run (the render pool's threads use all three). */
export interface RenderOptions {
  /** Told each part as it starts (the render pool reports a runaway in the part it was stopped in). */
  onPart?: (part: TemplatePart) => void;
  /** The parse of the source shared with other renders of it. */
  parsed?: ParsedSource;
  /**
   * Whether liquidjs's own deadline applies (RENDER_LIMIT_MS per part, by the clock; default yes). The
   * render pool's threads turn it off: their pool stops a render by its CPU time instead, which does not
   * grow while a niced thread waits for a core (render-pool.server.ts).
   */
  clockDeadline?: boolean;
}

const NO_DEADLINE = { renderLimit: Infinity };

function renderPart(part: TemplatePart, parsedSource: ParsedSource, variables: MessageVariables, now: Date, clockDeadline: boolean): string {
  const { templates, position } = parsedSource.part(part);
  // Fresh top-level copy: increment/decrement write into the scope object.
  const scope: MessageVariables = { ...variables };
  setRenderMeta(scope, now);
  try {
    // Synchronous: our filters and tags never wait on anything, and a render that does not
    // interleave with others is both faster and measured alone by renderLimit, the
    // deadline liquidjs checks between nodes (the render timeout). An asynchronous render
    // would be charged for every other render sharing the event loop, so a busy worker
    // would fail innocent templates, while no timer could interrupt a busy one anyway.
    const output: unknown = engineFor(part).renderSync(templates, scope, clockDeadline ? undefined : NO_DEADLINE);
    const rendered = typeof output === "string" ? output : asText(output);
    if (rendered.length > MAX_OUTPUT_CHARS) {
      throw new TemplateError(part, null, `output exceeds ${MAX_OUTPUT_CHARS} characters`);
    }
    return rendered;
  } catch (err) {
    throw toTemplateError(part, err, position);
  }
}

/**
 * Renders all three parts at `now` (what `'now'` prints); rejects with a TemplateError naming the
 * failing part and line. (Asynchronous for callers' sake; the work itself is synchronous, see renderPart.)
 */
export async function renderMessage(
  source: TemplateSource,
  variables: MessageVariables,
  now: Date,
  { onPart, parsed = new ParsedSource(source), clockDeadline = true }: RenderOptions = {},
): Promise<RenderedMessage> {
  onPart?.("subject");
  // One line: a newline in a header would break (or inject into) the mail.
  const subject = renderPart("subject", parsed, variables, now, clockDeadline).replace(/\s+/g, " ").trim();
  onPart?.("html");
  const html = renderPart("html", parsed, variables, now, clockDeadline);
  onPart?.("text");
  const text = renderPart("text", parsed, variables, now, clockDeadline);
  return { subject, html, text };
}
