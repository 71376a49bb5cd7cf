// Carriers: how the shop's parcels travel. The history import comes first; lane tables go below it.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { historyImportCard } from "~/history/view.server";
import { requestHistoryImport } from "~/history/import.server";
import { HistoryImportCard } from "~/components/HistoryImportCard";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({ history: await historyImportCard(db, session.shop) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "import-history") return json({ error: "Unknown action" }, { status: 400 });
  await requestHistoryImport({ db, graphqlFor: async () => admin.graphql }, session.shop, new Date());
  return json({ history: await historyImportCard(db, session.shop) });
};

export default function Carriers() {
  const { history } = useLoaderData<typeof loader>();
  return (
    <Page title="Carriers" subtitle="How your parcels travel, lane by lane">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <HistoryImportCard history={history} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
