// The home page's pointer at the carrier and destination least often on time, to the Carriers page.
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { formatShare } from "~/admin/carriers";
import { destinationName } from "~/carriers/destination-name";
import type { WorstOnTime } from "~/carriers/performance";

export function LeastOnTimeCard({ lane }: { lane: WorstOnTime }) {
  const destination = destinationName(lane.destination);
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Least on time
        </Text>
        <Text as="p">
          <span data-least-on-time>
            {lane.label} to {destination}: {formatShare(lane.onTimeRate)} of {lane.promisedParcels.toLocaleString("en")} parcels arrived by the date
            promised.
          </span>
        </Text>
        <InlineStack>
          <Button url={`/app/carriers?destination=${encodeURIComponent(lane.destination)}`}>Compare carriers to {destination}</Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
