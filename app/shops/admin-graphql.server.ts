// Admin GraphQL calls that respect Shopify's cost throttle: a THROTTLED answer waits for the bucket to
// refill (restoreRate points per second) and tries again, instead of failing the job that needed it.
export type GraphqlFunction = (
  query: string,
  options?: { variables?: Record<string, unknown> },
) => Promise<Response>;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface GraphqlBody<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }> | { message?: string };
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } };
}

export class AdminApiError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long to wait before `cost` points are available again. */
export function throttleWaitMs(cost: number, status: ThrottleStatus | undefined): number {
  if (!status) return 1000;
  const missing = Math.max(0, cost - status.currentlyAvailable);
  return Math.ceil((missing / Math.max(1, status.restoreRate)) * 1000);
}

export async function adminQuery<T>(
  graphql: GraphqlFunction,
  query: string,
  variables: Record<string, unknown> = {},
  {
    maxAttempts = 5,
    wait = sleep,
    onCost,
    onThrottled,
  }: {
    maxAttempts?: number;
    wait?: (ms: number) => Promise<unknown>;
    /** The answer's cost and the bucket after it, for callers that pace a long series of calls. */
    onCost?: (cost: { requestedQueryCost: number; throttleStatus: ThrottleStatus | undefined }) => void;
    /** Called before each wait-and-retry of a THROTTLED answer. */
    onThrottled?: () => void;
  } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let body: GraphqlBody<T>;
    try {
      const response = await graphql(query, { variables });
      body = (await response.json()) as GraphqlBody<T>;
    } catch (error) {
      // The library throws for GraphQL errors; a throttled answer carries the THROTTLED code.
      const text = error instanceof Error ? error.message : String(error);
      const body = (error as { body?: GraphqlBody<T> })?.body;
      if (/throttled/i.test(text) && attempt < maxAttempts) {
        onThrottled?.();
        await wait(throttleWaitMs(body?.extensions?.cost?.requestedQueryCost ?? 50, body?.extensions?.cost?.throttleStatus));
        continue;
      }
      throw new AdminApiError(`Admin API call failed: ${text}`);
    }
    const errors = Array.isArray(body.errors) ? body.errors : [];
    const throttled = errors.some((e) => e.extensions?.code === "THROTTLED");
    if (throttled && attempt < maxAttempts) {
      onThrottled?.();
      await wait(throttleWaitMs(body.extensions?.cost?.requestedQueryCost ?? 50, body.extensions?.cost?.throttleStatus));
      continue;
    }
    const cost = body.extensions?.cost;
    if (cost) onCost?.({ requestedQueryCost: cost.requestedQueryCost ?? 0, throttleStatus: cost.throttleStatus });
    if (errors.length || !body.data) {
      throw new AdminApiError(`Admin API call failed: ${errors.map((e) => e.message).join("; ") || "no data"}`);
    }
    return body.data;
  }
}
