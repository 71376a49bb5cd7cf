// `npm run backtest -- <file.csv> [--coverage 0.9] [--json]`: replays past shipments and reports how
// often the learned, the registry's and the promised windows held.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { runBacktest } from "~/lanes/backtest";
import { readShipments } from "~/lanes/backtest-csv";
import { backtestJson, backtestText } from "~/lanes/backtest-report";
import { DEFAULT_COVERAGE } from "~/lanes/estimate-window";

const SKIPPED_LINES_SHOWN = 20;

function parseArgs(args: string[]): { file: string; coverage: number; json: boolean } {
  let file: string | undefined;
  let coverage = DEFAULT_COVERAGE;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--json") json = true;
    else if (arg === "--coverage" || arg.startsWith("--coverage=")) {
      coverage = Number(arg.includes("=") ? arg.slice("--coverage=".length) : args[++i]);
      if (!(coverage > 0 && coverage < 1)) throw new Error("--coverage must be a share between 0 and 1, e.g. 0.9");
    } else if (!arg.startsWith("--") && !file) file = arg;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!file) throw new Error("usage: npm run backtest -- <file.csv> [--coverage 0.9] [--json]");
  return { file, coverage, json };
}

async function main(): Promise<void> {
  const { file, coverage, json } = parseArgs(process.argv.slice(2));
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const { shipments, skippedLines } = await readShipments(lines);
  const result = runBacktest(shipments, { coverage });
  if (json) {
    process.stdout.write(`${JSON.stringify(backtestJson(result, skippedLines, coverage))}\n`);
    return;
  }
  if (skippedLines.length) {
    const shown = skippedLines.slice(0, SKIPPED_LINES_SHOWN).join(", ");
    const more = skippedLines.length > SKIPPED_LINES_SHOWN ? ", …" : "";
    process.stderr.write(`skipped ${skippedLines.length} bad row(s) (unparsable or missing fields, delivered before shipped) at line(s) ${shown}${more}\n`);
  }
  process.stdout.write(`${backtestText(result, coverage)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`backtest: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
