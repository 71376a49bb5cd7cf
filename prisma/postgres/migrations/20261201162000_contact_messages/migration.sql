-- CreateTable
CREATE TABLE "ContactMessage" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "notificationId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "rating" INTEGER,
    "message" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "providerMessageId" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContactMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ContactMessage_status_availableAt_idx" ON "ContactMessage"("status", "availableAt");

-- CreateIndex
CREATE INDEX "ContactMessage_shop_orderShopifyId_idx" ON "ContactMessage"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "ContactMessage_shop_notificationId_createdAt_idx" ON "ContactMessage"("shop", "notificationId", "createdAt");
