-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "carrierTransitOverrides" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "replyToEmail" TEXT,
ADD COLUMN     "senderVerifiedAt" TIMESTAMP(3),
ADD COLUMN     "sendgridApiKeyEncrypted" TEXT,
ADD COLUMN     "templatesReviewedAt" TIMESTAMP(3),
ADD COLUMN     "timingReviewedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "html" TEXT,
ADD COLUMN     "providerEvent" TEXT,
ADD COLUMN     "providerEventAt" TIMESTAMP(3),
ADD COLUMN     "text" TEXT;

-- CreateTable
CREATE TABLE "Suppression" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Suppression_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Suppression_shop_email_key" ON "Suppression"("shop", "email");
