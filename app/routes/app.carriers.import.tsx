import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { historyImportCard } from "~/history/view.server";

// The history import's progress alone, for the Carriers page's card to poll while an import runs.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json(await historyImportCard(db, session.shop), { headers: { "Cache-Control": "no-store" } });
};
