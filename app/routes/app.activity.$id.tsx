import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { notifyInbox } from "~/webhooks/inbox-signal.server";
import { MESSAGE_ACTION_LABELS, NOTIFICATION_TONE, RESEND_PREFIX, isMessageAction, messageActions } from "~/admin/activity";
import { applyMessageAction, notificationDetail } from "~/admin/activity.server";
import { useMessageAction } from "~/admin/activity-actions";
import { formatDate, humanize } from "~/admin/shipments";
import { listSettings } from "~/admin/shipments.server";
import { merchantActionNote } from "~/notifications/merchant";
import { isPending } from "~/notifications/status";
import { messageLinkClicks } from "~/admin/feedback-clicks.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [detail, settings] = await Promise.all([notificationDetail(db, session.shop, params.id ?? ""), listSettings(db, session.shop)]);
  if (!detail) throw new Response("Not found", { status: 404 });
  const reviewClicks = detail.notification.kind === "feedback_request" ? await messageLinkClicks(db, session.shop, detail.notification.id) : null;
  return json({ ...detail, timezone: settings.timezone, reviewClicks });
};

/** Send now, resend or cancel one message; the shipment page posts here too. */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const intent = (await request.formData()).get("intent");
  if (!isMessageAction(intent)) return json({ ok: false, error: "Choose send now, resend or cancel." }, { status: 400 });
  const result = await applyMessageAction(db, session.shop, params.id ?? "", intent, new Date());
  if (!result.ok) {
    if (result.status === 404) throw new Response("Not found", { status: 404 });
    return json({ ok: false, error: result.error }, { status: result.status });
  }
  // Wake the worker: a message due now should not wait for its next poll.
  if (intent !== "cancel") notifyInbox();
  return json({ ok: true, toast: result.message, notificationId: result.notificationId });
};

export default function Message() {
  const { notification, orderName, shipment, timezone, reviewClicks } = useLoaderData<typeof loader>();
  const { run, pending, error } = useMessageAction(notification.id);
  const actions = messageActions(notification.status);
  const facts: Array<[string, string | null]> = [
    ["Recipient", notification.recipient],
    ["Language", notification.locale],
    ["Order", orderName ?? notification.orderShopifyId],
    ["Tracking number", notification.trackingNumber],
    ["Scheduled for", formatDate(notification.scheduledFor, timezone, true)],
    ["Sent", formatDate(notification.sentAt, timezone, true) || null],
    ["Attempts", String(notification.attempts)],
    ["Provider message id", notification.providerMessageId],
    [
      "Provider event",
      notification.providerEvent ? `${humanize(notification.providerEvent)} ${formatDate(notification.providerEventAt, timezone, true)}` : null,
    ],
  ];
  return (
    <Page
      title={humanize(notification.kind)}
      titleMetadata={<Badge tone={NOTIFICATION_TONE[notification.status]}>{humanize(notification.status)}</Badge>}
      backAction={{ content: "Activity", url: "/app/activity" }}
      subtitle={notification.planKey.startsWith(RESEND_PREFIX) ? "A resent copy" : undefined}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {merchantActionNote(notification.merchantAction) ? (
              <Card>
                <Text as="p">{merchantActionNote(notification.merchantAction)}</Text>
              </Card>
            ) : null}
            {notification.lastError ? (
              <Card>
                <BlockStack gap="100">
                  <Text as="h2" variant="headingSm">
                    Error
                  </Text>
                  <Text as="p" tone="critical">
                    {notification.lastError}
                  </Text>
                </BlockStack>
              </Card>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingSm">
                  The mail as sent
                </Text>
                {notification.html || notification.text ? (
                  <>
                    <Text as="p" fontWeight="semibold">
                      {notification.subject ?? ""}
                    </Text>
                    {notification.html ? (
                      // No scripts, no same origin: the mail is shown, never run.
                      <iframe
                        title="The mail as sent"
                        sandbox=""
                        srcDoc={notification.html}
                        style={{ width: "100%", minHeight: 480, border: "1px solid #e3e3e3", borderRadius: 8, background: "#fff" }}
                      />
                    ) : null}
                    {notification.text ? (
                      <Box padding="300" background="bg-surface-secondary" borderRadius="200">
                        <pre style={{ margin: 0, whiteSpace: "pre-wrap", wordBreak: "break-word", font: "inherit" }}>{notification.text}</pre>
                      </Box>
                    ) : null}
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    {isPending(notification.status)
                      ? "The mail is rendered from the template when it is sent."
                      : "No copy of this mail is kept."}
                  </Text>
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
                  Details
                </Text>
                {facts
                  .filter(([, value]) => value)
                  .map(([term, value]) => (
                    <BlockStack key={term} gap="0">
                      <Text as="span" tone="subdued" variant="bodySm">
                        {term}
                      </Text>
                      <Text as="span" breakWord>
                        {value}
                      </Text>
                    </BlockStack>
                  ))}
                {shipment ? <Link url={`/app/shipments/${shipment.id}`}>View shipment {shipment.name ?? ""}</Link> : null}
              </BlockStack>
            </Card>
            {reviewClicks ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingSm">
                    Review links clicked
                  </Text>
                  {reviewClicks.length ? (
                    reviewClicks.map((click) => (
                      <InlineStack key={click.rating ?? "review"} gap="200" align="space-between" wrap={false}>
                        <Text as="span">{click.rating ? `${click.rating} ${click.rating === 1 ? "star" : "stars"}` : "Review button"}</Text>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {click.clicks === 1 ? formatDate(click.clickedAt, timezone, true) : `${click.clicks} times, last ${formatDate(click.lastClickedAt, timezone, true)}`}
                        </Text>
                      </InlineStack>
                    ))
                  ) : (
                    <Text as="p" tone="subdued">
                      Not clicked yet.
                    </Text>
                  )}
                </BlockStack>
              </Card>
            ) : null}
            {actions.length ? (
              <Card>
                <BlockStack gap="200">
                  <InlineStack gap="200">
                    {actions.map((action) => (
                      <Button
                        key={action}
                        onClick={() => run(action)}
                        loading={pending === action}
                        disabled={Boolean(pending)}
                        tone={action === "cancel" ? "critical" : undefined}
                        variant={action === "cancel" ? "secondary" : "primary"}
                      >
                        {MESSAGE_ACTION_LABELS[action]}
                      </Button>
                    ))}
                  </InlineStack>
                  {error ? (
                    <Text as="p" tone="critical">
                      {error}
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
