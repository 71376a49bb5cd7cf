import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { shopOverview } from "~/shops/overview.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json(await shopOverview(db, session.shop));
};

export default function Home() {
  const overview = useLoaderData<typeof loader>();
  const figures: Array<[string, number]> = [
    ["Messages sent", overview.sent],
    ["Messages scheduled", overview.scheduled],
    ["Messages failed", overview.failed],
    ["Shipments in transit", overview.inTransit],
    ["Shipments delivered", overview.delivered],
  ];
  return (
    <Page title="Parcelwise">
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 5 }} gap="400">
            {figures.map(([label, value]) => (
              <Card key={label}>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingSm">
                    {label}
                  </Text>
                  <Text as="p" variant="heading2xl">
                    {value}
                  </Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
