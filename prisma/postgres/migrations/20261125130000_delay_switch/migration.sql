-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "delayEnabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "sendgridWebhookPublicKey" TEXT;

-- CreateIndex
CREATE INDEX "Shipment_shop_deliveredAt_createdAt_idx" ON "Shipment"("shop", "deliveredAt", "createdAt");
