-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "merchantAction" TEXT;

-- Data: the merchant's decisions used to be marker strings in lastError; move them to the column.
UPDATE "Notification" SET "merchantAction" = 'sent_now', "lastError" = NULL WHERE "lastError" = 'Sent now by the merchant';
UPDATE "Notification" SET "merchantAction" = 'cancelled', "lastError" = NULL WHERE "lastError" = 'Cancelled by the merchant';
UPDATE "Notification" SET "merchantAction" = 'resend' WHERE "planKey" LIKE 'resend:%' AND "merchantAction" IS NULL;
