-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "handlingHoursPinned" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Shop" ADD COLUMN "onlineTrackingDaysPinned" BOOLEAN NOT NULL DEFAULT false;
