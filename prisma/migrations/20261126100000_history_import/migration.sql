-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "country" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "destinationRegion" TEXT;
ALTER TABLE "Order" ADD COLUMN "importedAt" DATETIME;

-- AlterTable
ALTER TABLE "Shipment" ADD COLUMN "destinationRegion" TEXT;
ALTER TABLE "Shipment" ADD COLUMN "originCountry" TEXT;

-- CreateTable
CREATE TABLE "HistoryImport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "bulkOperationId" TEXT,
    "bulkStatus" TEXT,
    "objectCount" INTEGER NOT NULL DEFAULT 0,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "since" DATETIME NOT NULL,
    "ordersImported" INTEGER NOT NULL DEFAULT 0,
    "shipmentsImported" INTEGER NOT NULL DEFAULT 0,
    "eventsImported" INTEGER NOT NULL DEFAULT 0,
    "objectsRecorded" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" DATETIME,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "HistoryImport_shop_startedAt_idx" ON "HistoryImport"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "HistoryImport_status_idx" ON "HistoryImport"("status");

-- CreateIndex
CREATE INDEX "HistoryImport_bulkOperationId_idx" ON "HistoryImport"("bulkOperationId");
