// What went wrong in a merchant's template, in the part and at the line the editor shows.
import { LiquidError } from "liquidjs";

export type TemplatePart = "subject" | "html" | "text";

export class TemplateError extends Error {
  override name = "TemplateError";
  constructor(
    public part: TemplatePart,
    /** 1-based; null when the error has no position (limits, timeout). */
    public line: number | null,
    message: string,
    public column: number | null = null,
  ) {
    super(message);
  }
}

function cleanMessage(err: { message: string }): string {
  const message = err.message.replace(/(, file:\S+)?, line:\d+, col:\d+$/, "");
  const fileTag = /^tag "(include|render|layout)" not found$/.exec(message);
  if (fileTag) return `{% ${fileTag[1]} %} is not available in message templates`;
  return message;
}

/** Any error from parsing or rendering `part` as a TemplateError; `position` maps an offset back to the merchant's text. */
export function toTemplateError(
  part: TemplatePart,
  err: unknown,
  position?: (offset: number) => [number, number] | null,
): TemplateError {
  if (err instanceof TemplateError) return err;
  if (LiquidError.is(err)) {
    const [line, column] = !err.token ? [null, null] : position ? (position(err.token.begin) ?? [null, null]) : err.token.getPosition();
    return new TemplateError(part, line, cleanMessage(err), column);
  }
  return new TemplateError(part, null, err instanceof Error ? cleanMessage(err) : String(err));
}
