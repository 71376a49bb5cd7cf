-- CreateIndex
CREATE INDEX "Shipment_shop_updatedAt_idx" ON "Shipment"("shop", "updatedAt");

-- CreateIndex
CREATE INDEX "TrackingEvent_shop_createdAt_idx" ON "TrackingEvent"("shop", "createdAt");
