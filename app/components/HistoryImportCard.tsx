// The Carriers page's "History import" card: progress with counts, Shopify's error, and Retry.
import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import type { HistoryImportView } from "~/history/view.server";

const BADGES: Record<HistoryImportView["status"], { tone?: "success" | "attention" | "critical" | "info"; label: string }> = {
  never: { label: "Not imported" },
  running: { tone: "info", label: "Importing" },
  completed: { tone: "success", label: "Imported" },
  failed: { tone: "critical", label: "Failed" },
  expired: { tone: "attention", label: "Expired" },
};

export function HistoryImportCard({ history }: { history: HistoryImportView }) {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  // While Shopify exports and Parcelwise records, look again every two seconds.
  useEffect(() => {
    if (history.status !== "running") return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2000);
    return () => clearInterval(timer);
  }, [history.status, revalidator]);
  const badge = BADGES[history.status];
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            History import
          </Text>
          <Badge tone={badge.tone}>{badge.label}</Badge>
        </InlineStack>
        <Text as="p" tone="subdued">
          Orders of the last {history.days} days, with their shipments and carrier events, so delivery estimates rest on your own
          parcels from the first day. No message is ever sent for an imported order. Older history needs the{" "}
          <Text as="span" fontWeight="semibold">
            read_all_orders
          </Text>{" "}
          access scope, which Shopify grants on request.
        </Text>
        {history.status !== "never" ? (
          <BlockStack gap="200">
            <ProgressBar progress={history.percent} size="small" tone={history.status === "failed" || history.status === "expired" ? "critical" : "primary"} />
            <InlineStack align="space-between" gap="200" wrap>
              <Text as="p" fontWeight="semibold" id="history-import-count">
                {history.label}
              </Text>
              <Text as="p" tone="subdued">
                {history.phase}
              </Text>
            </InlineStack>
          </BlockStack>
        ) : null}
        {history.errorMessage ? (
          <Banner tone="critical" title={history.status === "expired" ? "The import expired" : "The import failed"}>
            <Text as="p">{history.errorMessage}</Text>
          </Banner>
        ) : null}
        {history.canStart ? (
          <Form method="post">
            <input type="hidden" name="intent" value="import-history" />
            <Button submit variant="primary" loading={navigation.state === "submitting"}>
              {history.status === "never" ? "Import history" : "Retry"}
            </Button>
          </Form>
        ) : null}
      </BlockStack>
    </Card>
  );
}
