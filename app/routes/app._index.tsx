import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, List, Page, ProgressBar, Text } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { loadHome } from "~/admin/home.server";
import { HOME_PERIOD_DAYS } from "~/admin/home";
import { Figure } from "~/components/Figure";
import { LeastOnTimeCard } from "~/components/LeastOnTimeCard";
import { FeedbackFigures } from "~/components/FeedbackFigures";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const home = await loadHome(db, session.shop, new Date(), { appKeyConfigured: Boolean(env().SENDGRID_API_KEY) });
  if (!home) throw new Response("This shop is not installed", { status: 404 });
  return json(home);
};

export default function Home() {
  const { shopName, figures, blockers, checklist, leastOnTime, feedback } = useLoaderData<typeof loader>();
  const done = checklist.filter((item) => item.done).length;
  return (
    <Page title="Parcelwise" subtitle={`Keeps ${shopName}'s buyers informed from payment to doorstep`}>
      <Layout>
        {blockers.length > 0 ? (
          <Layout.Section>
            <Banner tone="critical" title="Sending is blocked: buyers receive no messages until this is fixed">
              <BlockStack gap="200">
                {blockers.map((blocker) => (
                  <InlineStack key={blocker.id} gap="200" align="space-between" blockAlign="center" wrap>
                    <Box maxWidth="60ch">
                      <Text as="p">
                        <Text as="span" fontWeight="semibold">
                          {blocker.title}.
                        </Text>{" "}
                        {blocker.action}
                      </Text>
                    </Box>
                    {blocker.url ? <Button url={blocker.url}>Fix this</Button> : null}
                  </InlineStack>
                ))}
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}

        {done < checklist.length ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Get ready to send
                  </Text>
                  <Text as="span" tone="subdued">
                    {done} of {checklist.length} done
                  </Text>
                </InlineStack>
                <ProgressBar progress={(done / checklist.length) * 100} size="small" tone="success" />
                <BlockStack gap="300">
                  {checklist.map((item) => (
                    <InlineStack key={item.id} gap="300" align="space-between" blockAlign="center" wrap={false}>
                      <BlockStack gap="050">
                        <InlineStack gap="200" align="start" blockAlign="center">
                          <Badge tone={item.done ? "success" : "attention"}>{item.done ? "Done" : "To do"}</Badge>
                          <Text as="h3" variant="headingSm">
                            {item.title}
                          </Text>
                        </InlineStack>
                        <Text as="p" tone="subdued">
                          {item.description}
                        </Text>
                      </BlockStack>
                      {item.done ? null : <Button url={item.url}>{item.action}</Button>}
                    </InlineStack>
                  ))}
                </BlockStack>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <BlockStack gap="300">
            <Box paddingInline={{ xs: "400", sm: "0" }}>
              <Text as="h2" variant="headingMd">
                Messages, last {HOME_PERIOD_DAYS} days
              </Text>
            </Box>
            <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
              <Figure id="messages.sent" label="Sent" value={figures.messages.sent} help="Handed to SendGrid" />
              <Figure id="messages.delivered" label="Delivered" value={figures.messages.delivered} tone="success" help="Accepted by the buyer's mail server" />
              <Figure id="messages.bounced" label="Bounced" value={figures.messages.bounced} tone="caution" help="Refused by the buyer's mail server" />
              <Figure id="messages.failed" label="Failed" value={figures.messages.failed} tone="critical" help="Could not be sent" url="/app/activity" linkLabel="See activity" />
            </InlineGrid>
            <Box paddingInline={{ xs: "400", sm: "0" }}>
              <Text as="p" tone="subdued">
                {figures.scheduled.toLocaleString("en")} {figures.scheduled === 1 ? "message is" : "messages are"} scheduled.
              </Text>
            </Box>
          </BlockStack>
        </Layout.Section>

        <Layout.Section>
          <BlockStack gap="300">
            <Box paddingInline={{ xs: "400", sm: "0" }}>
              <Text as="h2" variant="headingMd">
                Shipments
              </Text>
            </Box>
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
              <Figure id="shipments.inTransit" label="In transit" value={figures.shipments.inTransit} help="Shipped, not yet delivered" url="/app/shipments" linkLabel="See shipments" />
              <Figure id="shipments.delivered" label="Delivered" value={figures.shipments.delivered} tone="success" help={`In the last ${HOME_PERIOD_DAYS} days`} />
              <Figure id="shipments.atRisk" label="At risk" value={figures.shipments.atRisk} tone="critical" help="Past the estimated delivery or no carrier news" url="/app/shipments?atRisk=1" linkLabel="See at-risk shipments" />
            </InlineGrid>
          </BlockStack>
        </Layout.Section>

        <Layout.Section>
          <FeedbackFigures feedback={feedback} days={HOME_PERIOD_DAYS} />
        </Layout.Section>

        {leastOnTime ? (
          <Layout.Section>
            <LeastOnTimeCard lane={leastOnTime} />
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                What your buyers receive
              </Text>
              <List type="number">
                <List.Item>A handling commitment after payment, while nothing has shipped yet.</List.Item>
                <List.Item>A shipping confirmation with carrier, tracking link and estimated delivery.</List.Item>
                <List.Item>A delay notice when a parcel is late or the carrier goes silent.</List.Item>
                <List.Item>A feedback request some days after delivery.</List.Item>
              </List>
              <InlineStack gap="200">
                <Button url="/app/templates">Edit the messages</Button>
                <Button url="/app/settings" variant="plain">
                  Change when they are sent
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
