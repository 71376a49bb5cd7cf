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
import type { Client as LibsqlClient } from "@libsql/client";
import Database from "libsql";
import pg from "pg";
import { driverOf, sqliteFileOf, sqliteUrlOf, type Db } from "~/db.server";
import { isPostgres } from "./dialect";
import { forgetPrepared, preparedFor } from "./prepared.server";

type Raw = Pick<Prisma.TransactionClient, "$executeRawUnsafe" | "$queryRawUnsafe">;
export type Row = Record<string, unknown> & { id: string };

/** One transaction's statements, on the database's own driver (or through Prisma where there is none). */
export interface Session {
  readonly postgres: boolean;
  run(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

let statements = 0;
/** Statements the sessions of this process have run (the benchmark's and the cost test's count). */
export const statementsRun = (): number => statements;

function libsqlSession(connection: LibsqlClient): Session {
  return {
    postgres: false,
    async run(sql, params) {
      statements++;
      const result = await connection.execute({ sql, args: params as never });
      return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])));
    },
  };
}

function pgSession(client: pg.PoolClient): Session {
  return {
    postgres: true,
    async run(sql, params) {
      statements++;
      return (await client.query(sql, params as unknown[])).rows as Record<string, unknown>[];
    },
  };
}

function pgPoolSession(pool: pg.Pool): Session {
  return {
    postgres: true,
    async run(sql, params) {
      statements++;
      return (await pool.query(sql, params as unknown[])).rows as Record<string, unknown>[];
    },
  };
}

/** Statements through Prisma's raw queries in its transaction `tx` (the fallback; the contract test runs both). */
export function prismaSession(tx: Raw): Session {
  return {
    postgres: isPostgres(tx),
    async run(sql, params) {
      statements++;
      if (/^\s*(SELECT|UPDATE)|RETURNING/i.test(sql)) return tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params);
      await tx.$executeRawUnsafe(sql, ...params);
      return [];
    },
  };
}

