import { describe, expect, it } from "vitest";
import { canRetry, importProgress, nextStep, type ImportSummary } from "./import-state";

const op = (status: string, over: Partial<{ errorCode: string | null; objectCount: number; url: string | null }> = {}) => ({
  id: "gid://shopify/BulkOperation/1",
  status,
  errorCode: null,
  objectCount: 0,
  url: null,
  ...over,
});

describe("what Shopify's answer means for the import", () => {
  it("waits while the export is created or running, with Shopify's running count", () => {
    expect(nextStep(op("CREATED"))).toEqual({ kind: "wait", bulkStatus: "CREATED", objectCount: 0 });
    expect(nextStep(op("RUNNING", { objectCount: 1234 }))).toEqual({ kind: "wait", bulkStatus: "RUNNING", objectCount: 1234 });
  });
  it("records the file once completed; a completed export without a file matched nothing", () => {
    expect(nextStep(op("COMPLETED", { url: "https://storage.example/x.jsonl", objectCount: 9 }))).toEqual({ kind: "record", url: "https://storage.example/x.jsonl", objectCount: 9 });
    expect(nextStep(op("COMPLETED"))).toMatchObject({ kind: "finish", status: "completed" });
  });
  it("fails with Shopify's error code, in words", () => {
    expect(nextStep(op("FAILED", { errorCode: "ACCESS_DENIED" }))).toMatchObject({ kind: "finish", status: "failed", errorCode: "ACCESS_DENIED", errorMessage: expect.stringMatching(/denied access.*ACCESS_DENIED/) });
    expect(nextStep(op("FAILED", { errorCode: "INTERNAL_SERVER_ERROR" }))).toMatchObject({ status: "failed", errorMessage: expect.stringMatching(/internal error.*try again/i) });
    expect(nextStep(op("CANCELED"))).toMatchObject({ status: "failed", errorCode: "CANCELED" });
    expect(nextStep(null)).toMatchObject({ status: "failed", errorCode: "NOT_FOUND" });
  });
  it("expires when Shopify's file expired", () => {
    expect(nextStep(op("EXPIRED"))).toMatchObject({ kind: "finish", status: "expired", errorCode: "EXPIRED", errorMessage: expect.stringMatching(/expired/) });
  });
  it("lets the merchant retry a failed or expired import, not a running or completed one", () => {
    expect(["running", "completed", "failed", "expired"].filter(canRetry)).toEqual(["failed", "expired"]);
  });
});

describe("the progress the merchant sees", () => {
  const run = (over: Partial<ImportSummary>): ImportSummary => ({
    status: "running",
    bulkStatus: "RUNNING",
    objectCount: 0,
    objectsRecorded: 0,
    ordersImported: 0,
    shipmentsImported: 0,
    eventsImported: 0,
    errorMessage: null,
    ...over,
  });
  it("says Shopify is exporting, with its count so far", () => {
    expect(importProgress(run({ objectCount: 5200 }))).toEqual({ percent: 5, label: "0 orders imported", phase: "Shopify is exporting the orders (5,200 objects so far)." });
  });
  it("counts orders as they are recorded, against the file's size", () => {
    const progress = importProgress(run({ bulkStatus: "COMPLETED", objectCount: 10_000, objectsRecorded: 5000, ordersImported: 3412, shipmentsImported: 3300, eventsImported: 1200 }));
    expect(progress).toEqual({ percent: 55, label: "3,412 orders imported", phase: "Recording 3,300 shipments and 1,200 carrier events so far." });
  });
  it("is full when done, and says why when it stopped", () => {
    expect(importProgress(run({ status: "completed", objectCount: 3, objectsRecorded: 3, ordersImported: 1, shipmentsImported: 1, eventsImported: 1 }))).toEqual({ percent: 100, label: "1 order imported", phase: "Done: 1 shipment and 1 carrier event." });
    expect(importProgress(run({ status: "failed", errorMessage: "Shopify denied access" })).phase).toBe("Shopify denied access");
  });
});
