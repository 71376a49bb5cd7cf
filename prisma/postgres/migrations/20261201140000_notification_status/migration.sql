-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('scheduled', 'sending', 'sent', 'delivered', 'bounced', 'dropped', 'spam', 'failed', 'cancelled');

-- AlterTable: converted in place, by hand (prisma migrate diff writes a DROP COLUMN / ADD COLUMN, which
-- would set every message back to scheduled). The (status, scheduledFor) indexes are rebuilt with it.
-- A status outside the enum fails the migration instead of being lost.
ALTER TABLE "Notification" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Notification" ALTER COLUMN "status" TYPE "NotificationStatus" USING ("status"::text::"NotificationStatus");
ALTER TABLE "Notification" ALTER COLUMN "status" SET DEFAULT 'scheduled';
