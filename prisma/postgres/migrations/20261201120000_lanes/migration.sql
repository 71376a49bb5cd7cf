-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "atRiskRule" TEXT NOT NULL DEFAULT 'learned',
ADD COLUMN     "estimateCoverage" DOUBLE PRECISION NOT NULL DEFAULT 0.9;

-- AlterTable
ALTER TABLE "Shipment" ADD COLUMN     "atRiskAt" TIMESTAMP(3),
ADD COLUMN     "atRiskReason" TEXT,
ADD COLUMN     "estimateParcels" INTEGER,
ADD COLUMN     "estimateSource" TEXT;

-- CreateTable
CREATE TABLE "LaneStat" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "levelId" TEXT NOT NULL,
    "stats" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LaneStat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LaneStat_shop_levelId_key" ON "LaneStat"("shop", "levelId");

-- CreateIndex
CREATE INDEX "Shipment_shop_atRiskAt_idx" ON "Shipment"("shop", "atRiskAt");
