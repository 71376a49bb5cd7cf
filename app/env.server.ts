// Environment, validated once at start-up: the app refuses to start with a clear message instead of
// failing later on the first request that needs a missing variable.
import { availableParallelism } from "node:os";
import { z } from "zod";
import { parseTrustedProxies } from "./tracking/client-address";
import { parseEncryptionKey } from "./shops/secrets.server";

/** The largest batch the worker claims (WORKER_BATCH_SIZE): tests/data/notifications.test.ts sends one of it on both databases. */
export const WORKER_BATCH_SIZE_MAX = 500;

const CREATE_KEY = "32 random bytes, base64 or hex; create one with `openssl rand -base64 32`";
const encryptionKey = z
  .string({ required_error: `is required (it encrypts the shops' SendGrid keys): ${CREATE_KEY}` })
  .refine((text) => parseEncryptionKey(text) !== null, `must be ${CREATE_KEY}`);

const schema = z.object({
  NODE_ENV: z.string().default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().default("file:./prisma/dev.sqlite"),
  SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id from the Partner Dashboard)"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret; it signs webhooks)"),
  SHOPIFY_APP_URL: z.string().url("must be the app's public https URL"),
  // Encrypts the shops' own SendGrid keys at rest. A rotation keeps the old key here for reading until
  // `npm run rotate-encryption-key` has re-encrypted every value (README, "Rotating ENCRYPTION_KEY").
  ENCRYPTION_KEY: encryptionKey,
  ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .refine((text) => text.split(",").every((key) => key.trim() === "" || parseEncryptionKey(key) !== null), `must be earlier keys, comma-separated, each ${CREATE_KEY}`)
    .optional(),
  SCOPES: z.string().default("read_orders,read_fulfillments,read_customers,read_merchant_managed_fulfillment_orders,read_assigned_fulfillment_orders,read_returns,read_products,read_translations"),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  SENDGRID_API_KEY: z.string().optional(),
  SENDGRID_BASE_URL: z.string().url().default("https://api.sendgrid.com"),
  // SendGrid's Event Webhook verification key (Mail Settings → Signed Event Webhook), base64 DER or PEM.
  // Without it /webhooks/sendgrid refuses every event: unsigned events are never accepted.
  SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().optional(),
  MAIL_FROM_EMAIL: z.string().email().default("notifications@parcelwise.app"),
  MAIL_FROM_NAME: z.string().default("Parcelwise"),
  // Request bodies above this many bytes are refused with 413 before they are read (app/http/body-limit.server.ts).
  // 4 MiB: Shopify's largest orders (hundreds of line items, with their fulfillments) stay near 1 MB.
  MAX_BODY_BYTES: z.coerce.number().int().min(65_536).default(4 * 1024 * 1024),
  // `npm start` (app/server.ts): with the worker on, the first process runs it and WEB_CONCURRENCY forked
  // processes serve HTTP; WORKER=off with WEB_CONCURRENCY=1 is one process serving HTTP alone.
  WORKER: z.enum(["on", "off"]).default("on"),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  // The niceness the primary's worker runs at once its one web process is forked (Linux; 0 leaves it as it
  // is): on one machine, webhooks answer first and the worker records and sends with the CPU left.
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  WORKER_POLL_MS: z.coerce.number().int().min(10).default(1000),
  HISTORY_POLL_MS: z.coerce.number().int().min(10).default(10_000),
  // How often the worker asks the Admin API for orders updated since the last sync (webhooks Shopify gave up on).
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(15 * 60_000),
  // How often the worker reads the products of newly recorded orders for the feedback request's links.
  PRODUCTS_POLL_MS: z.coerce.number().int().min(10).default(30_000),
  // Notifications claimed per batch, mails in flight at once, and how long a claim lasts before
  // another worker may take the row over (a worker that died mid-send). At most WORKER_BATCH_SIZE_MAX:
  // 200 and 500 sent as fast as each other (BENCH_ONLY=mail, alternating), and a batch is held whole in memory.
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(WORKER_BATCH_SIZE_MAX).default(200),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(128).default(16),
  WORKER_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
  // The app's own reverse proxies and load balancers (addresses, CIDR ranges): X-Forwarded-For is read
  // only past these, so a client cannot choose the address its tracking lookups are counted under.
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((list, context) => {
      try {
        parseTrustedProxies(list);
      } catch (error) {
        context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      }
    }),
  // Counts the tracking lookup's attempts in Redis instead of the app's database.
  REDIS_URL: z.string().url().optional(),
  // How long a tracking link in a mail opens the order without an email (a slow parcel takes months).
  TRACKING_LINK_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  // A signed SendGrid event batch older (or further ahead) than this is refused as a replay.
  SENDGRID_EVENT_MAX_AGE_SECONDS: z.coerce.number().int().min(10).default(600),
  // Templates render on worker threads, off the event loop: threads per pool (one pool for the editor's
  // previews, one for the worker's mail), and how long one render may take before its thread is stopped.
  RENDER_THREADS: z.coerce.number().int().min(1).max(32).default(Math.max(1, Math.min(2, availableParallelism()))),
  RENDER_PREVIEW_LIMIT_MS: z.coerce.number().int().min(50).default(2000),
  RENDER_MAIL_LIMIT_MS: z.coerce.number().int().min(50).default(2000),
  // The mail pool's threads run at this niceness (Linux; 0 = the process's own): under load, the CPU
  // goes to answering webhooks first, and mail renders in what is left.
  RENDER_MAIL_NICE: z.coerce.number().int().min(0).max(19).default(10),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // "off": every estimate comes from the carrier registry and the lane model is neither read nor updated.
  LANE_LEARNING: z.enum(["on", "off"]).default("on"),
  // Development and test only: answers Admin API calls from a local stand-in instead of Shopify.
  SHOPIFY_ADMIN_API_STANDIN: z.string().url().optional(),
});

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const env = validated(schema, source);
  if (env.SHOPIFY_ADMIN_API_STANDIN && env.NODE_ENV === "production") {
    throw new Error("Parcelwise cannot start: SHOPIFY_ADMIN_API_STANDIN is for development and tests, not production");
  }
  return env;
}

