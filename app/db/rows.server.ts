// Multi-row statements for the record path, in the one place that knows how each database stores a
// column. Prisma writes one row per statement (about a millisecond each here); the inbox's batch writes
// hundreds of rows in a handful of statements instead. Statements run through the caller's Prisma
// transaction (so its locks and its connection are the ones in use), with values encoded as Prisma's
// own writes store them: on SQLite a DateTime is ISO text with "+00:00" and a Boolean 0 or 1; on
// PostgreSQL each value is cast to its column's type. The column list and defaults come from the
// generated client's data model, so a column added to the schema is written without touching this file.
// tests/data/rows.test.ts holds Prisma and this module to the same rows on both databases.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Prisma } from "@prisma/client";
import { isPostgres } from "./dialect";

type Raw = Pick<Prisma.TransactionClient, "$executeRawUnsafe" | "$queryRawUnsafe">;
export type Row = Record<string, unknown> & { id: string };

interface Field {
  name: string;
  type: string;
  kind: string;
  isRequired: boolean;
  isUpdatedAt: boolean;
  default?: unknown;
}

export interface Model {
  name: string;
  fields: Field[];
}

// The generated client's runtime data model names each model's columns and types but not their
// defaults or nullability: those come from the schema the client was generated from, kept beside it.
const schemaText = readFileSync(join(dirname(createRequire(import.meta.url).resolve("@prisma/client")), "..", "..", ".prisma", "client", "schema.prisma"), "utf8");

/** Each scalar column's optionality and default, by model, from the schema text. */
function columnsInSchema(text: string): Map<string, Map<string, { isRequired: boolean; isUpdatedAt: boolean; default?: unknown }>> {
  const out = new Map<string, Map<string, { isRequired: boolean; isUpdatedAt: boolean; default?: unknown }>>();
  let current: Map<string, { isRequired: boolean; isUpdatedAt: boolean; default?: unknown }> | null = null;
  for (const line of text.split("\n")) {
    const model = /^model\s+(\w+)\s*\{/.exec(line);
    if (model) {
      out.set(model[1]!, (current = new Map()));
      continue;
    }
    if (/^\}/.test(line)) current = null;
    const column = current && /^\s+(\w+)\s+(\w+)(\??)(.*)$/.exec(line);
    if (!current || !column) continue;
    const [, name, , optional, rest] = column;
    const raw = /@default\((.*?)\)(\s|$)/.exec(rest!)?.[1] ?? /@default\((\w+\(\))\)/.exec(rest!)?.[1];
    let fallback: unknown;
    if (raw !== undefined) {
      const call = /^(\w+)\(/.exec(raw);
      if (call) fallback = { name: call[1] };
      else if (raw.startsWith('"')) fallback = JSON.parse(raw) as string;
      else if (raw === "true" || raw === "false") fallback = raw === "true";
      else if (/^-?\d+(\.\d+)?$/.test(raw)) fallback = Number(raw);
      else fallback = raw; // an enum's value
    }
    current.set(name!, { isRequired: optional !== "?", isUpdatedAt: /@updatedAt/.test(rest!), default: fallback });
  }
  return out;
}

const inSchema = columnsInSchema(schemaText);
const runtime = (Prisma as unknown as { dmmf: { datamodel: { models: Array<{ name: string; fields: Array<{ name: string; kind: string; type: string }> }> } } }).dmmf;
const models = new Map<string, Model>(
  runtime.datamodel.models.map((m) => [
    m.name,
    {
      name: m.name,
      fields: m.fields
        .filter((f) => f.kind === "scalar" || f.kind === "enum")
        .map((f) => {
          const column = inSchema.get(m.name)?.get(f.name);
          if (!column) throw new Error(`${m.name}.${f.name} is not in the generated schema`);
          return { name: f.name, type: f.type, kind: f.kind, ...column };
        }),
    },
  ]),
);

export function modelOf(name: string): Model {
  const model = models.get(name);
  if (!model) throw new Error(`no model ${name}`);
  return model;
}

let counter = 0;
/** An id in the shape of Prisma's cuid(): "c", the time, a counter and randomness (only uniqueness matters). */
export function newId(): string {
  counter = (counter + 1) % 1_679_616;
  return `c${Date.now().toString(36)}${counter.toString(36).padStart(4, "0")}${randomBytes(6).toString("hex").slice(0, 8)}`;
}

/** A new row as Prisma's create would make it: the data given, each missing column its default or null. */
export function newRow(model: Model, data: Record<string, unknown>): Row {
  const row: Record<string, unknown> = {};
  const now = new Date();
  for (const field of model.fields) {
    const given = data[field.name];
    if (given !== undefined) {
      row[field.name] = given;
      continue;
    }
    const fallback = field.default;
    if (field.isUpdatedAt) row[field.name] = now;
    else if (fallback && typeof fallback === "object" && "name" in fallback) {
      const generator = (fallback as { name: string }).name;
      if (generator === "now") row[field.name] = now;
      else if (generator === "cuid" || generator === "uuid") row[field.name] = newId();
      else throw new Error(`${model.name}.${field.name}: default ${generator}() is not supported`);
    } else if (fallback !== undefined) row[field.name] = fallback;
    else if (field.isRequired) throw new Error(`${model.name}.${field.name} is required`);
    else row[field.name] = null;
  }
  for (const key of Object.keys(data)) if (!model.fields.some((f) => f.name === key)) throw new Error(`${model.name} has no column ${key}`);
  return row as Row;
}

/** Prisma stores SQLite DateTime values as this text; raw statements must compare and write the same. */
export const sqliteDate = (d: Date) => d.toISOString().replace("Z", "+00:00");

const PG_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Boolean: "boolean",
  DateTime: "timestamp(3)",
};

