// Where the tracking lookup's attempts are counted: Redis when REDIS_URL is set, else the app's own
// database (the RateLimitCounter table, on SQLite or PostgreSQL alike), through rate-limiter-flexible's
// stores. Both are shared by every process and instance, and keep each count until its window ends.
import { Redis } from "ioredis";
import { RateLimiterPrisma, RateLimiterRedis } from "rate-limiter-flexible";
import type { Db } from "~/db.server";
import { log } from "~/log.server";
import { trackingRateLimits, type RateLimitStore, type TrackingRateLimits } from "./rate-limit";

export function databaseStore(db: Db): RateLimitStore {
  // Expired rows are deleted every 5 minutes, an hour after their window ended.
  return (options) => new RateLimiterPrisma({ ...options, storeClient: db, tableName: "rateLimitCounter" });
}

export function redisStore(url: string): RateLimitStore {
  const client = new Redis(url, { maxRetriesPerRequest: 2 });
  // A lookup while Redis is away fails on its own; the client reconnects by itself.
  client.on("error", (error: Error) => log.warn("Redis for the tracking lookup's limits is unavailable", { error: error.message }));
  return (options) => new RateLimiterRedis({ ...options, storeClient: client });
}

let shared: TrackingRateLimits | undefined;
let sharedStore: RateLimitStore | undefined;

/** The one store every storefront limit of this process counts in (one Redis client at most). */
export function sharedRateLimitStore(db: Db, redisUrl: string | undefined): RateLimitStore {
  return (sharedStore ??= redisUrl ? redisStore(redisUrl) : databaseStore(db));
}

/** The limits the storefront routes count in, made once per process. */
export function sharedTrackingLimits(db: Db, redisUrl: string | undefined): TrackingRateLimits {
  return (shared ??= trackingRateLimits(sharedRateLimitStore(db, redisUrl)));
}
