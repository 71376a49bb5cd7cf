-- AlterTable
ALTER TABLE "Shipment" ADD COLUMN "atRiskAt" DATETIME;
ALTER TABLE "Shipment" ADD COLUMN "atRiskReason" TEXT;
ALTER TABLE "Shipment" ADD COLUMN "estimateParcels" INTEGER;
ALTER TABLE "Shipment" ADD COLUMN "estimateSource" TEXT;

-- CreateTable
CREATE TABLE "LaneStat" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "levelId" TEXT NOT NULL,
    "stats" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shop" (
    "domain" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL DEFAULT '',
    "contactEmail" TEXT,
    "primaryLocale" TEXT NOT NULL DEFAULT 'en',
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "country" TEXT,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "sendingBlockedReason" TEXT,
    "handlingEnabled" BOOLEAN NOT NULL DEFAULT true,
    "handlingDelayMinutes" INTEGER NOT NULL DEFAULT 10,
    "handlingHours" INTEGER NOT NULL DEFAULT 48,
    "onlineTrackingDays" INTEGER NOT NULL DEFAULT 3,
    "shippingEnabled" BOOLEAN NOT NULL DEFAULT true,
    "feedbackEnabled" BOOLEAN NOT NULL DEFAULT true,
    "feedbackDelayDays" INTEGER NOT NULL DEFAULT 7,
    "feedbackFallbackDays" INTEGER NOT NULL DEFAULT 5,
    "delayEnabled" BOOLEAN NOT NULL DEFAULT true,
    "delayGraceDays" INTEGER NOT NULL DEFAULT 3,
    "silenceDays" INTEGER NOT NULL DEFAULT 7,
    "senderEmail" TEXT,
    "senderName" TEXT,
    "replyToEmail" TEXT,
    "reviewUrl" TEXT,
    "senderVerifiedAt" DATETIME,
    "sendgridApiKeyEncrypted" TEXT,
    "sendgridWebhookPublicKey" TEXT,
    "carrierTransitOverrides" TEXT NOT NULL DEFAULT '{}',
    "estimateCoverage" REAL NOT NULL DEFAULT 0.9,
    "atRiskRule" TEXT NOT NULL DEFAULT 'learned',
    "templatesReviewedAt" DATETIME,
    "timingReviewedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("carrierTransitOverrides", "contactEmail", "country", "createdAt", "currency", "delayEnabled", "delayGraceDays", "domain", "feedbackDelayDays", "feedbackEnabled", "feedbackFallbackDays", "handlingDelayMinutes", "handlingEnabled", "handlingHours", "installedAt", "name", "onlineTrackingDays", "primaryLocale", "replyToEmail", "reviewUrl", "senderEmail", "senderName", "senderVerifiedAt", "sendgridApiKeyEncrypted", "sendgridWebhookPublicKey", "sendingBlockedReason", "shippingEnabled", "silenceDays", "templatesReviewedAt", "timezone", "timingReviewedAt", "uninstalledAt", "updatedAt") SELECT "carrierTransitOverrides", "contactEmail", "country", "createdAt", "currency", "delayEnabled", "delayGraceDays", "domain", "feedbackDelayDays", "feedbackEnabled", "feedbackFallbackDays", "handlingDelayMinutes", "handlingEnabled", "handlingHours", "installedAt", "name", "onlineTrackingDays", "primaryLocale", "replyToEmail", "reviewUrl", "senderEmail", "senderName", "senderVerifiedAt", "sendgridApiKeyEncrypted", "sendgridWebhookPublicKey", "sendingBlockedReason", "shippingEnabled", "silenceDays", "templatesReviewedAt", "timezone", "timingReviewedAt", "uninstalledAt", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "LaneStat_shop_levelId_key" ON "LaneStat"("shop", "levelId");

-- CreateIndex
CREATE INDEX "Shipment_shop_atRiskAt_idx" ON "Shipment"("shop", "atRiskAt");
