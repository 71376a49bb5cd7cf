// Carriers: how the shop's parcels travel. The history import comes first; lane tables go below it.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { historyImportCard } from "~/history/view.server";
import { requestHistoryImport } from "~/history/import.server";
import { loadCarriersReport } from "~/admin/carriers.server";
import { HistoryImportCard } from "~/components/HistoryImportCard";
import { CarrierLanes } from "~/components/CarrierLanes";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [history, report] = await Promise.all([historyImportCard(db, session.shop), loadCarriersReport(db, session.shop, new Date())]);
  return json({ history, report });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "import-history") return json({ error: "Unknown action" }, { status: 400 });
  await requestHistoryImport({ db, graphqlFor: async () => admin.graphql }, session.shop, new Date());
  return json({ history: await historyImportCard(db, session.shop) });
};

// Every destination is in the report: picking another only changes the query string, the figures stay loaded.
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) =>
  !formMethod && currentUrl.pathname === nextUrl.pathname && currentUrl.search !== nextUrl.search ? false : defaultShouldRevalidate;

export default function Carriers() {
  const { history, report } = useLoaderData<typeof loader>();
  return (
    <Page title="Carriers" subtitle="How your parcels travel, lane by lane">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <HistoryImportCard history={history} />
            <CarrierLanes report={report} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
