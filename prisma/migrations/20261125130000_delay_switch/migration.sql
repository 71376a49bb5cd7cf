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
    "templatesReviewedAt" DATETIME,
    "timingReviewedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("carrierTransitOverrides", "contactEmail", "createdAt", "currency", "delayGraceDays", "domain", "feedbackDelayDays", "feedbackEnabled", "feedbackFallbackDays", "handlingDelayMinutes", "handlingEnabled", "handlingHours", "installedAt", "name", "onlineTrackingDays", "primaryLocale", "replyToEmail", "reviewUrl", "senderEmail", "senderName", "senderVerifiedAt", "sendgridApiKeyEncrypted", "sendingBlockedReason", "shippingEnabled", "silenceDays", "templatesReviewedAt", "timezone", "timingReviewedAt", "uninstalledAt", "updatedAt") SELECT "carrierTransitOverrides", "contactEmail", "createdAt", "currency", "delayGraceDays", "domain", "feedbackDelayDays", "feedbackEnabled", "feedbackFallbackDays", "handlingDelayMinutes", "handlingEnabled", "handlingHours", "installedAt", "name", "onlineTrackingDays", "primaryLocale", "replyToEmail", "reviewUrl", "senderEmail", "senderName", "senderVerifiedAt", "sendgridApiKeyEncrypted", "sendingBlockedReason", "shippingEnabled", "silenceDays", "templatesReviewedAt", "timezone", "timingReviewedAt", "uninstalledAt", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Shipment_shop_deliveredAt_createdAt_idx" ON "Shipment"("shop", "deliveredAt", "createdAt");
