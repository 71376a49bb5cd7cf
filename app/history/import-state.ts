// The history import as a state machine, pure: what Shopify's answer about the bulk operation means
// for the import, and what the merchant sees of it.
export type ImportStatus = "running" | "completed" | "failed" | "expired";

export interface BulkOperationView {
  id: string;
  status: string;
  errorCode: string | null;
  objectCount: number;
  url: string | null;
}

export type NextStep =
  | { kind: "wait"; bulkStatus: string; objectCount: number }
  | { kind: "record"; url: string; objectCount: number }
  | { kind: "finish"; status: ImportStatus; errorCode: string | null; errorMessage: string | null };

// Shopify's own explanation of each BulkOperationErrorCode, in the merchant's words.
const ERROR_MESSAGES: Record<string, string> = {
  ACCESS_DENIED: "Shopify denied access to the orders (ACCESS_DENIED): Parcelwise lacks an access scope the export needs.",
  INTERNAL_SERVER_ERROR: "Shopify had an internal error while exporting the orders (INTERNAL_SERVER_ERROR). This is usually temporary: try again.",
  TIMEOUT: "Shopify's export of the orders timed out (TIMEOUT). Try again.",
};

export function errorMessageFor(status: string, errorCode: string | null): string {
  if (status === "EXPIRED") return "Shopify's export expired before Parcelwise read it (Shopify keeps it for 7 days). Try again.";
  if (status === "CANCELED" || status === "CANCELING") return "The export was canceled in Shopify. Try again.";
  if (errorCode && ERROR_MESSAGES[errorCode]) return ERROR_MESSAGES[errorCode]!;
  return `Shopify's export failed${errorCode ? ` (${errorCode})` : ""}. Try again.`;
}

export function nextStep(operation: BulkOperationView | null): NextStep {
  if (!operation) return { kind: "finish", status: "failed", errorCode: "NOT_FOUND", errorMessage: "Shopify no longer knows this export. Try again." };
  switch (operation.status) {
    case "CREATED":
    case "RUNNING":
      return { kind: "wait", bulkStatus: operation.status, objectCount: operation.objectCount };
    case "COMPLETED":
      // A completed export with no file matched no orders.
      return operation.url
        ? { kind: "record", url: operation.url, objectCount: operation.objectCount }
        : { kind: "finish", status: "completed", errorCode: null, errorMessage: null };
    case "EXPIRED":
      return { kind: "finish", status: "expired", errorCode: "EXPIRED", errorMessage: errorMessageFor("EXPIRED", null) };
    default:
      return { kind: "finish", status: "failed", errorCode: operation.errorCode ?? operation.status, errorMessage: errorMessageFor(operation.status, operation.errorCode) };
  }
}

export const canRetry = (status: string) => status === "failed" || status === "expired";

export interface ImportSummary {
  status: string;
  bulkStatus: string | null;
  objectCount: number;
  objectsRecorded: number;
  ordersImported: number;
  shipmentsImported: number;
  eventsImported: number;
  errorMessage: string | null;
}

export interface ImportProgress {
  /** 0–100 for the progress bar. */
  percent: number;
  /** e.g. "3,412 orders imported". */
  label: string;
  /** What is happening, in a sentence. */
  phase: string;
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export function importProgress(run: ImportSummary): ImportProgress {
  const label = `${count(run.ordersImported, "order", "orders")} imported`;
  const shipments = `${count(run.shipmentsImported, "shipment", "shipments")} and ${count(run.eventsImported, "carrier event", "carrier events")}`;
  if (run.status === "completed") return { percent: 100, label, phase: `Done: ${shipments}.` };
  if (run.status !== "running") return { percent: Math.min(99, recordedShare(run)), label, phase: run.errorMessage ?? "The import stopped." };
  if (run.objectsRecorded === 0 && run.bulkStatus !== "COMPLETED") {
    // Shopify reports how many objects it has exported so far, not how many there will be.
    return { percent: 5, label, phase: `Shopify is exporting the orders (${count(run.objectCount, "object", "objects")} so far).` };
  }
  return { percent: Math.max(10, recordedShare(run)), label, phase: `Recording ${shipments} so far.` };
}

const recordedShare = (run: ImportSummary) => (run.objectCount > 0 ? Math.floor(10 + (90 * run.objectsRecorded) / run.objectCount) : 0);
