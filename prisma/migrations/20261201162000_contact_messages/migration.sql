-- CreateTable
CREATE TABLE "ContactMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "notificationId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "rating" INTEGER,
    "message" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "providerMessageId" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ContactMessage_status_availableAt_idx" ON "ContactMessage"("status", "availableAt");

-- CreateIndex
CREATE INDEX "ContactMessage_shop_orderShopifyId_idx" ON "ContactMessage"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "ContactMessage_shop_notificationId_createdAt_idx" ON "ContactMessage"("shop", "notificationId", "createdAt");