function encode(field: Field, value: unknown, postgres: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (postgres) return value;
  if (field.type === "DateTime") return sqliteDate(value as Date);
  if (field.type === "Boolean") return value ? 1 : 0;
  return value;
}

function placeholder(field: Field, index: number, postgres: boolean): string {
  if (!postgres) return "?";
  const type = field.kind === "enum" ? `"${field.type}"` : PG_TYPES[field.type];
  if (!type) throw new Error(`column type ${field.type} is not supported`);
  return `$${index}::${type}`;
}

// SQLite allows 32,766 parameters a statement, PostgreSQL 65,535: keep well under both.
const MAX_PARAMS = 30_000;

export interface WriteRows {
  /** Columns set on a conflict with an existing row; none: a plain INSERT (the rows are new). */
  update?: readonly string[];
  /** The unique key a conflict is on; default the id. */
  conflict?: readonly string[];
}

/**
 * Writes whole rows, as many to a statement as the parameter limits allow: INSERT … VALUES (…), (…),
 * and with `update`, ON CONFLICT (key) DO UPDATE SET those columns (the rest of an existing row stays
 * as it is). Returns the statements run.
 */
export async function writeRows(tx: Raw, modelName: string, rows: readonly Row[], options: WriteRows = {}): Promise<number> {
  if (rows.length === 0) return 0;
  const model = modelOf(modelName);
  const postgres = isPostgres(tx);
  const fields = model.fields;
  const columns = fields.map((f) => `"${f.name}"`).join(", ");
  const conflict = (options.conflict ?? ["id"]).map((c) => `"${c}"`).join(", ");
  const excluded = postgres ? "EXCLUDED" : "excluded";
  const tail = options.update
    ? options.update.length
      ? ` ON CONFLICT (${conflict}) DO UPDATE SET ${options.update.map((c) => `"${c}" = ${excluded}."${c}"`).join(", ")}`
      : ` ON CONFLICT (${conflict}) DO NOTHING`
    : "";
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / fields.length));
  let statements = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const values = chunk.map((row) => `(${fields.map((f) => (params.push(encode(f, row[f.name], postgres)), placeholder(f, params.length, postgres))).join(", ")})`);
    await tx.$executeRawUnsafe(`INSERT INTO "${model.name}" (${columns}) VALUES ${values.join(", ")}${tail}`, ...params);
    statements++;
  }
  return statements;
}

