-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "country" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "destinationRegion" TEXT,
ADD COLUMN     "importedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Shipment" ADD COLUMN     "destinationRegion" TEXT,
ADD COLUMN     "originCountry" TEXT;

-- CreateTable
CREATE TABLE "HistoryImport" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "bulkOperationId" TEXT,
    "bulkStatus" TEXT,
    "objectCount" INTEGER NOT NULL DEFAULT 0,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "since" TIMESTAMP(3) NOT NULL,
    "ordersImported" INTEGER NOT NULL DEFAULT 0,
    "shipmentsImported" INTEGER NOT NULL DEFAULT 0,
    "eventsImported" INTEGER NOT NULL DEFAULT 0,
    "objectsRecorded" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HistoryImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HistoryImport_shop_startedAt_idx" ON "HistoryImport"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "HistoryImport_status_idx" ON "HistoryImport"("status");

-- CreateIndex
CREATE INDEX "HistoryImport_bulkOperationId_idx" ON "HistoryImport"("bulkOperationId");
