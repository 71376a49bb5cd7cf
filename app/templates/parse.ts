// Parsed templates, memoised by their text. HTML and plain parses differ: output escaping is compiled
// in, and HTML has its <style> inlined, once per template text here, never per render.
import { LRUCache } from "lru-cache";
import type { Template } from "liquidjs";
import { inlineCss, originalPosition } from "./css-inline";
import { engineFor } from "./engine";
import { toTemplateError, type TemplatePart } from "./template-error";

const CACHE_SIZE = 500;

export interface Parsed {
  templates: Template[];
  /** Maps an error position in what was parsed back to the merchant's text. */
  position?: (offset: number) => [number, number] | null;
}

const parseCache = new LRUCache<string, Parsed>({ max: CACHE_SIZE });

/** Parses one part, memoised by its text; throws TemplateError. */
export function parseTemplate(part: TemplatePart, text: string): Parsed {
  const key = `${part === "html" ? "h" : "p"}:${text}`;
  const cached = parseCache.get(key);
  if (cached) return cached;
  let parsed: Parsed;
  try {
    // The original first: syntax errors are reported against what the merchant wrote.
    parsed = { templates: engineFor(part).parse(text) };
  } catch (err) {
    throw toTemplateError(part, err);
  }
  const inlined = part === "html" ? inlineCss(text) : null;
  if (inlined) {
    try {
      parsed = { templates: engineFor("html").parse(inlined.text), position: (offset) => originalPosition(inlined, text, offset) };
    } catch {
      // keep the original parse
    }
  }
  parseCache.set(key, parsed);
  return parsed;
}
