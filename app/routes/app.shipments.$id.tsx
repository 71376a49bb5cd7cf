import type { LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, Divider, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { MESSAGE_ACTION_LABELS, NOTIFICATION_TONE, RESEND_PREFIX, messageActions } from "~/admin/activity";
import { useMessageAction } from "~/admin/activity-actions";
import { SHIPMENT_STATUS_TONE, formatDate, formatWindow, humanize } from "~/admin/shipments";
import { shipmentDetail } from "~/admin/shipments.server";
import { merchantActionNote } from "~/notifications/merchant";
import { isPending } from "~/notifications/status";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const detail = await shipmentDetail(db, session.shop, params.id ?? "", new Date());
  if (!detail) throw new Response("Not found", { status: 404 });
  return json(detail);
};

type Detail = SerializeFrom<typeof loader>;

const RISK_TEXT: Record<string, (settings: Detail["settings"]) => string> = {
  overdue: (s) => `Past its estimated delivery by more than ${s.delayGraceDays} days.`,
  silent: (s) => `No carrier update for more than ${s.silenceDays} days.`,
  exception: () => "The carrier reported a problem.",
};

function MessageRow({ message, timezone }: { message: Detail["notifications"][number]; timezone: string }) {
  const { run, pending, error } = useMessageAction(message.id);
  const actions = messageActions(message.status);
  const when = message.sentAt
    ? `Sent ${formatDate(message.sentAt, timezone, true)}`
    : isPending(message.status)
      ? `Scheduled for ${formatDate(message.scheduledFor, timezone, true)}`
      : `Was due ${formatDate(message.scheduledFor, timezone, true)}`;
  return (
    <BlockStack gap="150">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Link url={`/app/activity/${message.id}`} removeUnderline>
            <Text as="span" fontWeight="semibold">
              {humanize(message.kind)}
            </Text>
          </Link>
          <Badge tone={NOTIFICATION_TONE[message.status]}>{humanize(message.status)}</Badge>
          {message.planKey.startsWith(RESEND_PREFIX) ? <Badge>Resent copy</Badge> : null}
        </InlineStack>
        <InlineStack gap="200">
          {actions.map((action) => (
            <Button
              key={action}
              size="slim"
              onClick={() => run(action)}
              loading={pending === action}
              disabled={Boolean(pending)}
              tone={action === "cancel" ? "critical" : undefined}
              accessibilityLabel={`${MESSAGE_ACTION_LABELS[action]}: ${humanize(message.kind)}`}
            >
              {MESSAGE_ACTION_LABELS[action]}
            </Button>
          ))}
        </InlineStack>
      </InlineStack>
      <Text as="p" tone="subdued">
        {when} · to {message.recipient}
      </Text>
      {message.subject ? <Text as="p">{message.subject}</Text> : null}
      {merchantActionNote(message.merchantAction) ? (
        <Text as="p" tone="subdued">
          {merchantActionNote(message.merchantAction)}
        </Text>
      ) : null}
      {message.lastError ? (
        <Text as="p" tone="critical">
          {message.lastError}
        </Text>
      ) : null}
      {error ? (
        <Text as="p" tone="critical">
          {error}
        </Text>
      ) : null}
    </BlockStack>
  );
}

export default function ShipmentPage() {
  const { shipment, order, events, notifications, settings } = useLoaderData<typeof loader>();
  const timezone = settings.timezone;
  const status = shipment.status === "cancelled" ? "cancelled" : shipment.shipmentStatus;
  const delivery: Array<[string, string]> = [
    ["Carrier", shipment.carrier ?? ""],
    ["Destination", shipment.destinationCountry ?? ""],
    ["Shipped", formatDate(shipment.shippedAt, timezone)],
    ["Estimated delivery", formatWindow(shipment.estimatedDeliveryFrom, shipment.estimatedDeliveryTo, timezone)],
    ["Delivered", formatDate(shipment.deliveredAt, timezone)],
    ["Last carrier update", formatDate(shipment.lastEventAt, timezone, true)],
  ];
  return (
    <Page
      title={shipment.name ?? order?.name ?? "Shipment"}
      titleMetadata={
        <InlineStack gap="100">
          <Badge tone={status ? SHIPMENT_STATUS_TONE[status] : undefined}>{status ? humanize(status) : "No updates"}</Badge>
          {shipment.atRisk ? <Badge tone="critical">At risk</Badge> : null}
        </InlineStack>
      }
      backAction={{ content: "Shipments", url: "/app/shipments" }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {shipment.atRisk ? (
              <Card background="bg-surface-critical">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingSm">
                    At risk
                  </Text>
                  <Text as="p">{RISK_TEXT[shipment.atRisk]?.(settings)}</Text>
                </BlockStack>
              </Card>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingSm">
                  Messages
                </Text>
                {notifications.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No message is planned for this shipment.
                  </Text>
                ) : (
                  notifications.map((message, index) => (
                    <BlockStack key={message.id} gap="300">
                      {index > 0 ? <Divider /> : null}
                      <MessageRow message={message} timezone={timezone} />
                    </BlockStack>
                  ))
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingSm">
                  Carrier events
                </Text>
                {events.length === 0 ? (
                  <Text as="p" tone="subdued">
                    The carrier has not reported any event yet.
                  </Text>
                ) : (
                  <BlockStack gap="300" as="ol">
                    {events.map((event) => (
                      <li key={event.id} style={{ listStyle: "none" }}>
                        <BlockStack gap="050">
                          <InlineStack gap="200" blockAlign="center">
                            <Text as="span" fontWeight="semibold">
                              {humanize(event.status)}
                            </Text>
                            <Text as="span" tone="subdued">
                              {formatDate(event.happenedAt, timezone, true)}
                            </Text>
                          </InlineStack>
                          {event.message || event.city || event.country ? (
                            <Text as="p">{[event.message, [event.city, event.country].filter(Boolean).join(", ")].filter(Boolean).join(" · ")}</Text>
                          ) : null}
                        </BlockStack>
                      </li>
                    ))}
                  </BlockStack>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Order
                </Text>
                {order ? (
                  <>
                    <Link url={`shopify://admin/orders/${order.shopifyId}`} target="_top">
                      {order.name}
                    </Link>
                    {order.buyerName ? <Text as="p">{order.buyerName}</Text> : null}
                    {order.email ? (
                      <Text as="p" tone="subdued" breakWord>
                        {order.email}
                      </Text>
                    ) : null}
                    <Text as="p" tone="subdued">
                      {order.totalPrice} {order.currency}
                      {order.cancelledAt ? " · cancelled" : ""}
                    </Text>
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    The order has not been received yet.
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Tracking
                </Text>
                {shipment.tracking.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No tracking number.
                  </Text>
                ) : (
                  shipment.tracking.map((link) =>
                    link.url ? (
                      <Link key={link.number} url={link.url} target="_blank">
                        {link.number}
                      </Link>
                    ) : (
                      <Text key={link.number} as="p">
                        {link.number}
                      </Text>
                    ),
                  )
                )}
                {delivery
                  .filter(([, value]) => value)
                  .map(([term, value]) => (
                    <BlockStack key={term} gap="0">
                      <Text as="span" tone="subdued" variant="bodySm">
                        {term}
                      </Text>
                      <Text as="span">{value}</Text>
                    </BlockStack>
                  ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
