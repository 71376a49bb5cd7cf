import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { parseActivityFilters } from "~/admin/activity";
import { activityCsvStream } from "~/admin/activity.server";

// The notification log as a CSV file, with the list's filters; streamed, so any size fits in memory.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { filters } = parseActivityFilters(new URL(request.url).searchParams);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(activityCsvStream(db, session.shop, filters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="parcelwise-activity-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
