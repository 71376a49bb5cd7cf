import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { carriersCsvLines } from "~/admin/carriers-csv";
import { loadCarriersReport } from "~/admin/carriers.server";

// The Carriers page's lane table for every destination and region, as a CSV file.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const now = new Date();
  const lines = carriersCsvLines(await loadCarriersReport(db, session.shop, now));
  const encoder = new TextEncoder();
  // A byte order mark first, so spreadsheet programs read the file as UTF-8.
  let prefix = "\uFEFF";
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = lines.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(prefix + next.value));
      prefix = "";
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="parcelwise-carriers-${now.toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
