import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { shipmentsCsv, syntheticShipments } from "~/lanes/synthetic-shipments";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const run = promisify(execFile);
const backtest = (...args: string[]) => run(join(root, "node_modules", ".bin", "tsx"), [join(root, "app", "lanes", "backtest-cli.ts"), ...args], { cwd: root });

function fixture(): string {
  const shipments = syntheticShipments(
    [{ carrier: "Royal Mail", origin: "GB", destination: "FR", parcels: 60, medianDays: 4, sigma: 0.3, promiseDays: 9 }],
    { seed: 3, start: new Date("2025-05-05T00:00:00Z"), days: 60 },
  );
  const lines = shipmentsCsv(shipments).trimEnd().split("\n");
  // Lines 5, 9 and 12 go bad: an unparsable date, delivered before shipped, no carrier.
  lines[4] = lines[4]!.replace(/,2025-[^,]+,(2025-[^,]+),/, ",yesterday,$1,");
  lines[8] = "bad-order,Royal Mail,GB,,FR,,,2025-05-20T10:00:00Z,2025-05-19T10:00:00Z,";
  lines[11] = "no-carrier,,GB,,FR,,,2025-05-20T10:00:00Z,2025-05-22T10:00:00Z,";
  const file = join(mkdtempSync(join(tmpdir(), "backtest-")), "shipments.csv");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

const figures = { coverage: expect.any(Number), meanDays: expect.any(Number), medianDays: expect.any(Number), midpointMaeDays: expect.any(Number) };

describe("npm run backtest", () => {
  const file = fixture();

  it("--json prints one JSON object with the issue's shape and the skipped lines", async () => {
    const { stdout } = await backtest(file, "--json", "--coverage", "0.8");
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      rows: 57,
      skipped: 3,
      skippedLines: [5, 9, 12],
      coverageTarget: 0.8,
      learned: figures,
      registry: figures,
      promised: figures,
      halves: [
        { learned: figures, registry: figures, promised: figures },
        { learned: figures, registry: figures, promised: figures },
      ],
      lanes: [{ lane: "royal_mail GB→FR", rows: 57, learned: figures, registry: figures, promised: figures }],
    });
  });

  it("prints tables, and the skipped lines on stderr", async () => {
    const { stdout, stderr } = await backtest(file);
    expect(stdout).toContain("| all (57) | learned |");
    expect(stdout).toContain("| royal_mail GB→FR (57) | registry |");
    expect(stderr).toContain("skipped 3 bad row(s)");
    expect(stderr).toContain("line(s) 5, 9, 12");
  });

  it("refuses a coverage that is not a share", async () => {
    await expect(backtest(file, "--coverage", "90")).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("--coverage must be a share") });
  });
});