function validated<T extends z.ZodTypeAny>(shape: T, source: Record<string, string | undefined>): z.infer<T> {
  // An empty variable means unset, as in a shell's `VAR= command`.
  const result = shape.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== "")));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Parcelwise cannot start; fix these environment variables:\n${problems.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  return (cached ??= parseEnv(process.env));
}

/** The render pools' settings alone: tools and tests that render set no Shopify variables. */
export function renderSettings(): Pick<Env, "RENDER_THREADS" | "RENDER_PREVIEW_LIMIT_MS" | "RENDER_MAIL_LIMIT_MS" | "RENDER_MAIL_NICE"> {
  return validated(schema.pick({ RENDER_THREADS: true, RENDER_PREVIEW_LIMIT_MS: true, RENDER_MAIL_LIMIT_MS: true, RENDER_MAIL_NICE: true }), process.env);
}

/** What `npm run rotate-encryption-key` needs: the keys (and the app secret, for values sealed before ENCRYPTION_KEY). */
export function encryptionEnv(source: Record<string, string | undefined> = process.env) {
  return validated(schema.pick({ ENCRYPTION_KEY: true, ENCRYPTION_KEY_PREVIOUS: true }).extend({ SHOPIFY_API_SECRET: z.string().optional() }), source);
}

/** DATABASE_URL alone: the one Prisma client is created on import, also by tools and tests that set no Shopify variables. */
export function databaseUrl(): string {
  return validated(schema.pick({ DATABASE_URL: true }), process.env).DATABASE_URL;
}

let laneLearningSeen: { raw: string | undefined; on: boolean } | undefined;
/** LANE_LEARNING alone, read where shipments are recorded (also by tools and tests without Shopify variables). */
export function laneLearningOn(): boolean {
  const raw = process.env.LANE_LEARNING;
  // Re-validated only when the variable changes: the record path asks once per shipment.
  if (!laneLearningSeen || laneLearningSeen.raw !== raw) laneLearningSeen = { raw, on: validated(schema.pick({ LANE_LEARNING: true }), process.env).LANE_LEARNING === "on" };
  return laneLearningSeen.on;
}
