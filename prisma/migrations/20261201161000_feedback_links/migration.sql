-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "reviewDestination" TEXT NOT NULL DEFAULT 'products';
ALTER TABLE "Shop" ADD COLUMN "reviewUrlTemplate" TEXT;

-- CreateTable
CREATE TABLE "FeedbackClick" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "notificationId" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "rating" INTEGER,
    "clicks" INTEGER NOT NULL DEFAULT 1,
    "clickedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastClickedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "FeedbackClick_shop_clickedAt_idx" ON "FeedbackClick"("shop", "clickedAt");

-- CreateIndex
CREATE INDEX "FeedbackClick_shop_notificationId_idx" ON "FeedbackClick"("shop", "notificationId");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackClick_notificationId_link_key" ON "FeedbackClick"("notificationId", "link");
