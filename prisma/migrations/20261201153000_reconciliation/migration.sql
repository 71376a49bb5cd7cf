-- CreateTable
CREATE TABLE "Reconciliation" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "syncedUntil" DATETIME NOT NULL,
    "runSince" DATETIME,
    "runUntil" DATETIME,
    "pageCursor" TEXT,
    "leaseUntil" DATETIME,
    "ordersSeen" INTEGER NOT NULL DEFAULT 0,
    "ordersRecorded" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);
