// Shopify's bulk operation API: start an export, and look at how it is doing. Calls go through
// adminQuery, which waits out the cost throttle.
import { adminQuery, type GraphqlFunction } from "~/shops/admin-graphql.server";
import type { BulkOperationView } from "./import-state";

const RUN_QUERY = `#graphql
  mutation ParcelwiseHistoryExport($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }`;

// bulkOperation(id:) (API 2026-01 on) looks at this export itself, where currentBulkOperation would
// answer with whichever of the app's up to five concurrent operations started last.
const OPERATION_QUERY = `#graphql
  query ParcelwiseHistoryExportStatus($id: ID!) {
    bulkOperation(id: $id) { id status errorCode objectCount url partialDataUrl }
  }`;

/** Shopify refused to start the export (userErrors), with its own words and code. */
export class BulkQueryRefused extends Error {
  constructor(message: string, readonly code: string | null) {
    super(message);
  }
}

interface RunQueryAnswer {
  bulkOperationRunQuery: {
    bulkOperation: { id: string; status: string } | null;
    userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  };
}

export async function runBulkQuery(graphql: GraphqlFunction, query: string): Promise<{ id: string; status: string }> {
  const { bulkOperationRunQuery: answer } = await adminQuery<RunQueryAnswer>(graphql, RUN_QUERY, { query });
  const [refusal] = answer.userErrors;
  if (refusal || !answer.bulkOperation) throw new BulkQueryRefused(refusal?.message ?? "Shopify did not start the export", refusal?.code ?? null);
  return answer.bulkOperation;
}

interface OperationAnswer {
  bulkOperation: { id: string; status: string; errorCode: string | null; objectCount: string | number; url: string | null; partialDataUrl: string | null } | null;
}

export async function lookAtBulkOperation(graphql: GraphqlFunction, id: string): Promise<BulkOperationView | null> {
  const { bulkOperation: op } = await adminQuery<OperationAnswer>(graphql, OPERATION_QUERY, { id });
  // objectCount is an UnsignedInt64, which GraphQL sends as a string.
  return op ? { id: op.id, status: op.status, errorCode: op.errorCode, objectCount: Number(op.objectCount) || 0, url: op.url } : null;
}
