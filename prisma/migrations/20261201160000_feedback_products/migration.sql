-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "storefrontUrl" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "lineItems" TEXT;

-- CreateTable
CREATE TABLE "ProductCache" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "handle" TEXT,
    "onlineStoreUrl" TEXT,
    "title" TEXT,
    "imageUrl" TEXT,
    "titles" TEXT NOT NULL DEFAULT '{}',
    "fetchedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "productId")
);

-- CreateTable
CREATE TABLE "ProductSync" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "cursorAt" DATETIME,
    "cursorId" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "retryAt" DATETIME,
    "lastError" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ProductCache_shop_fetchedAt_idx" ON "ProductCache"("shop", "fetchedAt");
