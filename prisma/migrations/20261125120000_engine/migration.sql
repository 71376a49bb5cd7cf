-- AlterTable
ALTER TABLE "Notification" ADD COLUMN "html" TEXT;
ALTER TABLE "Notification" ADD COLUMN "providerEvent" TEXT;
ALTER TABLE "Notification" ADD COLUMN "providerEventAt" DATETIME;
ALTER TABLE "Notification" ADD COLUMN "text" TEXT;

-- CreateTable
CREATE TABLE "Suppression" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
    "delayGraceDays" INTEGER NOT NULL DEFAULT 3,
    "silenceDays" INTEGER NOT NULL DEFAULT 7,
    "senderEmail" TEXT,
    "senderName" TEXT,
    "replyToEmail" TEXT,
    "reviewUrl" TEXT,
    "senderVerifiedAt" DATETIME,
    "sendgridApiKeyEncrypted" TEXT,
    "carrierTransitOverrides" TEXT NOT NULL DEFAULT '{}',
    "templatesReviewedAt" DATETIME,
    "timingReviewedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("contactEmail", "createdAt", "currency", "delayGraceDays", "domain", "feedbackDelayDays", "feedbackEnabled", "feedbackFallbackDays", "handlingDelayMinutes", "handlingEnabled", "handlingHours", "installedAt", "name", "onlineTrackingDays", "primaryLocale", "reviewUrl", "senderEmail", "senderName", "sendingBlockedReason", "shippingEnabled", "silenceDays", "timezone", "uninstalledAt", "updatedAt") SELECT "contactEmail", "createdAt", "currency", "delayGraceDays", "domain", "feedbackDelayDays", "feedbackEnabled", "feedbackFallbackDays", "handlingDelayMinutes", "handlingEnabled", "handlingHours", "installedAt", "name", "onlineTrackingDays", "primaryLocale", "reviewUrl", "senderEmail", "senderName", "sendingBlockedReason", "shippingEnabled", "silenceDays", "timezone", "uninstalledAt", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Suppression_shop_email_key" ON "Suppression"("shop", "email");