// PostgreSQL: a small pool per database beside Prisma's. A timestamp column (without time zone, as
// Prisma declares them) holds UTC: read it as UTC whatever the process's time zone.
const TIMESTAMP_OID = 1114;
const pools = new Map<string, pg.Pool>();
function poolFor(url: string): pg.Pool {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({
      connectionString: url,
      max: 4,
      idleTimeoutMillis: 5_000,
      allowExitOnIdle: true,
      types: { getTypeParser: ((oid: number, format?: string) => (oid === TIMESTAMP_OID ? (text: string) => new Date(`${text.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format as never))) as typeof pg.types.getTypeParser },
    });
    // An idle connection the server ends (a dropped test database, a restart) must not end the process.
    pool.on("error", () => {});
    pools.set(url, pool);
  }
  return pool;
}

export interface TransactionOptions {
  maxWait?: number;
  timeout?: number;
  /**
   * The work needs no transaction around its statements (reads that need no snapshot across them, or
   * one statement, atomic on its own): on PostgreSQL, where every statement of a READ COMMITTED
   * transaction takes its own snapshot anyway and a plain SELECT takes no lock, they run on a pooled
   * connection each committing on its own (statements run at once go on several connections), without
   * the BEGIN and COMMIT round trips. SQLite: a
   * transaction as ever (it holds the connection's lock across the work).
   */
  autocommit?: boolean;
  /**
   * The work only reads. SQLite: on a reader connection of the process's own (one per database file), in
   * a read transaction, a snapshot of what is committed: in WAL mode a reader never takes the write lock,
   * where a Prisma transaction begins as a writer (app/db/libsql-connection.server.ts) and would keep the
   * web process's inserts waiting for as long as the reads take. PostgreSQL: as without it.
   */
  readOnly?: boolean;
}

// The reader connections, by database URL, each running one read transaction at a time. On the libsql
// driver itself, not @libsql/client: the client builds each row as an object of two properties a column
// (by index and by name, each defined on its own), which made a batch's reads three times as slow as the
// statements; here a row comes as an array and is made the plain object a Session returns.
interface Reader {
  connection: Promise<Database.Database>;
  queue: Promise<unknown>;
}
const readers = new Map<string, Reader>();

function readerFor(db: Db): Reader | null {
  const url = sqliteUrlOf(db);
  if (!url) return null;
  let reader = readers.get(url);
  if (!reader) {
    const connection = sqliteFileOf(db).then((file) => {
      const own = new Database(file);
      // A read transaction waits only while a checkpoint resets the WAL (or another process recovers it).
      own.pragma("busy_timeout = 5000");
      return own;
    });
    reader = { connection, queue: connection };
    readers.set(url, reader);
    connection.catch(() => readers.delete(url));
  }
  return reader;
}

/** `work` in a read transaction on the database's reader connection, after the reads queued before it. */
function onReader<T>(reader: Reader, work: (session: Session) => Promise<T>): Promise<T> {
  const run = reader.queue.then(async () => {
    const connection = await reader.connection;
    connection.exec("BEGIN DEFERRED");
    try {
      return await work(readerSession(connection));
    } finally {
      try {
        connection.exec("COMMIT");
      } catch {
        if (connection.inTransaction) connection.exec("ROLLBACK");
      }
    }
  });
  reader.queue = run.catch(() => undefined);
  return run;
}

function readerSession(connection: Database.Database): Session {
  return {
    postgres: false,
    async run(sql, params) {
      statements++;
      const entry = preparedFor(connection, sql);
      try {
        const args = params.map(readerArg);
        if (!entry.columns) {
          entry.statement.run(args);
          return [];
        }
        const columns = entry.columns;
        return (entry.statement.all(args) as unknown[][]).map((values) => {
          const row: Record<string, unknown> = {};
          for (let i = 0; i < columns.length; i++) row[columns[i]!] = readerValue(values[i]);
          return row;
        });
      } catch (error) {
        forgetPrepared(connection);
        throw error;
      }
    },
  };
}

/** A parameter as @libsql/client passes it to the driver. */
function readerArg(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
  return value;
}

/** A value as @libsql/client returns it by default: an integer as a number, refused where one would lose digits. */
function readerValue(value: unknown): unknown {
  if (typeof value !== "bigint") return value;
  if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("Received integer which cannot be safely represented as a JavaScript number");
  return Number(value);
}

/**
 * Runs `work` in one transaction on the database's own driver. SQLite: inside a Prisma transaction,
 * whose adapter holds the one shared connection (and its lock) for the transaction's whole life, so
 * the raw statements run in it and no other statement of this process slips in between. PostgreSQL: on
 * a connection of this module's pool. A client createDb did not make: through Prisma's raw queries.
 */
export async function inTransaction<T>(db: Db, work: (session: Session) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const driver = driverOf(db);
  if (driver && "postgresUrl" in driver) {
    const pool = poolFor(driver.postgresUrl);
    // Each statement on whichever pooled connection is free: statements the work runs at once run at once.
    if (options.autocommit) return work(pgPoolSession(pool));
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(pgSession(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
  if (options.readOnly) {
    const reader = readerFor(db);
    if (reader) return onReader(reader, work);
  }
  const { autocommit: _, readOnly: __, ...prisma } = options;
  return db.$transaction(async (tx) => {
    const connection = driverOf(db);
    return work(connection && "sqlite" in connection ? libsqlSession(connection.sqlite) : prismaSession(tx as Raw));
  }, prisma);
}

interface Field {
  name: string;
  type: string;
  kind: string;
  isRequired: boolean;
  isUpdatedAt: boolean;
  isId: boolean;
  default?: unknown;
}

export interface Model {
  name: string;
  fields: Field[];
  /** The primary key's column ("id", or Shop's "domain"). */
  key: string;
}

// The generated client's runtime data model names each model's columns and types but not their
// defaults or nullability: those come from the schema the client was generated from, kept beside it.
const schemaText = readFileSync(join(dirname(createRequire(import.meta.url).resolve("@prisma/client")), "..", "..", ".prisma", "client", "schema.prisma"), "utf8");

/** Each scalar column's optionality and default, by model, from the schema text. */
type SchemaColumn = { isRequired: boolean; isUpdatedAt: boolean; isId: boolean; default?: unknown };
function columnsInSchema(text: string): Map<string, Map<string, SchemaColumn>> {
  const out = new Map<string, Map<string, SchemaColumn>>();
  let current: Map<string, SchemaColumn> | null = null;
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
    current.set(name!, { isRequired: optional !== "?", isUpdatedAt: /@updatedAt/.test(rest!), isId: /@id\b/.test(rest!), default: fallback });
  }
  return out;
}

const inSchema = columnsInSchema(schemaText);
const runtime = (Prisma as unknown as { dmmf: { datamodel: { models: Array<{ name: string; fields: Array<{ name: string; kind: string; type: string }> }> } } }).dmmf;
const models = new Map<string, Model>(
  runtime.datamodel.models.map((m) => {
    const fields = m.fields
      .filter((f) => f.kind === "scalar" || f.kind === "enum")
      .map((f) => {
        const column = inSchema.get(m.name)?.get(f.name);
        if (!column) throw new Error(`${m.name}.${f.name} is not in the generated schema`);
        return { name: f.name, type: f.type, kind: f.kind, ...column };
      });
    return [m.name, { name: m.name, fields, key: fields.find((f) => f.isId)?.name ?? "id" }];
  }),
);

export function modelOf(name: string): Model {
  const model = models.get(name);
  if (!model) throw new Error(`no model ${name}`);
  return model;
}

// A process-wide random prefix and a counter: unique without asking the random source for every row.
const PREFIX = randomBytes(6).toString("hex").slice(0, 8);
let counter = 0;
/** An id in the shape of Prisma's cuid(): "c", the time, a counter and this process's randomness (only uniqueness matters). */
export function newId(): string {
  counter = (counter + 1) % 2_176_782_336;
  return `c${Date.now().toString(36)}${counter.toString(36).padStart(6, "0")}${PREFIX}`;
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
  if (field.type === "DateTime") return postgres ? (value as Date).toISOString() : sqliteDate(value as Date);
  if (field.type === "Boolean" && !postgres) return value ? 1 : 0;
  return value;
}

/** A row as a driver returned it, as Prisma would: Dates, booleans and numbers by column type. */
export function decodeRow(model: Model, raw: Record<string, unknown>): Row {
  const row: Record<string, unknown> = {};
  for (const field of model.fields) {
    const value = raw[field.name];
    if (value === null || value === undefined) row[field.name] = null;
    else if (field.type === "DateTime") row[field.name] = value instanceof Date ? value : new Date(String(value));
    else if (field.type === "Boolean") row[field.name] = value === true || value === 1 || value === 1n || value === "1" || value === "true";
    else if (field.type === "Int" || field.type === "Float") row[field.name] = Number(value);
    else row[field.name] = value;
  }
  return row as Row;
}

/**
 * A row's version: an expression over the row `t` that stays the same between two reads only while the
 * row is unchanged. PostgreSQL: the row version's xmin, the transaction that wrote it (every UPDATE
 * writes a new row version, so any write changes it, even one that leaves every value as it was; a
 * row deleted and inserted again is another transaction's), which costs nothing to read, where a
 * digest of the row's text had the server format and hash every column of every row read twice a
 * batch. SQLite: the row as a JSON array, typed values and all, which SQLite builds several times
 * faster than quoting and joining the columns.
 */
function versionOf(model: Model, postgres: boolean): string {
  if (postgres) return `t.xmin::text`;
  const columns = model.fields.map((f) => (f.type === "Bytes" ? `hex(t."${f.name}")` : `t."${f.name}"`));
  return `json_array(${columns.join(", ")})`;
}

/**
 * The WHERE of a lookup on `column` (scoped by `scope` when given), its placeholders numbered from
 * `first`, and its parameters. PostgreSQL: the values as one text[] parameter (= ANY), which the server
 * binds far faster than one placeholder a value; SQLite: one placeholder a value.
 */
function lookupWhere(postgres: boolean, scope: readonly [string, string] | null, column: string, values: readonly string[], first: number): { sql: string; params: unknown[] } {
  const scoped = scope ? `t."${scope[0]}" = ${postgres ? `$${first}::text` : "?"} AND ` : "";
  const head = scope ? [scope[1]] : [];
  if (postgres) return { sql: `${scoped}t."${column}" = ANY($${first + head.length}::text[])`, params: [...head, [...values]] };
  return { sql: `${scoped}t."${column}" IN (${values.map(() => "?").join(", ")})`, params: [...head, ...values] };
}

/**
 * The rows of `modelName` whose `column` is one of `values` (and, with `scope`, whose scope column has
 * that value: every query scoped by shop), in one statement per few thousand values. With `versions`,
 * each row's version (see rowVersions) is put there by id; the rows whose key is in `except` are left out.
 */
export async function selectRows(
  session: Session,
  modelName: string,
  scope: readonly [string, string] | null,
  column: string,
  values: readonly string[],
  versions?: Map<string, string>,
  except: readonly string[] = [],
): Promise<Row[]> {
  const model = modelOf(modelName);
  const out: Row[] = [];
  const version = versions ? `, ${versionOf(model, session.postgres)} AS "__version"` : "";
  // Rows the caller holds already: left out (a few thousand at most: beyond that, read again).
  const skip = except.length <= 5_000 ? except : [];
  for (let start = 0; start < values.length; start += 5_000) {
    const chunk = values.slice(start, start + 5_000);
    const lookup = lookupWhere(session.postgres, scope, column, chunk, 1);
    const first = lookup.params.length + 1;
    let where = lookup.sql;
    const params = lookup.params;
    if (skip.length && session.postgres) {
      where += ` AND t."${model.key}" <> ALL($${first}::text[])`;
      params.push([...skip]);
    } else if (skip.length) {
      where += ` AND t."${model.key}" NOT IN (${skip.map(() => "?").join(", ")})`;
      params.push(...skip);
    }
    const rows = await session.run(`SELECT t.*${version} FROM "${model.name}" AS t WHERE ${where}`, params);
    for (const raw of rows) {
      const row = decodeRow(model, raw);
      versions?.set(String(raw[model.key]), String(raw.__version));
      out.push(row);
    }
  }
  return out;
}

export interface Lookup {
  model: string;
  scope: readonly [string, string] | null;
  column: string;
  values: readonly string[];
}

/**
 * The id and version of every row the lookups find now, in as few statements as the parameter limits
 * allow (one, for a batch's worth): what a reader compares with the versions selectRows gave it to
 * know that nothing it read has changed, been deleted or been added since.
 */
export async function rowVersions(session: Session, lookups: readonly Lookup[]): Promise<Array<{ model: string; id: string; version: string }>> {
  const out: Array<{ model: string; id: string; version: string }> = [];
  let parts: string[] = [];
  let params: unknown[] = [];
  const run = async () => {
    if (parts.length === 0) return;
    for (const raw of await session.run(parts.join(" UNION ALL "), params)) out.push({ model: String(raw.model), id: String(raw.id), version: String(raw.version) });
    parts = [];
    params = [];
  };
  for (const lookup of lookups) {
    const model = modelOf(lookup.model);
    for (let start = 0; start < lookup.values.length; start += 5_000) {
      const chunk = lookup.values.slice(start, start + 5_000);
      if (params.length + chunk.length + 1 > MAX_PARAMS) await run();
      const where = lookupWhere(session.postgres, lookup.scope, lookup.column, chunk, params.length + 1);
      parts.push(`SELECT '${model.name}' AS "model", t."${model.key}" AS "id", ${versionOf(model, session.postgres)} AS "version" FROM "${model.name}" AS t WHERE ${where.sql}`);
      params.push(...where.params);
    }
  }
  await run();
  return out;
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
  /** The unique key a conflict is on; default the id. Empty, with `update` empty: any unique key (ON CONFLICT DO NOTHING). */
  conflict?: readonly string[];
  /** Columns each inserted row returns (RETURNING); on a conflict left alone, that row returns nothing. */
  returning?: readonly string[];
}

/**
 * Writes whole rows, as many to a statement as the parameter limits allow: INSERT … VALUES (…), (…),
 * and with `update`, ON CONFLICT (key) DO UPDATE SET those columns (the rest of an existing row stays
 * as it is). Returns the statements run.
 */
export async function writeRows(session: Session, modelName: string, rows: readonly Row[], options: WriteRows = {}): Promise<number> {
  const statements = rowStatements(session.postgres, modelName, rows, options);
  for (const { sql, params } of statements) await session.run(sql, params);
  return statements.length;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/** writeRows's statements, built ahead (a caller can build them before its transaction and run them in it). */
export function rowStatements(postgres: boolean, modelName: string, rows: readonly Row[], options: WriteRows = {}): Statement[] {
  if (rows.length === 0) return [];
  const model = modelOf(modelName);
  const fields = model.fields;
  const columns = fields.map((f) => `"${f.name}"`).join(", ");
  const conflict = (options.conflict ?? ["id"]).map((c) => `"${c}"`).join(", ");
  const excluded = postgres ? "EXCLUDED" : "excluded";
  const tail = options.update
    ? options.update.length
      ? ` ON CONFLICT (${conflict}) DO UPDATE SET ${options.update.map((c) => `"${c}" = ${excluded}."${c}"`).join(", ")}`
      : options.conflict?.length === 0
        ? " ON CONFLICT DO NOTHING"
        : ` ON CONFLICT (${conflict}) DO NOTHING`
    : "";
  const returning = options.returning?.length ? ` RETURNING ${options.returning.map((c) => `"${c}"`).join(", ")}` : "";
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / fields.length));
  const statements: Statement[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    if (postgres) {
      // One array a column, unnested into rows: a statement with as many parameters as the table has
      // columns, however many rows, which the server parses and binds far faster than one placeholder
      // a value (a batch's Notification insert had thousands).
      const params = fields.map((f) => chunk.map((row) => encode(f, row[f.name], true)));
      const arrays = fields.map((f, i) => `${placeholder(f, i + 1, true)}[]`).join(", ");
      statements.push({ sql: `INSERT INTO "${model.name}" (${columns}) SELECT * FROM unnest(${arrays})${tail}${returning}`, params });
      continue;
    }
    const params: unknown[] = [];
    const values = chunk.map((row) => `(${fields.map((f) => (params.push(encode(f, row[f.name], postgres)), placeholder(f, params.length, postgres))).join(", ")})`);
    statements.push({ sql: `INSERT INTO "${model.name}" (${columns}) VALUES ${values.join(", ")}${tail}${returning}`, params });
  }
  return statements;
}

/**
 * PostgreSQL: rowStatements' statements (several tables' and column sets' worth) as one, each a
 * data-modifying WITH of one statement, which PostgreSQL runs exactly once each, to completion: one
 * round trip instead of one a statement. They must touch distinct rows (as a batch's writes do: its
 * new rows, then its changed rows grouped by the columns they change), since the parts of one statement
 * do not see each other's rows. A single statement is returned as it is.
 */
export function oneStatement(statements: readonly Statement[]): Statement {
  if (statements.length === 1) return statements[0]!;
  const params: unknown[] = [];
  const parts = statements.map(({ sql, params: own }, i) => {
    const offset = params.length;
    params.push(...own);
    // rowStatements' SQL holds no literal: every $n is a placeholder.
    return `w${i} AS (${sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  return { sql: `WITH ${parts.join(", ")} SELECT 1 AS "written"`, params };
}

/**
 * Settles claimed inbox rows as processed, only those still under the lease `leaseUntil` (a lease that
 * ran out may have been taken over by another worker): one statement. Returns the ids it settled.
 */
export async function markReceiptsProcessed(session: Session, ids: readonly string[], leaseUntil: Date, now: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const postgres = session.postgres;
  const p = (i: number, type: string) => (postgres ? `$${i}::${type}` : "?");
  const date = (d: Date) => (postgres ? d.toISOString() : sqliteDate(d));
  const list = postgres ? `= ANY($3::text[])` : `IN (${ids.map(() => "?").join(", ")})`;
  const rows = await session.run(
    `UPDATE "WebhookReceipt" SET "status" = 'processed', "payload" = NULL, "processedAt" = ${p(1, "timestamp(3)")}, "leaseUntil" = NULL, "lastError" = NULL
     WHERE "status" = 'processing' AND "leaseUntil" = ${p(2, "timestamp(3)")} AND "id" ${list} RETURNING "id"`,
    [date(now), date(leaseUntil), ...(postgres ? [[...ids]] : ids)],
  );
  return new Set(rows.map((r) => String(r.id)));
}

/**
 * Leases up to `limit` deliveries that are due (pending and available, or processing with an expired
 * lease), oldest first, in one statement; returns their ids. PostgreSQL: FOR UPDATE SKIP LOCKED, so
 * concurrent workers take disjoint rows without waiting on each other. SQLite: one writer at a time,
 * the UPDATE … RETURNING is atomic.
 */
export async function leaseReceipts(session: Session, now: Date, limit: number, leaseUntil: Date): Promise<string[]> {
  const rows = session.postgres
    ? await session.run(
        `UPDATE "WebhookReceipt" SET "status" = 'processing', "leaseUntil" = $1::timestamp(3), "attempts" = "attempts" + 1
         WHERE "id" IN (
           SELECT "id" FROM "WebhookReceipt"
           WHERE ("status" = 'pending' AND "availableAt" <= $2::timestamp(3)) OR ("status" = 'processing' AND "leaseUntil" < $2::timestamp(3))
           ORDER BY "receivedAt" LIMIT $3::integer
           FOR UPDATE SKIP LOCKED
         )
         RETURNING "id"`,
        [leaseUntil.toISOString(), now.toISOString(), limit],
      )
    : await session.run(
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
        [sqliteDate(leaseUntil), sqliteDate(now), limit],
      );
  return rows.map((r) => String(r.id));
}

/**
 * leaseReceipts, returning the leased rows as they now are (every column, decoded as selectRows does).
 * PostgreSQL: the one UPDATE … RETURNING, a statement on its own (atomic without a transaction around
 * it); SQLite: leaseReceipts, then the rows read, in the caller's transaction.
 */
export async function leaseReceiptRows(session: Session, now: Date, limit: number, leaseUntil: Date): Promise<Row[]> {
  if (!session.postgres) {
    const ids = await leaseReceipts(session, now, limit, leaseUntil);
    return ids.length ? selectRows(session, "WebhookReceipt", null, "id", ids) : [];
  }
  const model = modelOf("WebhookReceipt");
  const rows = await session.run(
    `UPDATE "WebhookReceipt" AS t SET "status" = 'processing', "leaseUntil" = $1::timestamp(3), "attempts" = t."attempts" + 1
     WHERE t."id" IN (
       SELECT "id" FROM "WebhookReceipt"
       WHERE ("status" = 'pending' AND "availableAt" <= $2::timestamp(3)) OR ("status" = 'processing' AND "leaseUntil" < $2::timestamp(3))
       ORDER BY "receivedAt" LIMIT $3::integer
       FOR UPDATE SKIP LOCKED
     )
     RETURNING t.*`,
    [leaseUntil.toISOString(), now.toISOString(), limit],
  );
  return rows.map((raw) => decodeRow(model, raw));
}

/**
 * PostgreSQL: takes the transaction-scoped advisory locks `keys` (the same hashtextextended keys the
 * per-delivery path locks) in ascending order of their hash, in one statement, so two workers locking
 * overlapping sets never wait on each other in a circle. With `then`, a second set, each in ascending
 * order after every key of the first (as the per-delivery path takes an order's lock before a shop's
 * lane lock), in the same statement. SQLite has one writer: nothing to take.
 */
export async function lockInOrder(session: Session, keys: readonly string[], then: readonly string[] = []): Promise<void> {
  if (!session.postgres) return;
  const sets = [keys, then].map((set) => [...new Set(set)]).filter((set) => set.length > 0);
  if (sets.length === 0) return;
  // One ordered subquery a set, appended in turn: the first set's locks are all taken before the second's.
  const ordered = sets.map((_, i) => `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(x, 0) AS k FROM unnest($${i + 1}::text[]) AS v(x) ORDER BY k) AS keys${i}`);
  await session.run(`SELECT count(*)::int AS "locked" FROM (${ordered.join(" UNION ALL ")}) AS taken`, sets);
}
