// CSS inlining. Mail clients drop <style>, so a merchant's <style> block is inlined into style attributes
// with juice. Liquid is set aside as placeholders first so juice's HTML parser cannot touch it; if any
// placeholder does not come back exactly once and in order, there is no inlined text.
import juice from "juice";

/** What juice is asked to do with a template's CSS (render-once.test.ts inlines after rendering with the same). */
export const JUICE_OPTIONS = {
  removeStyleTags: true,
  preserveMediaQueries: true,
  preserveFontFaces: true,
  preserveKeyFrames: true,
  preservePseudos: true,
  insertPreservedExtraCss: true,
  xmlMode: false,
} as const;

const STYLE_BLOCK = /<style[\s>]/i;
const LIQUID_CHUNK =
  /\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}|\{%-?\s*comment\s*-?%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
// juice's work grows with rules × elements (1,000 × 4,000 takes seconds); beyond this
// product the template is sent as written rather than stalling the process.
const INLINE_WORK_LIMIT = 250_000;
// Lower case letters and digits only: valid as text, attribute value, attribute name
// (htmlparser2 lower-cases those) and CSS value.
const PLACEHOLDER = /pwlq(\d+)x(?:="")?/gi;

/** Where a Liquid chunk ended up in the inlined text, to report positions in the original. */
interface MovedChunk {
  at: number; // offset in the inlined text
  from: number; // offset in the original text
  length: number;
}

export interface Inlined {
  text: string;
  chunks: MovedChunk[];
}

/** The HTML with its <style> inlined, or null when there is nothing to inline or it cannot be done safely. */
export function inlineCss(source: string): Inlined | null {
  if (!STYLE_BLOCK.test(source) || /pwlq\d+x/i.test(source)) return null;
  let rules = 0;
  for (const [, css] of source.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) rules += css.split("{").length - 1;
  const elements = source.split(/<[a-z]/i).length - 1;
  if (rules * elements > INLINE_WORK_LIMIT) return null;
  const originals: { text: string; from: number }[] = [];
  const masked = source.replace(LIQUID_CHUNK, (chunk: string, offset: number) => {
    originals.push({ text: chunk, from: offset });
    return `pwlq${originals.length - 1}x`;
  });
  let juiced: string;
  try {
    juiced = juice(masked, JUICE_OPTIONS);
  } catch {
    return null;
  }
  const chunks: MovedChunk[] = [];
  let text = "";
  let last = 0;
  let next = 0;
  for (const match of juiced.matchAll(PLACEHOLDER)) {
    const index = Number(match[1]);
    if (index !== next) return null; // dropped, duplicated or reordered
    const original = originals[index];
    text += juiced.slice(last, match.index);
    chunks.push({ at: text.length, from: original.from, length: original.text.length });
    text += original.text;
    last = match.index + match[0].length;
    next++;
  }
  if (next !== originals.length) return null;
  return { text: text + juiced.slice(last), chunks };
}

/** 1-based [line, column] in `source` of `offset` in the inlined text, when it falls inside Liquid. */
export function originalPosition(inlined: Inlined, source: string, offset: number): [number, number] | null {
  const chunk = inlined.chunks.find((c) => offset >= c.at && offset < c.at + c.length);
  if (!chunk) return null;
  const before = source.slice(0, chunk.from + (offset - chunk.at));
  const line = before.split("\n").length;
  return [line, before.length - before.lastIndexOf("\n")];
}
