// The rows a batch of deliveries touches, held in memory for the length of one transaction, behind the
// part of Prisma's transaction client that recording and planning use. The batch loads what it will
// touch with one query per table, the existing per-delivery code (recordOrder, recordShipment,
// refreshShipment, the lane model's update, replanOrder) then runs against these rows unchanged, one
// delivery after another, and flush writes what changed back in a few multi-row statements
// (app/db/rows.server.ts). A lookup the loads did not cover is read through the real transaction, so a
// miss costs a statement, never a wrong answer; a call outside the shapes implemented here throws (the
// batch then falls back to recording its deliveries one at a time). The store remembers each row as it
// was read and each lookup it answered, so the batch can read and plan before its write transaction and,
// inside it, check that those lookups still find the same rows (unchanged) before writing its plan.
import type { Prisma } from "@prisma/client";
import { modelOf, newRow, oneStatement, rowStatements, rowVersions, selectRows, type Lookup, type Model, type Row, type Session, type Statement } from "~/db/rows.server";
import type { DecayedHistogram, LaneModel, LaneStats } from "~/lanes/lane-model";
import { groupBy } from "~/group-by";
import { modelOfStats, replayLaneChanges, statsOf, type LaneCache, type LaneChange, type LaneRows } from "~/lanes/store.server";

type Tx = Prisma.TransactionClient;
type Data = Record<string, unknown>;

class Unsupported extends Error {
  constructor(what: string) {
    super(`the batch store does not implement ${what}`);
  }
}

function only(where: unknown, keys: readonly string[], what: string): Record<string, unknown> {
  if (!where || typeof where !== "object") throw new Unsupported(what);
  const fields = where as Record<string, unknown>;
  for (const key of Object.keys(fields)) if (!keys.includes(key)) throw new Unsupported(`${what} where ${key}`);
  for (const key of keys) if (fields[key] === undefined) throw new Unsupported(`${what} without ${key}`);
  return fields;
}

function scalar(value: unknown, what: string): string {
  if (typeof value !== "string") throw new Unsupported(`${what}: a non-string key`);
  return value;
}

function project<T extends Row>(row: T, select: unknown): Data {
  if (!select) return { ...row };
  const out: Data = {};
  for (const [key, on] of Object.entries(select as Record<string, unknown>)) {
    if (on !== true) throw new Unsupported(`select ${key}`);
    out[key] = row[key];
  }
  return out;
}

/** The data of a create or update: plain values only (no increments, no relations). */
function plain(data: unknown, what: string): Data {
  const out: Data = {};
  for (const [key, value] of Object.entries((data ?? {}) as Data)) {
    if (value === undefined) continue;
    if (value !== null && typeof value === "object" && !(value instanceof Date)) throw new Unsupported(`${what} of ${key} as an operation`);
    out[key] = value;
  }
  return out;
}

/**
 * One table's rows: by id, plus an index per looked-up column (`${shop}|${column}|${value}` → ids) and
 * the lookups known complete (every row matching was loaded, or it is known there is none).
 */
class Table {
  readonly model: Model;
  readonly rows = new Map<string, Row>();
  /** id → "new", or the columns changed since the row was loaded. */
  readonly dirty = new Map<string, "new" | Set<string>>();
  private readonly index = new Map<string, Set<string>>();
  readonly covered = new Set<string>();
  /** Each row's version as the database gave it (before this batch changed it), by primary key (rows.server.ts rowVersions). */
  readonly versions = new Map<string, string>();
  /** The lookups that loaded rows: `${scope}|${column}` → scope, column and the values asked for. */
  private readonly lookups = new Map<string, { scope: string; column: string; values: string[] }>();
  private readonly updatedAt: string | undefined;

  constructor(
    name: string,
    private readonly scope: string,
    private readonly indexed: readonly string[],
    /** The column the database query is scoped by (null: the table is its own scope, as Shop is). */
    readonly scopeColumn: string | null = "shop",
  ) {
    this.model = modelOf(name);
    this.updatedAt = this.model.fields.find((f) => f.isUpdatedAt)?.name;
  }

  /** A row's primary key: its id, or Shop's domain. */
  idOf(row: Row): string {
    return String(row[this.model.key]);
  }

  key(scope: unknown, column: string, value: unknown): string {
    return `${String(scope)}|${column}|${String(value)}`;
  }

