// The Liquid engines for merchant-authored (untrusted) templates: no file access, bounded work.
import { Liquid, filters as builtinFilters } from "liquidjs";
import type { FilterImplOptions, LiquidOptions } from "liquidjs";
import type { TemplatePart } from "./template-error";
import { messageFilters } from "./filters";

const PARSE_LIMIT = 100_000; // characters per template part
// The render timeout, per part: a deadline on the clock liquidjs checks between template nodes (off on
// the render pool's threads, whose pool counts CPU time instead: render-pool.server.ts).
const RENDER_LIMIT_MS = 1_000;
const MEMORY_LIMIT = 10_000_000;

// Deny-all file system: nothing outside the template text can ever be read.
const noFs: NonNullable<LiquidOptions["fs"]> = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file) => {
    throw new Error(`file access is disabled (${file})`);
  },
  readFileSync: (file) => {
    throw new Error(`file access is disabled (${file})`);
  },
  resolve: (_dir, file) => file,
  contains: async () => false,
  containsSync: () => false,
};

const FILE_TAGS = ["include", "render", "layout"];

function createEngine(opts: { html: boolean; catchAllErrors?: boolean }): Liquid {
  const engine = new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    parseLimit: PARSE_LIMIT,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    fs: noFs,
    timezoneOffset: 0,
    locale: "en-US",
    catchAllErrors: opts.catchAllErrors ?? false,
    // escape_once, not escape: merchants used to Shopify write `{{ x | escape }}`, which
    // would otherwise be escaped twice. The output is still fully escaped.
    outputEscape: opts.html ? (builtinFilters.escape_once as (value: unknown) => string) : undefined,
  });
  // Without these tags, using one is a parse error the editor can show (and the fs above is a second wall).
  for (const tag of FILE_TAGS) delete engine.tags[tag];
  for (const [name, handler] of Object.entries(messageFilters)) {
    engine.registerFilter(name, handler as FilterImplOptions);
  }
  return engine;
}

const htmlEngine = createEngine({ html: true });
const plainEngine = createEngine({ html: false });

/** Parse-only, collects every error instead of stopping at the first. */
export const validationEngine = createEngine({ html: false, catchAllErrors: true });

/** The HTML part's output is escaped; the subject and text are not. */
export function engineFor(part: TemplatePart): Liquid {
  return part === "html" ? htmlEngine : plainEngine;
}
