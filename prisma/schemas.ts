// Derives prisma/postgres/schema.prisma from prisma/schema.prisma, so both databases share one model
// definition. Only the datasource provider and the generated client's location differ.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const source = readFileSync(join(here, "schema.prisma"), "utf8");

export function derivePostgresSchema(sqliteSchema: string): string {
  const derived = sqliteSchema
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/url\s*=\s*"file:[^"]*"/, 'url      = "postgresql://localhost/parcelwise"')
    .replace(
      /engineType\s*=\s*"client"/,
      'engineType = "client"\n  output     = "../../node_modules/.prisma/postgres-client"',
    );
  return "// GENERATED from prisma/schema.prisma by prisma/schemas.ts: edit that file, not this one.\n" + derived;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(join(here, "postgres"), { recursive: true });
  writeFileSync(join(here, "postgres", "schema.prisma"), derivePostgresSchema(source));
}