  private link(row: Row, on: boolean) {
    for (const column of this.indexed) {
      const key = this.key(row[this.scope], column, row[column]);
      let ids = this.index.get(key);
      if (!ids) this.index.set(key, (ids = new Set()));
      if (on) ids.add(this.idOf(row));
      else ids.delete(this.idOf(row));
    }
  }

  /** Rows read from the database; a row already held (perhaps changed since) stays as held. */
  load(rows: readonly Row[]) {
    for (const row of rows) {
      if (this.rows.has(this.idOf(row))) continue;
      this.rows.set(this.idOf(row), row);
      this.link(row, true);
    }
  }

  /** The keys of the rows read from the database in `scope` (not those the batch created). */
  heldIn(scope: string): string[] {
    const out: string[] = [];
    for (const [id, row] of this.rows) if (row[this.scope] === scope && this.versions.has(id)) out.push(id);
    return out;
  }

  /** Notes a lookup the database answered (its rows are loaded). */
  looked(scope: string, column: string, values: readonly string[]) {
    const key = `${scope}|${column}`;
    let lookup = this.lookups.get(key);
    if (!lookup) this.lookups.set(key, (lookup = { scope, column, values: [] }));
    for (const v of values) {
      lookup.values.push(v);
      this.covered.add(this.key(scope, column, v));
    }
  }

  /** The lookups made, for rowVersions. */
  made(): Lookup[] {
    return [...this.lookups.values()].map(({ scope, column, values }) => ({ model: this.model.name, scope: this.scopeColumn ? [this.scopeColumn, scope] : null, column, values }));
  }

  /** True when `found` (every row the lookups find now) are exactly the rows read, at the versions read. */
  same(found: ReadonlyArray<{ id: string; version: string }>): boolean {
    const seen = new Set<string>();
    for (const { id, version } of found) {
      if (this.versions.get(id) !== version) return false;
      seen.add(id);
    }
    return seen.size === this.versions.size;
  }

  find(scope: string, column: string, value: unknown): Row[] {
    const ids = this.index.get(this.key(scope, column, value));
    return ids ? [...ids].map((id) => this.rows.get(id)!) : [];
  }

  create(data: Data): Row {
    const row = newRow(this.model, data);
    const id = this.idOf(row);
    if (this.rows.has(id)) throw new Error(`${this.model.name} ${id} exists`);
    this.rows.set(id, row);
    this.link(row, true);
    this.dirty.set(id, "new");
    return row;
  }

  update(row: Row, data: Data): Row {
    // The indexes change only when an indexed (or the scope's) column does.
    const relink = Object.keys(data).some((column) => column === this.scope || this.indexed.includes(column));
    if (relink) this.link(row, false);
    const changed = this.dirty.get(this.idOf(row));
    const columns = changed === "new" ? null : (changed ?? new Set<string>());
    for (const [column, value] of Object.entries(data)) {
      if (!this.model.fields.some((f) => f.name === column) || column === this.model.key) throw new Unsupported(`${this.model.name}.${column}`);
      row[column] = value;
      columns?.add(column);
    }
    if (this.updatedAt) {
      row[this.updatedAt] = new Date();
      columns?.add(this.updatedAt);
    }
    if (relink) this.link(row, true);
    if (columns) this.dirty.set(this.idOf(row), columns);
    return row;
  }

  /** The changed rows as statements' worth: the new ones, then the updated ones grouped by the columns they change. */
  changes(): Array<{ rows: Row[]; update?: string[] }> {
    const inserts: Row[] = [];
    const groups = new Map<string, { rows: Row[]; update: string[] }>();
    for (const [id, change] of this.dirty) {
      const row = this.rows.get(id)!;
      if (change === "new") {
        inserts.push(row);
        continue;
      }
      const update = [...change].sort();
      const key = update.join(",");
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { rows: [], update }));
      group.rows.push(row);
    }
    return [...(inserts.length ? [{ rows: inserts }] : []), ...groups.values()];
  }
}

/** Shop-scoped lookups on a unique (shop, shopifyId) key. */
function uniqueKey(where: unknown, what: string): { shop: string; shopifyId: string } {
  const { shop_shopifyId } = only(where, ["shop_shopifyId"], what) as { shop_shopifyId: unknown };
  const key = only(shop_shopifyId, ["shop", "shopifyId"], what);
  return { shop: scalar(key.shop, what), shopifyId: scalar(key.shopifyId, what) };
}

export interface LaneRowWrite {
  levelId: string;
  stats: string;
}

