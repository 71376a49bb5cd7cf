// The Carriers page's "History import" card: progress with counts, Shopify's error, and Retry.
import { Form, useFetcher, useNavigation, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import type { HistoryImportView } from "~/history/view.server";

const BADGES: Record<HistoryImportView["status"], { tone?: "success" | "attention" | "critical" | "info"; label: string }> = {
  never: { label: "Not imported" },
  running: { tone: "info", label: "Importing" },
  completed: { tone: "success", label: "Imported" },
  failed: { tone: "critical", label: "Failed" },
  expired: { tone: "attention", label: "Expired" },
};

/** Where the card polls the import's progress (app/routes/app.carriers.import.tsx). */
export const HISTORY_IMPORT_PROGRESS_PATH = "/app/carriers/import";
const POLL_MS = 2000;

export function HistoryImportCard({ history: loaded }: { history: HistoryImportView }) {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const progress = useFetcher<HistoryImportView>();
  const [history, setHistory] = useState(loaded);
  // The page's data wins when it reloads (an import started, or the finished one's lanes came in).
  useEffect(() => setHistory(loaded), [loaded]);
  useEffect(() => {
    if (progress.data) setHistory(progress.data);
  }, [progress.data]);
  // While Shopify exports and Parcelwise records, ask for the progress alone every two seconds.
  const poll = useRef(progress);
  poll.current = progress;
  useEffect(() => {
    if (history.status !== "running") return;
    const timer = setInterval(() => poll.current.state === "idle" && poll.current.load(HISTORY_IMPORT_PROGRESS_PATH), POLL_MS);
    return () => clearInterval(timer);
  }, [history.status]);
  // Once it has finished, the lane table is reloaded, once.
  const wasRunning = useRef(loaded.status === "running");
  useEffect(() => {
    if (history.status === "running") wasRunning.current = true;
    else if (wasRunning.current) {
      wasRunning.current = false;
      revalidator.revalidate();
    }
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