/**
 * Settles claimed inbox rows as processed, only those still under the lease `leaseUntil` (a lease that
 * ran out may have been taken over by another worker): one statement. Returns the ids it settled.
 */
export async function markReceiptsProcessed(tx: Raw, ids: readonly string[], leaseUntil: Date, now: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const postgres = isPostgres(tx);
  const p = (i: number, type: string) => (postgres ? `$${i}::${type}` : "?");
  const date = (d: Date) => (postgres ? d : sqliteDate(d));
  const list = ids.map((_, i) => p(i + 3, "text")).join(", ");
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "WebhookReceipt" SET "status" = 'processed', "payload" = NULL, "processedAt" = ${p(1, "timestamp(3)")}, "leaseUntil" = NULL, "lastError" = NULL
     WHERE "status" = 'processing' AND "leaseUntil" = ${p(2, "timestamp(3)")} AND "id" IN (${list}) RETURNING "id"`,
    date(now),
    date(leaseUntil),
    ...ids,
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Leases up to `limit` deliveries that are due (pending and available, or processing with an expired
 * lease), oldest first, in one statement; returns their ids. PostgreSQL: FOR UPDATE SKIP LOCKED, so
 * concurrent workers take disjoint rows without waiting on each other. SQLite: one writer at a time,
 * the UPDATE … RETURNING is atomic.
 */
export async function leaseReceipts(tx: Raw, now: Date, limit: number, leaseUntil: Date): Promise<string[]> {
  const postgres = isPostgres(tx);
  const rows = postgres
    ? await tx.$queryRawUnsafe<{ id: string }[]>(
        `UPDATE "WebhookReceipt" SET "status" = 'processing', "leaseUntil" = $1::timestamp(3), "attempts" = "attempts" + 1
         WHERE "id" IN (
           SELECT "id" FROM "WebhookReceipt"
           WHERE ("status" = 'pending' AND "availableAt" <= $2::timestamp(3)) OR ("status" = 'processing' AND "leaseUntil" < $2::timestamp(3))
           ORDER BY "receivedAt" LIMIT $3::integer
           FOR UPDATE SKIP LOCKED
         )
         RETURNING "id"`,
        leaseUntil,
        now,
        limit,
      )
    : await tx.$queryRawUnsafe<{ id: string }[]>(
        `UPDATE "WebhookReceipt" SET "status" = 'processing', "leaseUntil" = ?1, "attempts" = "attempts" + 1
         WHERE "id" IN (
           SELECT "id" FROM (
             SELECT * FROM (SELECT "id", "receivedAt" FROM "WebhookReceipt" WHERE "status" = 'pending' AND "availableAt" <= ?2 ORDER BY "receivedAt" LIMIT ?3)
             UNION ALL
             SELECT * FROM (SELECT "id", "receivedAt" FROM "WebhookReceipt" WHERE "status" = 'processing' AND "leaseUntil" < ?2 ORDER BY "receivedAt" LIMIT ?3)
           )
           ORDER BY "receivedAt" LIMIT ?3
         )
         RETURNING "id"`,
        sqliteDate(leaseUntil),
        sqliteDate(now),
        limit,
      );
  return rows.map((r) => r.id);
}

/**
 * PostgreSQL: takes the transaction-scoped advisory locks `keys` (the same hashtextextended keys the
 * per-delivery path locks) in ascending order of their hash, in one statement, so two workers locking
 * overlapping sets never wait on each other in a circle. SQLite has one writer: nothing to take.
 */
export async function lockInOrder(tx: Raw, keys: readonly string[]): Promise<void> {
  if (!isPostgres(tx) || keys.length === 0) return;
  const distinct = [...new Set(keys)];
  const values = distinct.map((_, i) => `($${i + 1}::text)`).join(", ");
  await tx.$queryRawUnsafe(
    `SELECT count(*)::int AS "locked" FROM (SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(x, 0) AS k FROM (VALUES ${values}) AS v(x) ORDER BY k) AS keys) AS taken`,
    ...distinct,
  );
}