/**
 * The batch's rows and the transaction-client surface over them. `postgres` mirrors the real client's
 * dialect (the lane model's update asks); `heldLaneLocks` are the shops whose lane lock the batch took.
 */
export class BatchStore {
  readonly shops = new Table("Shop", "domain", ["domain"], null);
  readonly orders = new Table("Order", "shop", ["shopifyId", "emailKey"]);
  readonly shipments = new Table("Shipment", "shop", ["shopifyId", "orderShopifyId"]);
  readonly events = new Table("TrackingEvent", "shop", ["shopifyId", "fulfillmentShopifyId"]);
  readonly notifications = new Table("Notification", "shop", ["orderShopifyId", "id"]);
  readonly suppressions = new Table("Suppression", "shop", ["email"]);
  laneStats = new Table("LaneStat", "shop", ["levelId"]);
  /** The lane model's changes, in the order the deliveries made them, per shop (replayed on newer rows: replayLanes). */
  readonly laneChanges = new Map<string, LaneChange[]>();
  /** Statements run on the real transaction (loads the batch did not foresee included). */
  statements = 0;
  /** The lane rows' stats, parsed once per batch (`${shop}|${levelId}`), and those changed since (see LaneCache). */
  private readonly laneStatsHeld = new Map<string, LaneStats | DecayedHistogram>();
  private readonly lanesChanged = new Map<string, { shop: string; levelId: string }>();

  /** The lane model's rows for the per-delivery code, held parsed (app/lanes/store.server.ts LaneCache). */
  readonly laneCache: LaneCache = {
    rows: async (shop, levelIds): Promise<LaneRows> => {
      await this.cover(this.laneStats, shop, "levelId", levelIds);
      const entries: Array<[string, LaneStats | DecayedHistogram]> = [];
      for (const levelId of levelIds) {
        const key = `${shop}|${levelId}`;
        let stats = this.laneStatsHeld.get(key);
        if (!stats) {
          const [row] = this.laneStats.find(shop, "levelId", levelId);
          if (!row) continue;
          this.laneStatsHeld.set(key, (stats = JSON.parse(row.stats as string) as LaneStats | DecayedHistogram));
        }
        entries.push([levelId, stats]);
      }
      return { shop, model: modelOfStats(entries), stored: new Map(), asked: new Set(levelIds) };
    },
    changed: (shop, levelIds, model) => {
      for (const levelId of levelIds) {
        const stats = statsOf(model, levelId);
        if (!stats) continue;
        const key = `${shop}|${levelId}`;
        this.laneStatsHeld.set(key, stats);
        this.lanesChanged.set(key, { shop, levelId });
      }
    },
  };

  /** The changed lane stats into their rows (once per batch, after its deliveries ran), where their JSON changed. */
  settleLanes(): void {
    for (const [key, { shop, levelId }] of this.lanesChanged) {
      const stats = JSON.stringify(this.laneStatsHeld.get(key));
      const [row] = this.laneStats.find(shop, "levelId", levelId);
      if (!row) this.laneStats.create({ shop, levelId, stats });
      else if (row.stats !== stats) this.laneStats.update(row, { stats });
    }
    this.lanesChanged.clear();
  }

  /**
   * `session`: where reads go (and, at flush, the writes); a batch that reads and plans before its write
   * transaction points it at that transaction before checking and flushing.
   */
  constructor(
    public session: Session,
    readonly heldLaneLocks: ReadonlySet<string>,
  ) {}

  /** Reads through to the database the rows matching `where` on `column` that are not yet covered. */
  async cover(table: Table, scope: string, column: string, values: readonly string[]): Promise<void> {
    const missing = [...new Set(values)].filter((v) => !table.covered.has(table.key(scope, column, v)));
    if (missing.length === 0) return;
    this.statements++;
    const versions = new Map<string, string>();
    // The rows of the scope held already (perhaps changed since) are not read again; their versions are known.
    const held = table.scopeColumn ? table.heldIn(scope) : [];
    table.load(await selectRows(this.session, table.model.name, table.scopeColumn ? [table.scopeColumn, scope] : null, column, missing, versions, held));
    // A row read again keeps the version of its first read (what the batch's plan started from).
    for (const [id, version] of versions) if (!table.versions.has(id)) table.versions.set(id, version);
    table.looked(scope, column, missing);
  }

