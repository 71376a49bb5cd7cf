// Environment, validated once at start-up: the app refuses to start with a clear message instead of
// failing later on the first request that needs a missing variable.
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.string().default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().default("file:./prisma/dev.sqlite"),
  SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id from the Partner Dashboard)"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret; it signs webhooks)"),
  SHOPIFY_APP_URL: z.string().url("must be the app's public https URL"),
  SCOPES: z.string().default("read_orders,read_fulfillments,read_customers,read_merchant_managed_fulfillment_orders,read_assigned_fulfillment_orders"),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  SENDGRID_API_KEY: z.string().optional(),
  SENDGRID_BASE_URL: z.string().url().default("https://api.sendgrid.com"),
  // SendGrid's Event Webhook verification key (Mail Settings → Signed Event Webhook), base64 DER or PEM.
  // Without it /webhooks/sendgrid refuses every event: unsigned events are never accepted.
  SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().optional(),
  MAIL_FROM_EMAIL: z.string().email().default("notifications@parcelwise.app"),
  MAIL_FROM_NAME: z.string().default("Parcelwise"),
  WORKER: z.enum(["on", "off"]).default("on"),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  WORKER_POLL_MS: z.coerce.number().int().min(10).default(1000),
  HISTORY_POLL_MS: z.coerce.number().int().min(10).default(10_000),
  // How often the worker asks the Admin API for orders updated since the last sync (webhooks Shopify gave up on).
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(15 * 60_000),
  // Notifications claimed per batch, mails in flight at once, and how long a claim lasts before
  // another worker may take the row over (a worker that died mid-send).
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(128).default(8),
  WORKER_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
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

/** DATABASE_URL alone: the one Prisma client is created on import, also by tools and tests that set no Shopify variables. */
export function databaseUrl(): string {
  return validated(schema.pick({ DATABASE_URL: true }), process.env).DATABASE_URL;
}
