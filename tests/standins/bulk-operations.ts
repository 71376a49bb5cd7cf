// The Admin API stand-in's bulk operations: bulkOperationRunQuery starts one, each look at it
// (bulkOperation(id:) or currentBulkOperation) moves it along CREATED → RUNNING → COMPLETED with a
// growing objectCount, and the finished file is served as JSONL, as Shopify serves it, one object a
// line with nested connections' nodes on their own lines under __parentId. It can be told to fail or expire.

/** An order in Admin GraphQL shape; each fulfillment's `events` is a plain array here, flattened on output. */
export type HistoryOrder = Record<string, unknown> & {
  id: string;
  createdAt: string;
  fulfillments?: Array<Record<string, unknown> & { id: string; events?: Array<Record<string, unknown>> }>;
};

export interface BulkOperationsOptions {
  /** How many looks a running operation takes to complete. */
  looksToComplete: number;
  /** The next operation ends FAILED with this code (ACCESS_DENIED, INTERNAL_SERVER_ERROR, TIMEOUT) or EXPIRED. */
  outcome: "COMPLETED" | "EXPIRED" | { errorCode: string };
  /** Write every event line after every order line (Shopify does not promise children follow parents). */
  eventsLast: boolean;
  /** Bytes per chunk the file is written in, so readers meet lines split across chunks. */
  chunkBytes: number;
}

interface Operation {
  id: string;
  status: string;
  errorCode: string | null;
  query: string;
  createdAt: string;
  completedAt: string | null;
  looks: number;
  lines: string[];
  outcome: BulkOperationsOptions["outcome"];
}

export function createBulkOperations(baseUrl: () => string) {
  const history: HistoryOrder[] = [];
  const operations: Operation[] = [];
  const options: BulkOperationsOptions = { looksToComplete: 2, outcome: "COMPLETED", eventsLast: false, chunkBytes: 4096 };

  const view = (op: Operation) => {
    const done = op.status === "COMPLETED";
    const seen = op.status === "CREATED" ? 0 : done ? op.lines.length : Math.floor(op.lines.length / 2);
    return {
      id: op.id,
      status: op.status,
      errorCode: op.errorCode,
      objectCount: String(seen),
      rootObjectCount: String(op.lines.filter((line) => !line.includes('"__parentId"')).length),
      url: done && op.lines.length > 0 ? `${baseUrl()}/bulk/${encodeURIComponent(op.id.split("/").pop()!)}.jsonl` : null,
      partialDataUrl: null,
      createdAt: op.createdAt,
      completedAt: op.completedAt,
      query: op.query,
    };
  };

  const look = (op: Operation) => {
    if (["COMPLETED", "FAILED", "EXPIRED", "CANCELED"].includes(op.status)) return view(op);
    op.looks++;
    if (op.looks < options.looksToComplete) op.status = "RUNNING";
    else if (op.outcome === "COMPLETED") Object.assign(op, { status: "COMPLETED", completedAt: new Date().toISOString() });
    else if (op.outcome === "EXPIRED") op.status = "EXPIRED";
    else Object.assign(op, { status: "FAILED", errorCode: op.outcome.errorCode });
    return view(op);
  };

  return {
    history,
    operations,
    options,
    run(query: string) {
      const op: Operation = {
        id: `gid://shopify/BulkOperation/${1000 + operations.length}`,
        status: "CREATED",
        errorCode: null,
        query,
        createdAt: new Date().toISOString(),
        completedAt: null,
        looks: 0,
        lines: jsonlLines(history.filter((order) => matchesCreatedAt(query, order.createdAt)), options.eventsLast),
        outcome: options.outcome,
      };
      operations.push(op);
      return { bulkOperation: { id: op.id, status: op.status }, userErrors: [] };
    },
    look(id: string | null) {
      const op = id ? operations.find((o) => o.id === id) : operations.at(-1);
      return op ? look(op) : null;
    },
    /** The file of a completed operation, in chunks; null when there is none. */
    file(numericId: string): string[] | null {
      const op = operations.find((o) => o.id.endsWith(`/${numericId}`) && o.status === "COMPLETED");
      if (!op) return null;
      const text = op.lines.map((line) => `${line}\n`).join("");
      const chunks: string[] = [];
      for (let at = 0; at < text.length; at += options.chunkBytes) chunks.push(text.slice(at, at + options.chunkBytes));
      return chunks;
    },
  };
}
export type BulkOperations = ReturnType<typeof createBulkOperations>;

/** Orders flattened as Shopify writes them: events (a connection) become lines of their own. */
function jsonlLines(orders: HistoryOrder[], eventsLast: boolean): string[] {
  const orderLines: string[] = [];
  const eventLines: string[] = [];
  for (const order of orders) {
    const fulfillments = (order.fulfillments ?? []).map(({ events: _events, ...fulfillment }) => fulfillment);
    const own = (order.fulfillments ?? []).flatMap((f) => (f.events ?? []).map((event) => JSON.stringify({ ...event, __parentId: f.id })));
    orderLines.push(JSON.stringify({ ...order, fulfillments }));
    if (eventsLast) eventLines.push(...own);
    else orderLines.push(...own);
  }
  return [...orderLines, ...eventLines];
}

/** Honours the query's created_at:>='…' and created_at:<='…' filters, as Shopify's search does. */
function matchesCreatedAt(query: string, createdAt: string): boolean {
  const at = Date.parse(createdAt);
  const from = query.match(/created_at:>=\\?'([^'\\]+)\\?'/)?.[1];
  const to = query.match(/created_at:<=\\?'([^'\\]+)\\?'/)?.[1];
  return (!from || at >= Date.parse(from)) && (!to || at <= Date.parse(to));
}