  /**
   * Whether the rows the batch read are still as it read them, in one statement in the session's
   * transaction: `rows` for every table but the lane model's, `lanes` for that one. When they are, what
   * the batch planned from them is what planning now would give.
   */
  async unchanged(): Promise<{ rows: boolean; lanes: boolean }> {
    const tables = [this.shops, this.orders, this.shipments, this.events, this.notifications, this.suppressions, this.laneStats];
    const lookups = tables.flatMap((table) => table.made());
    if (lookups.length === 0) return { rows: true, lanes: true };
    this.statements++;
    const found = groupBy(await rowVersions(this.session, lookups), (row) => row.model);
    const same = (table: Table) => table.same(found.get(table.model.name) ?? []);
    return { rows: tables.slice(0, -1).every(same), lanes: same(this.laneStats) };
  }

  /**
   * The lane model's changes again, in order, on the shop's lane rows as they are now (another worker
   * taught the model in between): the rows to write become those the replay changes.
   */
  async replayLanes(): Promise<void> {
    const fresh = new Table("LaneStat", "shop", ["levelId"]);
    for (const [shop, changes] of this.laneChanges) {
      const levelIds = [...new Set(changes.flatMap((c) => c.levelIds))];
      this.statements++;
      const current = await selectRows(this.session, "LaneStat", ["shop", shop], "levelId", levelIds);
      fresh.load(current);
      for (const { levelId, stats } of replayLaneChanges(current as never as { levelId: string; stats: string }[], changes)) {
        const [row] = fresh.find(shop, "levelId", levelId);
        if (row) fresh.update(row, { stats });
        else fresh.create({ shop, levelId, stats });
      }
    }
    this.laneStats = fresh;
    this.built = null;
  }

  async rowsBy(table: Table, scope: string, column: string, value: string): Promise<Row[]> {
    await this.cover(table, scope, column, [value]);
    return table.find(scope, column, value);
  }

  /** The transaction client the per-delivery code is handed. */
  client(): Tx {
    return clientOver(this);
  }

  /** Writes every change back: per table, one statement for the new rows and one per set of changed columns. */
  async flush(): Promise<number> {
    const statements = this.writes();
    for (const { sql, params } of statements) await this.session.run(sql, params);
    this.statements += statements.length;
    return statements.length;
  }

  /**
   * flush's statements as the rows stand now. A batch that planned before its write transaction builds
   * them then (flush reuses them while no row changes: see replayLanes), so the transaction only runs them.
   */
  writes(): Statement[] {
    if (this.built) return this.built;
    const out: Statement[] = [];
    for (const table of [this.orders, this.shipments, this.events, this.laneStats, this.notifications]) {
      for (const change of table.changes()) {
        // LaneStat rows meet on their (shop, levelId) key, as the per-delivery write does.
        const options = table === this.laneStats ? { update: change.update ?? ["stats", "updatedAt"], conflict: ["shop", "levelId"] } : change.update ? { update: change.update } : {};
        out.push(...rowStatements(this.session.postgres, table.model.name, change.rows, options));
      }
    }
    // PostgreSQL: the writes as one statement (one round trip); they touch distinct rows (see oneStatement).
    return (this.built = this.session.postgres && out.length > 1 ? [oneStatement(out)] : out);
  }

  /** The statements writes() built, until a row changes (only replayLanes changes rows after them). */
  private built: Statement[] | null = null;
}

