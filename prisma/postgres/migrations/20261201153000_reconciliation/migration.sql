-- CreateTable
CREATE TABLE "Reconciliation" (
    "shop" TEXT NOT NULL,
    "syncedUntil" TIMESTAMP(3) NOT NULL,
    "runSince" TIMESTAMP(3),
    "runUntil" TIMESTAMP(3),
    "pageCursor" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "ordersSeen" INTEGER NOT NULL DEFAULT 0,
    "ordersRecorded" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reconciliation_pkey" PRIMARY KEY ("shop")
);
