-- Feedback rules: the merchant's choices after a delay and between two requests to one buyer.
-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "feedbackAfterDelay" TEXT NOT NULL DEFAULT 'reword',
ADD COLUMN     "feedbackBuyerGapDays" INTEGER NOT NULL DEFAULT 30;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "emailKey" TEXT,
ADD COLUMN     "refundedAt" TIMESTAMP(3),
ADD COLUMN     "returnStatus" TEXT,
ADD COLUMN     "returnUpdatedAt" TIMESTAMP(3),
ADD COLUMN     "unfulfilledQuantity" INTEGER;

-- AlterTable
ALTER TABLE "Shipment" ADD COLUMN     "promisedDeliveryTo" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Order_shop_emailKey_idx" ON "Order"("shop", "emailKey");

-- Existing orders: the buyer's key as normalizeEmail gives it; a partly or fully refunded order counts as refunded.
UPDATE "Order" SET "emailKey" = lower(trim("email")) WHERE "email" IS NOT NULL;
UPDATE "Order" SET "refundedAt" = "shopifyUpdatedAt" WHERE "financialStatus" IN ('partially_refunded', 'refunded');

-- A window already mailed: the shipment's stored window is the one printed (only a carrier date has replaced one since).
UPDATE "Shipment" SET "promisedDeliveryTo" = "estimatedDeliveryTo"
WHERE "estimatedDeliveryTo" IS NOT NULL AND EXISTS (
  SELECT 1 FROM "Notification" n
  WHERE n."shop" = "Shipment"."shop" AND n."shipmentShopifyId" = "Shipment"."shopifyId"
    AND n."kind" IN ('shipping_confirmation', 'tracking_updated')
    AND n."status" IN ('sending', 'sent', 'delivered', 'bounced', 'dropped', 'spam', 'failed')
);