/** The part of Prisma's transaction client the per-delivery code uses, over the store's rows. */
function clientOver(store: BatchStore): Tx {
  const byShopifyId = (table: Table) => async (where: unknown, what: string) => {
    const { shop, shopifyId } = uniqueKey(where, what);
    return (await store.rowsBy(table, shop, "shopifyId", shopifyId))[0] ?? null;
  };
  const order = byShopifyId(store.orders);
  const shipment = byShopifyId(store.shipments);
  const event = byShopifyId(store.events);
  const scoped = (where: unknown, column: string, what: string) => {
    const fields = only(where, ["shop", column], what);
    return { shop: scalar(fields.shop, what), value: scalar(fields[column], what) };
  };
  /** A shop-scoped lookup on one value of `column`, or on a list of them (`{ in: [...] }`). */
  const scopedMany = (where: unknown, column: string, what: string) => {
    const fields = only(where, ["shop", column], what);
    const given = fields[column];
    const list = given !== null && typeof given === "object" && !(given instanceof Date) ? (only(given, ["in"], what).in as unknown) : [given];
    if (!Array.isArray(list)) throw new Unsupported(`${what} where ${column}`);
    return { shop: scalar(fields.shop, what), values: [...new Set(list.map((v) => scalar(v, what)))] };
  };
  const rowsIn = async (table: Table, where: unknown, column: string, what: string) => {
    const { shop, values } = scopedMany(where, column, what);
    await store.cover(table, shop, column, values);
    return values.flatMap((value) => table.find(shop, column, value));
  };
  const noOrder = (args: { orderBy?: unknown }, what: string) => {
    if (args.orderBy !== undefined) throw new Unsupported(`${what} orderBy`);
  };

  const client = {
    // The dialect, as app/db/dialect.ts reads it off a Prisma client.
    _activeProvider: store.session.postgres ? "postgresql" : "sqlite",
    shop: {
      async findUnique(args: { where: unknown; select?: unknown }) {
        const domain = scalar(only(args.where, ["domain"], "shop.findUnique").domain, "shop.findUnique");
        const row = (await store.rowsBy(store.shops, domain, "domain", domain))[0];
        return row ? project(row, args.select) : null;
      },
    },
    order: {
      async findUnique(args: { where: unknown; select?: unknown }) {
        const row = await order(args.where, "order.findUnique");
        return row ? project(row, args.select) : null;
      },
      /** The buyer's orders (the feedback rules' once-per-buyer look), by their emailKey. */
      async findMany(args: { where: unknown; select?: unknown; orderBy?: unknown }) {
        noOrder(args, "order.findMany");
        return (await rowsIn(store.orders, args.where, "emailKey", "order.findMany")).map((row) => project(row, args.select));
      },
      async create(args: { data: unknown; select?: unknown }) {
        const data = plain(args.data, "order.create");
        const existing = await order({ shop_shopifyId: { shop: data.shop, shopifyId: data.shopifyId } }, "order.create");
        if (existing) throw new Error("Unique constraint failed on Order (shop, shopifyId)");
        return project(store.orders.create(data), args.select);
      },
      async update(args: { where: unknown; data: unknown; select?: unknown }) {
        const row = await order(args.where, "order.update");
        if (!row) throw new Error("Order to update not found");
        return project(store.orders.update(row, plain(args.data, "order.update")), args.select);
      },
    },
    shipment: {
      async findUnique(args: { where: unknown; select?: unknown }) {
        const row = await shipment(args.where, "shipment.findUnique");
        return row ? project(row, args.select) : null;
      },
      async findMany(args: { where: unknown; select?: unknown; orderBy?: unknown }) {
        noOrder(args, "shipment.findMany");
        return (await rowsIn(store.shipments, args.where, "orderShopifyId", "shipment.findMany")).map((row) => project(row, args.select));
      },
      async upsert(args: { where: unknown; create: unknown; update: unknown; select?: unknown }) {
        const row = await shipment(args.where, "shipment.upsert");
        const result = row ? store.shipments.update(row, plain(args.update, "shipment.upsert")) : store.shipments.create(plain(args.create, "shipment.upsert"));
        return project(result, args.select);
      },
      async update(args: { where: unknown; data: unknown; select?: unknown }) {
        const id = scalar(only(args.where, ["id"], "shipment.update").id, "shipment.update");
        const row = store.shipments.rows.get(id);
        if (!row) throw new Unsupported("shipment.update of a row not read in the batch");
        return project(store.shipments.update(row, plain(args.data, "shipment.update")), args.select);
      },
    },
    trackingEvent: {
      async findUnique(args: { where: unknown; select?: unknown }) {
        const row = await event(args.where, "trackingEvent.findUnique");
        return row ? project(row, args.select) : null;
      },
      async create(args: { data: unknown; select?: unknown }) {
        const data = plain(args.data, "trackingEvent.create");
        if (await event({ shop_shopifyId: { shop: data.shop, shopifyId: data.shopifyId } }, "trackingEvent.create")) throw new Error("Unique constraint failed on TrackingEvent (shop, shopifyId)");
        return project(store.events.create(data), args.select);
      },
      async findMany(args: { where: unknown; select?: unknown; orderBy?: unknown }) {
        const { shop, value } = scoped(args.where, "fulfillmentShopifyId", "trackingEvent.findMany");
        const order = args.orderBy as { happenedAt?: unknown } | undefined;
        if (order !== undefined && (Object.keys(order).length !== 1 || order.happenedAt !== "asc")) throw new Unsupported("trackingEvent.findMany orderBy");
        const rows = await store.rowsBy(store.events, shop, "fulfillmentShopifyId", value);
        if (order) rows.sort((a, b) => (a.happenedAt as Date).getTime() - (b.happenedAt as Date).getTime());
        return rows.map((row) => project(row, args.select));
      },
    },
    notification: {
      async findMany(args: { where: unknown; select?: unknown; orderBy?: unknown }) {
        noOrder(args, "notification.findMany");
        return (await rowsIn(store.notifications, args.where, "orderShopifyId", "notification.findMany")).map((row) => project(row, args.select));
      },
      async create(args: { data: unknown; select?: unknown }) {
        const data = plain(args.data, "notification.create");
        const planKey = data.planKey;
        const clash = (await store.rowsBy(store.notifications, scalar(data.shop, "notification.create"), "orderShopifyId", scalar(data.orderShopifyId, "notification.create"))).some(
          (n) => n.planKey === planKey,
        );
        if (clash) throw new Error("Unique constraint failed on Notification (shop, planKey)");
        return project(store.notifications.create(data), args.select);
      },
      async update(args: { where: unknown; data: unknown; select?: unknown }) {
        const id = scalar(only(args.where, ["id"], "notification.update").id, "notification.update");
        const row = store.notifications.rows.get(id);
        if (!row) throw new Unsupported("notification.update of a row not read in the batch");
        return project(store.notifications.update(row, plain(args.data, "notification.update")), args.select);
      },
      async updateMany(args: { where: unknown; data: unknown }) {
        const where = only(args.where, ["id", "status"], "notification.updateMany") as { id: unknown; status: unknown };
        const ids = (where.id as { in?: unknown } | null)?.in;
        if (!Array.isArray(ids) || typeof where.status !== "string" || Object.keys(where.id as object).length !== 1) throw new Unsupported("notification.updateMany where");
        const data = plain(args.data, "notification.updateMany");
        let count = 0;
        for (const id of ids as string[]) {
          const row = store.notifications.rows.get(id);
          if (!row) throw new Unsupported("notification.updateMany of a row not read in the batch");
          if (row.status !== where.status) continue;
          store.notifications.update(row, data);
          count++;
        }
        return { count };
      },
    },
    suppression: {
      async count(args: { where: unknown }) {
        const { shop, value } = scoped(args.where, "email", "suppression.count");
        return (await store.rowsBy(store.suppressions, shop, "email", value)).length;
      },
    },
    laneStat: {
      async findMany(args: { where: unknown; select?: unknown; orderBy?: unknown }) {
        noOrder(args, "laneStat.findMany");
        const fields = only(args.where, ["shop", "levelId"], "laneStat.findMany");
        const shop = scalar(fields.shop, "laneStat.findMany");
        const ids = (fields.levelId as { in?: unknown } | null)?.in;
        if (!Array.isArray(ids)) throw new Unsupported("laneStat.findMany where levelId");
        await store.cover(store.laneStats, shop, "levelId", ids as string[]);
        return (ids as string[]).flatMap((id) => store.laneStats.find(shop, "levelId", id)).map((row) => project(row, args.select));
      },
    },
    /** The lane model's lock (PostgreSQL): the batch took it for the shop before loading its rows. */
    async $executeRaw(strings: TemplateStringsArray, ...values: unknown[]) {
      const key = values[0];
      if (strings.join("?").includes("pg_advisory_xact_lock") && typeof key === "string" && key.startsWith("lanes/") && store.heldLaneLocks.has(key.slice("lanes/".length))) return 0;
      throw new Unsupported("raw statements");
    },
    async $executeRawUnsafe() {
      throw new Unsupported("raw statements");
    },
    laneCache: store.laneCache,
    /** The lane model's change (app/lanes/store.server.ts), noted before it is applied, to be replayed if need be. */
    noteLaneChange(shop: string, levelIds: readonly string[], change: (model: LaneModel) => void) {
      let changes = store.laneChanges.get(shop);
      if (!changes) store.laneChanges.set(shop, (changes = []));
      changes.push({ levelIds, change });
    },
    /** The lane model's write (app/lanes/store.server.ts), into the held rows. */
    async writeLaneRows(shop: string, rows: readonly LaneRowWrite[]) {
      for (const { levelId, stats } of rows) {
        const [row] = store.laneStats.find(shop, "levelId", levelId);
        if (row) store.laneStats.update(row, { stats });
        else store.laneStats.create({ shop, levelId, stats });
      }
    },
  };
  return client as unknown as Tx;
}
