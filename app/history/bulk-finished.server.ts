// bulk_operations/finish, recorded like any webhook: Shopify's news is kept on the import it is about,
// and the history job's next look records the file (the webhook's transaction never downloads it).
import type { Db } from "~/db.server";

export async function noteBulkOperationFinished(
  db: Pick<Db, "historyImport">,
  shop: string,
  finished: { bulkOperationId: string; status: string; errorCode: string | null },
): Promise<void> {
  await db.historyImport.updateMany({
    where: { shop, bulkOperationId: finished.bulkOperationId, status: "running" },
    data: { bulkStatus: finished.status.toUpperCase(), errorCode: finished.errorCode?.toUpperCase() ?? null },
  });
}

