-- AlterTable
ALTER TABLE "WebhookReceipt" ADD COLUMN "orderShopifyId" TEXT;

-- CreateIndex
CREATE INDEX "WebhookReceipt_shop_orderShopifyId_status_idx" ON "WebhookReceipt"("shop", "orderShopifyId", "status");
