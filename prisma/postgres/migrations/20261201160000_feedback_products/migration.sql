-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "storefrontUrl" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "lineItems" TEXT;

-- CreateTable
CREATE TABLE "ProductCache" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "handle" TEXT,
    "onlineStoreUrl" TEXT,
    "title" TEXT,
    "imageUrl" TEXT,
    "titles" TEXT NOT NULL DEFAULT '{}',
    "fetchedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProductCache_pkey" PRIMARY KEY ("shop","productId")
);

-- CreateTable
CREATE TABLE "ProductSync" (
    "shop" TEXT NOT NULL,
    "cursorAt" TIMESTAMP(3),
    "cursorId" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "retryAt" TIMESTAMP(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProductSync_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "ProductCache_shop_fetchedAt_idx" ON "ProductCache"("shop", "fetchedAt");
